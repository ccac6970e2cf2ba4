// Rules on the derived figures: every rate recomputed from the parameters (shapes, sizes,
// convention ids) and the median time recomputed from the raw samples.

#include <audit/rules.hpp>

#include <bench/attention_problem.hpp>
#include <bench/collective_problem.hpp>
#include <bench/dtype.hpp>
#include <bench/gemm_problem.hpp>
#include <bench/stats.hpp>

#include <optional>
#include <vector>

namespace suanli::audit {
namespace {

using nlohmann::json;

// FLOPs per call under the case's convention, from its parameters; nullopt for an unknown one.
std::optional<double> convention_flops(const json &c) {
  const auto convention = c.value("convention", std::string());
  const auto &p = c.at("parameters");
  if (convention == bench::gemm_flops_convention) {
    bench::gemm_problem g;
    g.m = p.at("m").get<int64_t>();
    g.n = p.at("n").get<int64_t>();
    g.k = p.at("k").get<int64_t>();
    g.batch = p.at("batch").get<int64_t>();
    return g.flops();
  }
  if (convention == bench::attention_flops_convention) {
    bench::attention_problem a;
    a.batch = p.at("batch").get<int64_t>();
    a.seq_q = p.at("seq_q").get<int64_t>();
    a.seq_kv = p.at("seq_kv").get<int64_t>();
    a.heads_q = p.at("heads_q").get<int64_t>();
    a.heads_kv = p.at("heads_kv").get<int64_t>();
    a.head_dim_qk = p.at("head_dim_qk").get<int64_t>();
    a.head_dim_v = p.at("head_dim_v").get<int64_t>();
    a.causal = p.at("causal").get<bool>();
    a.align = p.value("causal_align", std::string()) == "top_left"
                  ? bench::causal_alignment::top_left
                  : bench::causal_alignment::bottom_right;
    return a.flops();
  }
  return std::nullopt;
}

// The collective problem a case's parameters describe; nullopt when they name no known one.
std::optional<bench::collective_problem> collective_of(const json &p) {
  const auto *op = bench::find_collective_op(p.at("op").get<std::string>());
  const auto dtype = bench::parse_dtype(p.at("dtype").get<std::string>());
  if (op == nullptr || !dtype) {
    return std::nullopt;
  }
  bench::collective_problem cp;
  cp.op = op->op;
  cp.dtype = *dtype;
  cp.bytes = p.at("bytes_requested").get<uint64_t>();
  return cp;
}

} // namespace

void check_gflops(const report_input &in, reporter &out) {
  for_each_case(in, [&](const case_view &v) {
    const json &c = *v.c;
    const std::string &where = v.where;
    const auto mit = c.find("metrics");
    if (mit == c.end() || !mit->is_object() || !mit->contains("gflops_median")) {
      return;
    }
    const json &m = *mit;
    const auto flops = convention_flops(c);
    const auto &time = v.time;
    if (!flops) {
      out.add(where, "unknown counting convention", c.value("convention", std::string()),
              "a known convention id");
      return;
    }
    if (!close(c.value("flops_per_call", 0.0), *flops)) {
      out.add(where, "flops_per_call differs from the convention's count",
              number_text(c.value("flops_per_call", 0.0)), number_text(*flops));
    }
    if (!time) {
      return;
    }
    const std::pair<const char *, double> rates[] = {
        {"gflops_median", *flops / time->median * 1e-9},
        {"gflops_ci_low", *flops / time->ci_high * 1e-9},
        {"gflops_ci_high", *flops / time->ci_low * 1e-9}};
    for (const auto &[field, value] : rates) {
      const double recorded = m.at(field).get<double>();
      if (!close(recorded, value)) {
        out.add(where, std::string(field) + " differs from FLOPs / recomputed time",
                number_text(recorded), number_text(value));
      }
    }
  });
}

void check_busbw(const report_input &in, reporter &out) {
  for_each_case(in, [&](const case_view &v) {
    const json &c = *v.c;
    const std::string &where = v.where;
    const auto mit = c.find("metrics");
    if (c.value("operation", std::string()) != "collective" || mit == c.end() ||
        !mit->is_object()) {
      return;
    }
    const json &m = *mit;
    const auto &p = c.at("parameters");
    const auto problem = collective_of(p);
    const auto &time = v.time;
    if (!problem || !time) {
      return;
    }
    const auto ranks = p.at("ranks").get<int32_t>();
    const std::pair<const char *, double> figures[] = {
        {"bytes", static_cast<double>(problem->fitted_bytes(ranks))},
        {"busbw_factor", problem->busbw_factor(ranks)},
        {"time_median_s", time->median},
        {"algbw_gbps", problem->algbw_gbps(ranks, time->median)},
        {"algbw_ci_low_gbps", problem->algbw_gbps(ranks, time->ci_high)},
        {"algbw_ci_high_gbps", problem->algbw_gbps(ranks, time->ci_low)},
        {"busbw_gbps", problem->busbw_gbps(ranks, time->median)},
        {"busbw_ci_low_gbps", problem->busbw_gbps(ranks, time->ci_high)},
        {"busbw_ci_high_gbps", problem->busbw_gbps(ranks, time->ci_low)}};
    for (const auto &[field, value] : figures) {
      if (!m.contains(field)) {
        continue;
      }
      const double recorded = m[field].get<double>();
      if (!close(recorded, value)) {
        out.add(where, std::string(field) + " differs from the size / recomputed time",
                number_text(recorded), number_text(value));
      }
    }
  });
}

} // namespace suanli::audit
