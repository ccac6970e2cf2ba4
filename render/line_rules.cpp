// The per-operation chart table: one row per line chart, each with how to read x, y and the
// series name from a passed case.
#include <render/chart.hpp>
#include <render/json_access.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace suanli::render {
namespace {

using nlohmann::json;

double gemm_size(const json &c) {
  const auto &p = c["parameters"];
  return std::cbrt(num_at(p, "m") * num_at(p, "n") * num_at(p, "k"));
}
double gflops(const json &c) {
  return num_at(c["metrics"], "gflops_median");
}
double eff_rated_pct(const json &c) {
  return 100 * num_at(c["metrics"], "efficiency_rated");
}
double seq_q(const json &c) {
  return num_at(c["parameters"], "seq_q");
}
double msg_bytes(const json &c) {
  return num_at(c["metrics"], "bytes");
}
double busbw(const json &c) {
  return num_at(c["metrics"], "busbw_gbps");
}
double latency_us(const json &c) {
  return 1e6 * num_at(c["metrics"], "time_median_s");
}

std::string gemm_series(const json &c) {
  const auto &p = c["parameters"];
  std::string s = str_at(p, "precision", "?");
  if (bool_at(p, "trans_a", false) || bool_at(p, "trans_b", false)) {
    s += std::string(" ") + (bool_at(p, "trans_a", false) ? "T" : "N") +
         (bool_at(p, "trans_b", false) ? "T" : "N");
  }
  if (int_at(p, "batch") > 1) {
    s += " batch " + std::to_string(int_at(p, "batch"));
  }
  return s;
}

std::string attention_series(const json &c) {
  const auto &p = c["parameters"];
  return str_at(p, "precision", "?") + " H" + std::to_string(int_at(p, "heads_q")) + "/" +
         std::to_string(int_at(p, "heads_kv")) + " d" + std::to_string(int_at(p, "head_dim_qk")) +
         (bool_at(p, "causal", false) ? " causal" : "");
}

std::string collective_series(const json &c) {
  const auto &p = obj_at(c, "parameters");
  const auto red = str_at(p, "reduction");
  return str_at(p, "op", "?") + " " + str_at(p, "dtype", "?") + (red.empty() ? "" : " " + red) +
         (bool_at(p, "in_place", false) ? " in place" : "");
}

struct line_rule {
  const char *id;
  const char *title;
  const char *operation;
  axis x, y;
  double (*x_of)(const json &);
  double (*y_of)(const json &);
  std::string (*series_of)(const json &);
};

const line_rule rules[] = {
    {"gemm-throughput",
     "GEMM throughput vs size",
     "gemm",
     {"size (M·N·K)^1/3", "elements", true},
     {"throughput (int8: GOP/s)", "GFLOP/s", false},
     gemm_size,
     gflops,
     gemm_series},
    {"gemm-efficiency",
     "GEMM efficiency vs size (against the rated peak)",
     "gemm",
     {"size (M·N·K)^1/3", "elements", true},
     {"efficiency", "%", false},
     gemm_size,
     eff_rated_pct,
     gemm_series},
    {"attention-throughput",
     "Attention throughput vs sequence length",
     "attention",
     {"query sequence length", "tokens", true},
     {"throughput", "GFLOP/s", false},
     seq_q,
     gflops,
     attention_series},
    {"collective-busbw",
     "Collective bus bandwidth vs message size",
     "collective",
     {"message size", "B", true},
     {"busbw", "GB/s", true},
     msg_bytes,
     busbw,
     collective_series},
    {"collective-latency",
     "Collective time vs message size",
     "collective",
     {"message size", "B", true},
     {"median time", "us", true},
     msg_bytes,
     latency_us,
     collective_series},
};

line_chart apply(const line_rule &r, const std::vector<json> &cases, bool cluster) {
  line_chart ch{r.id, r.title, r.x, r.y, {}, ""};
  std::map<std::string, size_t> index;
  for (const auto &c : cases) {
    if (str_at(c, "operation") != r.operation || str_at(c, "status") != "pass") {
      continue;
    }
    const double x = r.x_of(c), y = r.y_of(c);
    if (!std::isfinite(x) || !std::isfinite(y) || (r.x.log && x <= 0) || (r.y.log && y <= 0)) {
      continue;
    }
    const auto name = r.series_of(c);
    auto [it, fresh] = index.try_emplace(name, ch.lines.size());
    if (fresh) {
      ch.lines.push_back({name, {}});
    }
    ch.lines[it->second].points.push_back({x, y, str_at(c, "name")});
  }
  // Sweeps measured at one size only (e.g. every dtype at 4 KiB) would crowd the legend; they
  // are left to the tables when some series has several sizes.
  const bool some_sweep = std::any_of(ch.lines.begin(), ch.lines.end(),
                                      [](const series &s) { return s.points.size() > 1; });
  size_t dropped = 0;
  if (some_sweep && std::string(r.operation) == "collective") {
    dropped = static_cast<size_t>(std::count_if(
        ch.lines.begin(), ch.lines.end(), [](const series &s) { return s.points.size() < 2; }));
    std::erase_if(ch.lines, [](const series &s) { return s.points.size() < 2; });
  }
  for (auto &s : ch.lines) {
    std::stable_sort(s.points.begin(), s.points.end(),
                     [](const point &a, const point &b) { return a.x < b.x; });
  }
  ch.note = "Verified (PASS) cases only; one mark per case";
  if (dropped > 0) {
    ch.note +=
        "; " + std::to_string(dropped) + " series measured at a single size are in the tables";
  }
  if (cluster && std::string(r.operation) != "collective") {
    ch.note += "; per-device cases of node 0 (every node: the heat map)";
  }
  ch.note += ".";
  return ch;
}

} // namespace

std::vector<json> chart_cases(const json &report) {
  std::vector<json> out;
  for (const auto &c : arr_at(report, "cases")) {
    out.push_back(c);
  }
  const auto &nodes = arr_at(report, "nodes");
  if (!nodes.empty()) {
    for (const auto &c : arr_at(nodes[0], "cases")) {
      out.push_back(c);
    }
  }
  return out;
}

std::vector<line_chart> line_charts(const json &report) {
  const auto cases = chart_cases(report);
  std::vector<line_chart> out;
  for (const auto &r : rules) {
    auto ch = apply(r, cases, !arr_at(report, "nodes").empty());
    if (!ch.lines.empty()) {
      out.push_back(std::move(ch));
    }
  }
  return out;
}

} // namespace suanli::render
