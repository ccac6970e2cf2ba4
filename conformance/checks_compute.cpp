// gemm and attention: small problems of every precision, prepared, run and verified by the same
// host code as `suanli run` (kernels/host prepare_*, bench verify_*).

#include <conformance/checks.hpp>
#include <conformance/isolate.hpp>
#include <conformance/session.hpp>

#include <bench/attention_verify.hpp>
#include <bench/error.hpp>
#include <bench/gemm_verify.hpp>
#include <bench/seeds.hpp>
#include <kernels/host/attention_case.hpp>
#include <kernels/host/gemm_case.hpp>

#include <array>
#include <cstddef>
#include <functional>
#include <vector>

namespace suanli::conformance {
namespace {

constexpr const char *k_nonce = "5375616e6c69636f6e666f726d616e6365"; // fixed: reproducible inputs

// GEMM shapes (the precision is set per run): square, transposed A, transposed B with a batch
// and a padded C.
const std::array<bench::gemm_problem, 3> k_gemm_shapes = {{
    {nullptr, 8, 8, 8, 1, false, false, 0, 0, 0},
    {nullptr, 13, 7, 19, 1, true, false, 0, 0, 0},
    {nullptr, 5, 11, 6, 3, false, true, 0, 0, 13},
}};

// Attention shapes: MHA, GQA causal (bottom-right) with LSE and seq_q != seq_kv, MQA causal
// (top-left) in BHSD.
const std::array<bench::attention_problem, 3> k_attention_shapes = {{
    {nullptr, SL_LAYOUT_BSHD, 1, 16, 16, 2, 2, 64, 64, false, bench::causal_alignment::bottom_right,
     false},
    {nullptr, SL_LAYOUT_BSHD, 2, 9, 13, 4, 2, 64, 64, true, bench::causal_alignment::bottom_right,
     true},
    {nullptr, SL_LAYOUT_BHSD, 1, 12, 12, 4, 1, 64, 64, true, bench::causal_alignment::top_left,
     false},
}};

// Outcomes of the cases of one precision.
struct precision_tally {
  std::string name;
  int verified = 0;
  int unsupported = 0;
  int cases = 0;
  std::string reason; // of the first unsupported case
};

// What a group of cases found.
struct tally {
  std::vector<precision_tally> precisions;
  std::vector<std::string> failures;

  [[nodiscard]] check_result result() const {
    std::string ok, refused;
    int verified = 0;
    for (const auto &p : precisions) {
      verified += p.verified;
      const std::string counts = std::to_string(p.verified) + "/" + std::to_string(p.cases);
      if (p.verified > 0) {
        ok += (ok.empty() ? "" : ", ") + p.name + " " + counts;
      }
      if (p.unsupported > 0) {
        refused += (refused.empty() ? "" : "; ") + p.name + " " + std::to_string(p.unsupported) +
                   "/" + std::to_string(p.cases) + " (\"" + clip(p.reason, 90) + "\")";
      }
    }
    if (!failures.empty()) {
      return fail(failures.front() +
                  (failures.size() > 1
                       ? " (and " + std::to_string(failures.size() - 1) + " more failures)"
                       : ""));
    }
    if (verified == 0) {
      return unsupported("no case is offered: " + refused);
    }
    return pass("verified " + ok + (refused.empty() ? "" : "; unsupported: " + refused));
  }
};

// One case: prepare (nullopt output: unsupported), run once, read the output.
using prepare_fn = std::function<bench::prepare_result()>;
using verify_fn = std::function<std::string(const std::vector<std::byte> &)>; // "" = passed

void run_case(const session &s, const std::string &op, const std::string &label,
              const prepare_fn &prepare, const verify_fn &verify, precision_tally &p, tally &t) {
  ++p.cases;
  const std::string plan_call = op + "_plan_create";
  note_stage(op + " " + label + ": plan and inputs");
  try {
    auto prepared = prepare();
    if (!prepared.prepared) {
      const std::string why = s.unsupported_reason(plan_call + "(" + label + ")");
      if (why.empty()) {
        t.failures.push_back(no_reason_text(plan_call + "(" + label + ")"));
        return;
      }
      if (p.unsupported++ == 0) {
        p.reason = why;
      }
      return;
    }
    note_stage(op + " " + label + ": run");
    prepared.prepared->poison_output();
    prepared.prepared->run(1);
    note_stage(op + " " + label + ": read and verify the output");
    const std::string wrong = verify(prepared.prepared->read_output());
    if (!wrong.empty()) {
      t.failures.push_back(label + ": wrong result: " + wrong);
      return;
    }
    ++p.verified;
  } catch (const bench::error &e) {
    t.failures.push_back(label + ": " + clip(e.what(), 200));
  }
}

} // namespace

check_result check_gemm(const check_input &in) {
  session s(in.plugin);
  const auto &api = s.api();
  if (api.gemm_plan_create == nullptr || api.gemm_run == nullptr) {
    return unsupported("gemm_plan_create or gemm_run is NULL: the plugin offers no GEMM");
  }
  const bench::device_info dev = s.device(0);
  tally t;
  for (const auto &precision : bench::gemm_precisions()) {
    precision_tally p;
    p.name = precision.name;
    for (bench::gemm_problem problem : k_gemm_shapes) {
      problem.precision = &precision;
      const std::string label = p.name + " " + problem.shape_label() +
                                (problem.ldc != 0 ? " ldc " + std::to_string(problem.ldc) : "");
      const bench::tensor_seeds seeds{bench::derive_seed(k_nonce, label, "A"),
                                      bench::derive_seed(k_nonce, label, "B"), 0};
      run_case(
          s, "gemm", label, [&] { return host::prepare_gemm(s.context(), problem, dev, seeds); },
          [&](const std::vector<std::byte> &out) {
            const auto v = bench::verify_gemm(problem, seeds, out, bench::random_seed());
            return v.passed ? std::string() : v.first_failure;
          },
          p, t);
    }
    t.precisions.push_back(std::move(p));
  }
  return t.result();
}

check_result check_attention(const check_input &in) {
  session s(in.plugin);
  const auto &api = s.api();
  if (!s.covers(offsetof(sl_backend_api, attention_plan_destroy))) {
    return unsupported("the table (" + std::to_string(api.struct_size) +
                       " bytes) ends before the attention entries of ABI 1.1");
  }
  if (api.attention_plan_create == nullptr || api.attention_forward == nullptr) {
    return unsupported("attention_plan_create or attention_forward is NULL: the plugin offers "
                       "no attention");
  }
  const bench::device_info dev = s.device(0);
  tally t;
  for (const auto &precision : bench::attention_precisions()) {
    precision_tally p;
    p.name = precision.name;
    for (bench::attention_problem problem : k_attention_shapes) {
      problem.precision = &precision;
      const std::string label =
          p.name + " " + problem.shape_label() + (problem.want_lse ? " lse" : "");
      const bench::tensor_seeds seeds{bench::derive_seed(k_nonce, label, "Q"),
                                      bench::derive_seed(k_nonce, label, "K"),
                                      bench::derive_seed(k_nonce, label, "V")};
      run_case(
          s, "attention", label,
          [&] { return host::prepare_attention(s.context(), problem, dev, seeds); },
          [&](const std::vector<std::byte> &out) {
            const auto v = bench::verify_attention(problem, seeds, out, bench::random_seed());
            return v.passed ? std::string() : v.first_failure;
          },
          p, t);
    }
    t.precisions.push_back(std::move(p));
  }
  return t.result();
}

} // namespace suanli::conformance
