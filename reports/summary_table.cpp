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
  return (v.value("passed", false) ? "ok (" : "FAIL (") + v.value("summary", "") + ")";
}

std::string tflops(const json &v) {
  return v.is_number() ? bench::fixed(v.get<double>() * 1e-3, 3) : "-";
}

std::string attention_shape(const json &p) {
  std::string s =
      "B" + std::to_string(p.value("batch", 0)) + " S" + std::to_string(p.value("seq_q", 0));
  if (p.value("seq_kv", 0) != p.value("seq_q", 0)) {
    s += "/" + std::to_string(p.value("seq_kv", 0));
  }
  return s + " H" + std::to_string(p.value("heads_q", 0)) + "/" +
         std::to_string(p.value("heads_kv", 0)) + " d" + std::to_string(p.value("head_dim_qk", 0));
}

// Sample count with a '*' for cases that hit their time cap; the note goes to `notes`.
std::string samples_cell(const json &c, std::string &notes) {
  const json &stats = c.value("statistics", json());
  if (!stats.is_object()) {
    return "-";
  }
  std::string samples = std::to_string(stats["time_s"].value("count", int64_t{0}));
  const json &m = c.value("measurement", json());
  if (m.is_object() && !m.value("converged", true)) {
    samples += "*";
    notes += "  * " + c.value("name", "") + ": " + m.value("stop_reason", "") + "\n";
  }
  return samples;
}

std::string median_cell(const json &c) {
  const json &stats = c.value("statistics", json());
  return stats.is_object() ? format_seconds(stats["time_s"].value("median", 0.0)) : "-";
}

} // namespace

std::string render_peaks(const json &report) {
  text_table t(
      {"dtype", "rated GFLOP/s", "measured max GFLOP/s", "measured / rated", "database GFLOP/s"});
  std::string sources;
  std::string database;
  std::vector<std::string> db_reasons;
  for (const auto &p : report.value("peaks", json::array())) {
    const json &rated = p.value("rated", json());
    const json &measured = p.value("measured", json());
    const json &db = p.value("database", json());
    const bool both = rated.is_object() && measured.is_object() && rated.value("gflops", 0.0) > 0;
    t.add_row({p.value("dtype", ""), rated.is_object() ? gflops(rated["gflops"]) : "-",
               measured.is_object() ? gflops(measured["gflops"]) : "-",
               both ? percent(measured.value("gflops", 0.0) / rated.value("gflops", 1.0)) : "-",
               db.is_object() ? gflops(db["gflops"]) : "-"});
    sources += "  " + p.value("dtype", "") + ": " +
               (rated.is_object() ? rated.value("source", "") : p.value("rated_reason", "")) + "\n";
    database += "  " + p.value("dtype", "") + ": " +
                (db.is_object() ? db.value("source", "") : p.value("database_reason", "")) + "\n";
    db_reasons.push_back(db.is_object() ? "" : p.value("database_reason", ""));
  }
  // One line when no dtype has a database peak for the same reason (e.g. a CPU: no entry).
  if (!db_reasons.empty() && !db_reasons[0].empty() &&
      std::all_of(db_reasons.begin(), db_reasons.end(),
                  [&](const std::string &r) { return r == db_reasons[0]; })) {
    database = "  " + db_reasons[0] + "\n";
  }
  return t.render() + "rated peaks:\n" + sources + "device database:\n" + database;
}

std::string render_cases(const json &report) {
  text_table gemm({"case", "status", "median time", "GFLOP/s", "95% CI GFLOP/s", "eff/rated",
                   "eff/max", "eff/db", "samples", "verification"},
                  {9});
  text_table attn({"case", "status", "shape", "causal", "median time", "TFLOP/s", "95% CI TFLOP/s",
                   "eff/gemm", "eff/max", "samples", "verification"},
                  {2, 3, 10});
  size_t gemm_rows = 0, attn_rows = 0;
  std::string notes;
  for (const auto &c : report.value("cases", json::array())) {
    if (c.value("operation", "") == "collective") {
      continue; // render_collectives
    }
    const std::string status = c.value("status", "");
    const json &m = c.value("metrics", json());
    const bool rated = m.is_object();
    const auto rate = [&](const char *key, auto fmt) { return rated ? fmt(m[key]) : "-"; };
    if (c.value("operation", "") == "attention") {
      const json &p = c["parameters"];
      attn.add_row(
          {c.value("name", ""), upper(status), attention_shape(p),
           p.value("causal", false) ? "yes" : "no", median_cell(c), rate("gflops_median", tflops),
           rated ? "[" + tflops(m["gflops_ci_low"]) + ", " + tflops(m["gflops_ci_high"]) + "]"
                 : "-",
           rate("efficiency_vs_gemm", percent), rate("efficiency_measured", percent),
           samples_cell(c, notes), verification_cell(c)});
      ++attn_rows;
    } else {
      gemm.add_row(
          {c.value("name", ""), upper(status), median_cell(c), rate("gflops_median", gflops),
           rated ? "[" + gflops(m["gflops_ci_low"]) + ", " + gflops(m["gflops_ci_high"]) + "]"
                 : "-",
           rate("efficiency_rated", percent), rate("efficiency_measured", percent),
           rate("efficiency_database", percent), samples_cell(c, notes), verification_cell(c)});
      ++gemm_rows;
    }
    if (status != "pass") {
      notes +=
          "  " + upper(status) + " " + c.value("name", "") + ": " + c.value("reason", "") + "\n";
    }
    if (const int64_t sets = c.value("buffer_sets", int64_t{1}); sets > 1) {
      notes += "  cold " + c.value("name", "") + ": calls rotate over " + std::to_string(sets) +
               " buffer sets" + (c.contains("note") ? " (" + c.value("note", "") + ")" : "") + "\n";
    }
  }
  std::string out;
  if (gemm_rows > 0) {
    out += gemm.render();
  }
  if (attn_rows > 0) {
    out += (out.empty() ? "" : "\n") + attn.render();
  }
  if (gemm_rows + attn_rows == 0) {
    return out;
  }
  if (!notes.empty()) {
    out += "\n" + notes;
  }
  const json &tot = report.value("totals", json::object());
  out += "\n" + std::to_string(tot.value("passed", 0)) + " passed, " +
         std::to_string(tot.value("failed", 0)) + " failed, " +
         std::to_string(tot.value("unsupported", 0)) + " unsupported, " +
         std::to_string(tot.value("errors", 0)) + " errors\n" +
         "GEMM: GFLOP/s = 1e9 FLOP/s (int8: OP/s), FLOPs = 2MNK (suanli.gemm.flops.v1); eff/rated "
         "= against the backend's rated peak, eff/max = its measured max-achievable rate, eff/db "
         "= the device database's rated peak (suites/devices)\n";
  if (attn_rows > 0) {
    out += "attention: TFLOP/s = 1e12 FLOP/s, FLOPs = 2 B Hq (d_qk + d_v) x unmasked pairs "
           "(suanli.attention.fwd.flops.v1); eff/gemm = against the best passed GEMM of the same "
           "dtype in this run\n";
  }
  return out;
}

} // namespace suanli::reports
