#include <reports/summary_table.hpp>

#include <bench/text.hpp>
#include <reports/text_table.hpp>

#include <algorithm>
#include <cctype>

namespace suanli::reports {
namespace {

using nlohmann::json;

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

std::string percent(const json &v) {
  return v.is_number() ? bench::fixed(v.get<double>() * 100.0, 1) + "%" : "-";
}

std::string gflops(const json &v) {
  return v.is_number() ? bench::fixed(v.get<double>(), 1) : "-";
}

std::string verification_cell(const json &c) {
  const json &v = c.value("verification", json());
  if (!v.is_object()) {
    return "-";
  }
  const auto rows = v.value("rows_checked", int64_t{0});
  const auto elems = v.value("elements_checked", int64_t{0});
  if (!v.value("passed", false)) {
    return "FAIL (" + std::to_string(v.value("rows_failed", int64_t{0})) + "/" +
           std::to_string(rows) + " rows, " + std::to_string(v.value("elements_failed", int64_t{0})) +
           "/" + std::to_string(elems) + " samples)";
  }
  return "ok (" + std::to_string(rows) + " rows, " + std::to_string(elems) + " samples)";
}

} // namespace

std::string render_peaks(const json &report) {
  text_table t({"dtype", "rated GFLOP/s", "measured max GFLOP/s", "measured / rated"});
  std::string sources;
  for (const auto &p : report.value("peaks", json::array())) {
    const json &rated = p.value("rated", json());
    const json &measured = p.value("measured", json());
    const bool both = rated.is_object() && measured.is_object() &&
                      rated.value("gflops", 0.0) > 0;
    t.add_row({p.value("dtype", ""), rated.is_object() ? gflops(rated["gflops"]) : "-",
               measured.is_object() ? gflops(measured["gflops"]) : "-",
               both ? percent(measured.value("gflops", 0.0) / rated.value("gflops", 1.0)) : "-"});
    sources += "  " + p.value("dtype", "") + ": " +
               (rated.is_object() ? rated.value("source", "") : p.value("rated_reason", "")) +
               "\n";
  }
  return t.render() + "rated peaks:\n" + sources;
}

std::string render_cases(const json &report) {
  text_table t({"case", "status", "median time", "GFLOP/s", "95% CI GFLOP/s", "eff/rated",
                "eff/max", "samples", "verification"},
               {8});
  std::string notes;
  for (const auto &c : report.value("cases", json::array())) {
    const std::string status = c.value("status", "");
    const json &stats = c.value("statistics", json());
    const json &metrics = c.value("metrics", json());
    const bool timed = stats.is_object() && stats.contains("time_s");
    const bool rated = metrics.is_object();
    std::string samples = "-";
    if (timed) {
      samples = std::to_string(stats["time_s"].value("count", int64_t{0}));
      const json &m = c.value("measurement", json());
      if (m.is_object() && !m.value("converged", true)) {
        samples += "*";
        notes += "  * " + c.value("name", "") + ": " + m.value("stop_reason", "") + "\n";
      }
    }
    t.add_row({c.value("name", ""), upper(status),
               timed ? format_seconds(stats["time_s"].value("median", 0.0)) : "-",
               rated ? gflops(metrics["gflops_median"]) : "-",
               rated ? "[" + gflops(metrics["gflops_ci_low"]) + ", " +
                           gflops(metrics["gflops_ci_high"]) + "]"
                     : "-",
               rated ? percent(metrics["efficiency_rated"]) : "-",
               rated ? percent(metrics["efficiency_measured"]) : "-", samples,
               verification_cell(c)});
    if (status != "pass") {
      notes += "  " + upper(status) + " " + c.value("name", "") + ": " + c.value("reason", "") +
               "\n";
    }
  }
  const json &tot = report.value("totals", json::object());
  std::string out = t.render();
  if (!notes.empty()) {
    out += "\n" + notes;
  }
  out += "\n" + std::to_string(tot.value("passed", 0)) + " passed, " +
         std::to_string(tot.value("failed", 0)) + " failed, " +
         std::to_string(tot.value("unsupported", 0)) + " unsupported, " +
         std::to_string(tot.value("errors", 0)) + " errors; GFLOP/s = 1e9 FLOP/s (" +
         "int8: OP/s) under suanli.gemm.flops.v1; eff/max = against the measured FMA peak\n";
  return out;
}

} // namespace suanli::reports
