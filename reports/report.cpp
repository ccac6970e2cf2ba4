#include <reports/report.hpp>

#include <bench/dtype.hpp>
#include <bench/inventory_links.hpp>
#include <bench/seeds.hpp>
#include <bench/stats.hpp>

#include <chrono>
#include <ctime>
#include <map>

namespace suanli::reports {
namespace {

using nlohmann::json;

std::string hex64(uint64_t v) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i) {
    s[static_cast<size_t>(i)] = digits[v & 15];
    v >>= 4;
  }
  return s;
}

json summary_json(const bench::summary &s) {
  return {
      {"count", s.count},       {"median", s.median}, {"ci_low", s.ci_low}, {"ci_high", s.ci_high},
      {"ci_level", s.ci_level}, {"min", s.min},       {"max", s.max},       {"p5", s.p5},
      {"p95", s.p95},           {"mean", s.mean},     {"stddev", s.stddev}, {"cov", s.cov}};
}

json policy_json(const bench::measure_policy &p) {
  return {{"warmup_s", p.warmup_s},           {"min_samples", p.min_samples},
          {"min_time_s", p.min_time_s},       {"max_time_s", p.max_time_s},
          {"target_rel_ci", p.target_rel_ci}, {"min_sample_s", p.min_sample_s},
          {"cold_bytes", p.cold_bytes}};
}

json gemm_parameters(const bench::gemm_problem &g) {
  const auto &p = *g.precision;
  return {{"precision", p.name},
          {"types", p.label},
          {"a_type", bench::name(p.a)},
          {"b_type", bench::name(p.b)},
          {"compute_type", bench::name(p.compute)},
          {"c_type", bench::name(p.c)},
          {"m", g.m},
          {"n", g.n},
          {"k", g.k},
          {"batch", g.batch},
          {"trans_a", g.trans_a},
          {"trans_b", g.trans_b},
          {"lda", g.lead_a()},
          {"ldb", g.lead_b()},
          {"ldc", g.lead_c()},
          {"layout", "row-major"}};
}

json attention_parameters(const bench::attention_problem &a) {
  const auto &p = *a.precision;
  return {{"precision", p.name},
          {"types", p.label},
          {"qkv_type", bench::name(p.qkv)},
          {"compute_type", bench::name(p.compute)},
          {"o_type", bench::name(p.o)},
          {"layout", a.layout == SL_LAYOUT_BSHD ? "bshd" : "bhsd"},
          {"batch", a.batch},
          {"seq_q", a.seq_q},
          {"seq_kv", a.seq_kv},
          {"heads_q", a.heads_q},
          {"heads_kv", a.heads_kv},
          {"head_dim_qk", a.head_dim_qk},
          {"head_dim_v", a.head_dim_v},
          {"causal", a.causal},
          {"causal_align",
           a.align == bench::causal_alignment::bottom_right ? "bottom_right" : "top_left"},
          {"causal_offset", a.causal_offset()},
          {"softmax_scale", a.softmax_scale()},
          {"lse", a.want_lse},
          {"unmasked_pairs_per_head", a.unmasked_pairs()}};
}

json measurement_json(const bench::measurement &m) {
  return {{"batch", m.batch},
          {"warmup_calls", m.warmup_calls},
          {"warmup_s", m.warmup_s},
          {"sampled_s", m.sampled_s},
          {"wall_s", m.wall_s},
          {"converged", m.converged},
          {"stop_reason", m.stop_reason},
          {"samples_s", m.samples_s}};
}

json verification_json(const bench::gemm_verification &v) {
  return {{"passed", v.passed},
          {"method", v.method},
          {"summary", std::to_string(v.rows_checked) + " rows, " +
                          std::to_string(v.elements_checked) + " samples"},
          {"rows_checked", v.rows_checked},
          {"rows_failed", v.rows_failed},
          {"elements_checked", v.elements_checked},
          {"elements_failed", v.elements_failed},
          {"worst_error_to_tolerance", v.worst_ratio},
          {"scale_error", v.scale_error},
          {"scale_tolerance", v.scale_tolerance},
          {"first_failure", v.first_failure},
          {"seconds", v.seconds}};
}

json verification_json(const bench::attention_verification &v) {
  return {{"passed", v.passed},
          {"method", v.method},
          {"summary", std::to_string(v.rows_checked) + " rows exact, " +
                          std::to_string(v.elements_bounded) + " bounded"},
          {"rows_checked", v.rows_checked},
          {"rows_failed", v.rows_failed},
          {"elements_bounded", v.elements_bounded},
          {"elements_out_of_bounds", v.elements_out_of_bounds},
          {"lse_checked", v.lse_checked},
          {"worst_error_to_tolerance", v.worst_ratio},
          {"first_failure", v.first_failure},
          {"seconds", v.seconds}};
}

json collective_parameters(const bench::collective_problem &p, int32_t ranks) {
  return {{"op", p.info().name},
          {"dtype", bench::name(p.dtype)},
          {"reduction", p.reduce == SL_REDUCE_NONE ? json() : json(bench::reduce_name(p.reduce))},
          {"in_place", p.in_place},
          {"root", p.root},
          {"ranks", ranks},
          {"bytes_requested", p.bytes},
          {"bytes", p.fitted_bytes(ranks)},
          {"count", p.count(ranks)},
          {"send_elements", p.send_elems(ranks)},
          {"recv_elements", p.recv_elems(ranks)},
          {"busbw_factor", p.busbw_factor(ranks)},
          {"busbw_factor_formula", p.info().busbw_label}};
}

json verification_json(const bench::collective_verification &v) {
  return {{"passed", v.passed},
          {"method", v.method},
          {"summary", std::to_string(v.samples_checked) + " timed calls checked on every rank, " +
                          std::to_string(v.elements_checked) + " elements, " +
                          std::to_string(v.wrong_elements) + " wrong"},
          {"samples_checked", v.samples_checked},
          {"elements_checked", v.elements_checked},
          {"wrong_elements", v.wrong_elements},
          {"ranks_wrong", v.ranks_wrong},
          {"first_failure", v.first_failure},
          {"seconds", v.seconds}};
}

json collective_metrics_json(const bench::collective_metrics &m) {
  return {{"bytes", m.bytes},
          {"time_median_s", m.time_median_s},
          {"latency_us", m.time_median_s * 1e6},
          {"algbw_gbps", m.algbw_gbps},
          {"algbw_ci_low_gbps", m.algbw_ci_low_gbps},
          {"algbw_ci_high_gbps", m.algbw_ci_high_gbps},
          {"busbw_factor", m.busbw_factor},
          {"busbw_gbps", m.busbw_gbps},
          {"busbw_ci_low_gbps", m.busbw_ci_low_gbps},
          {"busbw_ci_high_gbps", m.busbw_ci_high_gbps}};
}

// Input seeds by tensor name, and the verification seed.
json seeds_json(const bench::case_result &r) {
  if (std::holds_alternative<bench::collective_problem>(r.op)) {
    return {{"data", hex64(r.seeds.a)}};
  }
  if (std::holds_alternative<bench::gemm_problem>(r.op)) {
    return {{"a", hex64(r.seeds.a)}, {"b", hex64(r.seeds.b)}, {"check", hex64(r.check_seed)}};
  }
  return {{"q", hex64(r.seeds.a)},
          {"k", hex64(r.seeds.b)},
          {"v", hex64(r.seeds.c)},
          {"check", hex64(r.check_seed)}};
}

json range_json(const std::optional<bench::sensor_range> &r) {
  if (!r) {
    return nullptr;
  }
  return {{"min", r->min}, {"median", r->median}, {"max", r->max}};
}

json telemetry_json(const bench::telemetry_summary &t) {
  const auto opt = [](const std::optional<double> &v) { return v ? json(*v) : json(); };
  json reasons = json::array();
  for (const auto &share : t.throttle) {
    reasons.push_back({{"reason", share.reason}, {"fraction", share.fraction}});
  }
  return {{"convention", bench::telemetry_convention},
          {"readings", t.readings},
          {"period_s", t.period_s},
          {"window_s", t.window_s},
          {"clock_mhz", range_json(t.clock_mhz)},
          {"mem_clock_mhz", range_json(t.mem_clock_mhz)},
          {"power_w", range_json(t.power_w)},
          {"temperature_max_c", opt(t.temperature_max_c)},
          {"energy_j", opt(t.energy_j)},
          {"mean_power_w", opt(t.mean_power_w)},
          {"mean_power_source", t.mean_power_source},
          {"throttle", {{"known", t.throttle_known}, {"reasons", reasons}}},
          {"note", t.note}};
}

} // namespace

json case_json(const bench::case_result &r) {
  const auto *g = std::get_if<bench::gemm_problem>(&r.op);
  const auto *a = std::get_if<bench::attention_problem>(&r.op);
  const auto *col = std::get_if<bench::collective_problem>(&r.op);
  json c = {{"name", r.name},
            {"origin", r.origin},
            {"operation", g != nullptr   ? "gemm"
                          : a != nullptr ? "attention"
                                         : "collective"},
            {"backend", r.backend},
            {"device", r.device},
            {"parameters", g != nullptr   ? gemm_parameters(*g)
                           : a != nullptr ? attention_parameters(*a)
                                          : collective_parameters(*col, r.ranks)},
            {"status", bench::status_name(r.status)},
            {"reason", r.reason},
            {"convention", g != nullptr   ? bench::gemm_flops_convention
                           : a != nullptr ? bench::attention_flops_convention
                                          : bench::collective_bw_convention},
            {"flops_per_call", r.flops_per_call},
            {"implementation", r.implementation},
            {"timer", r.timer},
            {"buffer_sets", r.buffer_sets},
            {"seeds", seeds_json(r)},
            {"policy", policy_json(r.policy)},
            {"measurement", nullptr},
            {"statistics", nullptr},
            {"verification", nullptr},
            {"metrics", nullptr}};
  if (col != nullptr) {
    c["ranks"] = r.ranks;
    c["note"] = r.note;
  } else {
    c["telemetry"] = r.telemetry ? telemetry_json(*r.telemetry) : json();
    if (!r.note.empty()) {
      c["note"] = r.note;
    }
  }
  if (r.measured) {
    c["measurement"] = measurement_json(*r.measured);
    c["statistics"] = {{"time_s", summary_json(r.measured->time_s)}};
  }
  if (r.verification) {
    c["verification"] =
        std::visit([](const auto &v) { return verification_json(v); }, *r.verification);
  }
  if (r.metrics) {
    const auto &m = *r.metrics;
    c["metrics"] = {
        {"gflops_median", m.gflops_median},
        {"gflops_ci_low", m.gflops_ci_low},
        {"gflops_ci_high", m.gflops_ci_high},
        {"efficiency_rated", m.efficiency_rated ? json(*m.efficiency_rated) : json()},
        {"efficiency_measured", m.efficiency_measured ? json(*m.efficiency_measured) : json()},
        {"efficiency_database", m.efficiency_database ? json(*m.efficiency_database) : json()},
        {"efficiency_vs_gemm", m.efficiency_vs_gemm ? json(*m.efficiency_vs_gemm) : json()},
        {"gemm_reference", m.gemm_reference},
        {"gflops_per_watt", m.gflops_per_watt ? json(*m.gflops_per_watt) : json()}};
  }
  if (r.bandwidth) {
    c["metrics"] = collective_metrics_json(*r.bandwidth);
  }
  return c;
}

json peak_json(const bench::peak_record &p) {
  const auto rate = [](const std::optional<bench::peak_rate> &r) -> json {
    if (!r) {
      return nullptr;
    }
    return {{"gflops", r->flops_per_s * 1e-9}, {"source", r->source}};
  };
  return {{"backend", p.backend},
          {"device", p.device},
          {"dtype", bench::name(p.dtype)},
          {"rated", rate(p.rated)},
          {"rated_reason", p.rated_reason},
          {"measured", rate(p.measured)},
          {"measured_reason", p.measured_reason},
          {"database", rate(p.database)},
          {"database_reason", p.database_reason}};
}

namespace {

// Counts and, per precision, the harmonic mean of verified rates.
json totals_json(const bench::run_result &result) {
  std::map<std::string, int64_t> counts{{"pass", 0}, {"fail", 0}, {"unsupported", 0}, {"error", 0}};
  std::map<std::string, std::vector<double>> gemm_rates, attention_rates;
  for (const auto &r : result.cases) {
    ++counts[std::string(bench::status_name(r.status))];
    if (r.status == bench::case_status::pass && r.metrics) {
      if (const auto *g = std::get_if<bench::gemm_problem>(&r.op)) {
        gemm_rates[std::string(g->precision->name)].push_back(r.metrics->gflops_median);
      } else if (const auto *a = std::get_if<bench::attention_problem>(&r.op)) {
        attention_rates[std::string(a->precision->name)].push_back(r.metrics->gflops_median);
      }
    }
  }
  const auto per_precision = [](const std::map<std::string, std::vector<double>> &rates) {
    json out = json::object();
    for (const auto &[precision, values] : rates) {
      out[precision] = {{"cases", values.size()},
                        {"gflops_harmonic_mean", bench::harmonic_mean(values)}};
    }
    return out;
  };
  return {{"cases", result.cases.size()},
          {"passed", counts["pass"]},
          {"failed", counts["fail"]},
          {"unsupported", counts["unsupported"]},
          {"errors", counts["error"]},
          {"verified_gemm_by_precision", per_precision(gemm_rates)},
          {"verified_attention_by_precision", per_precision(attention_rates)},
          {"telemetry_reason", result.telemetry_reason},
          {"wall_s", result.wall_s}};
}

} // namespace

json backend_json(const bench::backend &b) {
  const auto [file, sha] = b.file_identity();
  json devices = json::array();
  for (const auto &d : b.devices()) {
    devices.push_back({{"index", d.index},
                       {"vendor", d.vendor},
                       {"model", d.model},
                       {"uuid", d.uuid},
                       {"serial", d.serial},
                       {"pci_bus_id", d.pci_bus_id},
                       {"driver_version", d.driver_version},
                       {"firmware_version", d.firmware_version},
                       {"arch", d.arch},
                       {"memory_bytes", d.memory_bytes},
                       {"compute_units", d.compute_units},
                       {"clock_mhz_current", d.clock_mhz_current},
                       {"clock_mhz_max", d.clock_mhz_max},
                       {"host_timed", d.host_timed}});
  }
  const auto links = bench::probe_links(b, static_cast<int32_t>(devices.size()));
  return {{"name", b.name()},
          {"version", b.version()},
          {"plugin", file},
          {"plugin_sha256", sha},
          {"libraries", b.library_versions()},
          {"devices", devices},
          {"links", bench::links_json(links)},
          {"links_reason", links.reason}};
}

json conventions_json() {
  auto out = json::array(
      {{{"id", bench::gemm_flops_convention}, {"text", bench::gemm_flops_convention_text}},
       {{"id", bench::attention_flops_convention},
        {"text", bench::attention_flops_convention_text}},
       {{"id", "suanli.units.v1"},
        {"text", "times in seconds; GFLOP/s = 1e9 FLOP/s (integer GEMMs: 1e9 OP/s); "
                 "efficiency = median rate / peak"}},
       {{"id", "suanli.stats.v1"},
        {"text", "median of per-call sample times; distribution-free CI of the "
                 "median from binomial order statistics; rates = work / time"}}});
  out.push_back(
      {{"id", bench::collective_bw_convention}, {"text", bench::collective_bw_convention_text}});
  out.push_back({{"id", "suanli.collective.plateau.v1"},
                 {"text", "plateau busbw of a sweep: median busbw of the passed sizes whose busbw "
                          "is within 10% of the sweep's largest; reported with the size range "
                          "it covers; small-size latency is the median time at the smallest "
                          "size"}});
  out.push_back({{"id", bench::telemetry_convention}, {"text", bench::telemetry_convention_text}});
  return out;
}

json report_header(const run_context &ctx) {
  return {
      {"schema", report_schema_id},
      {"created", ctx.created_utc},
      {"tool", ctx.tool},
      {"run",
       {{"argv", ctx.argv},
        {"nonce", ctx.nonce},
        {"nonce_source", ctx.nonce_source},
        {"threads", ctx.threads},
        {"seed_derivation", "seed = first 8 bytes (little-endian) of SHA-256(\"suanli.seed.v1\" "
                            "NUL nonce NUL case NUL tensor)"}}},
      {"suite",
       {{"name", ctx.suite_name},
        {"file", ctx.suite_file},
        {"sha256", ctx.suite_sha256},
        {"description", ctx.suite_description}}},
      {"challenge", ctx.challenge},
      {"claims", ctx.claims},
      {"system", ctx.system},
      {"backends", json::array({ctx.backend})},
      {"conventions", conventions_json()}};
}

json make_report(const run_context &ctx, const bench::run_result &result) {
  json cases = json::array();
  for (const auto &r : result.cases) {
    cases.push_back(case_json(r));
  }
  json peaks = json::array();
  for (const auto &p : result.peaks) {
    peaks.push_back(peak_json(p));
  }
  json out = report_header(ctx);
  out["peaks"] = peaks;
  out["cases"] = cases;
  out["totals"] = totals_json(result);
  return out;
}

std::string utc_now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

} // namespace suanli::reports
