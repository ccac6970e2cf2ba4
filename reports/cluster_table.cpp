// Tables of collective cases and of cluster reports (render_collectives, render_cluster).
#include <reports/summary_table.hpp>

#include <bench/text.hpp>
#include <reports/cluster_report.hpp>
#include <reports/text_table.hpp>

#include <map>
#include <vector>

namespace suanli::reports {
namespace {

using nlohmann::json;

std::string bytes_cell(uint64_t b) {
  static const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  size_t u = 0;
  while (u + 1 < std::size(units) && b >= 1024 && b % 1024 == 0) {
    b /= 1024;
    ++u;
  }
  return std::to_string(b) + " " + units[u];
}

std::string gbps(const json &v) {
  return v.is_number() ? bench::fixed(v.get<double>(), 2) : "-";
}

std::string variant_cell(const json &p) {
  return p.value("dtype", "") +
         (p["reduction"].is_string() ? " " + p["reduction"].get<std::string>() : std::string());
}

std::string wrong_cell(const json &c) {
  const json &v = c.value("verification", json());
  return v.is_object() ? std::to_string(v.value("wrong_elements", uint64_t{0})) : "-";
}

// The layout of a cluster report: one row per rank with
// its node, host and device (model from its node's inventory) and whether it ran per-device cases.
std::string layout_table(const json &p) {
  const json &cl = p["cluster"];
  std::map<int64_t, const json *> nodes;
  for (const auto &n : p["nodes"]) {
    nodes[n["index"].get<int64_t>()] = &n;
  }
  reports::text_table t({"rank", "node", "local rank", "host", "device", "per-device cases"},
                        {3, 4});
  for (const auto &l : cl["layout"]) {
    std::string device = std::to_string(l["device"].get<int64_t>());
    const auto node = nodes.find(l["node"].get<int64_t>());
    if (node != nodes.end()) {
      for (const auto &b : (*node->second)["backends"]) {
        for (const auto &d : b["devices"]) {
          if (d["index"] == l["device"]) {
            device = b["name"].get<std::string>() + ":" + device + " " +
                     d["model"].get<std::string>() + " (" +
                     std::to_string(d["compute_units"].get<int64_t>()) + " compute units)";
          }
        }
      }
    }
    t.add_row({std::to_string(l["rank"].get<int64_t>()), std::to_string(l["node"].get<int64_t>()),
               std::to_string(l["local_rank"].get<int64_t>()), l["host"].get<std::string>(), device,
               l["device_cases"].get<bool>() ? "yes" : "no"});
  }
  return t.render();
}

} // namespace

std::string render_collectives(const json &report) {
  std::vector<std::string> order;
  std::map<std::string, text_table> tables;
  std::string notes;
  for (const auto &c : report.value("cases", json::array())) {
    if (c.value("operation", "") != "collective") {
      continue;
    }
    const json &p = c["parameters"];
    const std::string op = p.value("op", "");
    if (tables.find(op) == tables.end()) {
      order.push_back(op);
      tables.emplace(op,
                     text_table({"size", "dtype", "in place", "status", "median time", "algbw GB/s",
                                 "busbw GB/s", "95% CI busbw", "samples", "wrong"},
                                {1, 2}));
    }
    const json &m = c.value("metrics", json());
    const json &stats = c.value("statistics", json());
    const bool ok = m.is_object();
    tables.at(op).add_row(
        {bytes_cell(p.value("bytes", uint64_t{0})), variant_cell(p),
         p.value("in_place", false) ? "yes" : "no", c.value("status", ""),
         stats.is_object() ? format_seconds(stats["time_s"].value("median", 0.0)) : "-",
         ok ? gbps(m["algbw_gbps"]) : "-", ok ? gbps(m["busbw_gbps"]) : "-",
         ok ? "[" + gbps(m["busbw_ci_low_gbps"]) + ", " + gbps(m["busbw_ci_high_gbps"]) + "]" : "-",
         stats.is_object() ? std::to_string(stats["time_s"].value("count", int64_t{0})) : "-",
         wrong_cell(c)});
    if (c.value("status", "") != "pass") {
      notes += "  " + c.value("status", "") + " " + c.value("name", "") + ": " +
               c.value("reason", "") + "\n";
    } else if (!c.value("note", "").empty()) {
      notes += "  note " + c.value("name", "") + ": " + c.value("note", "") + "\n";
    }
  }
  if (order.empty()) {
    return {};
  }
  std::string out;
  int32_t ranks = 0;
  for (const auto &op : order) {
    out += (out.empty() ? "" : "\n") + op + "\n" + tables.at(op).render();
  }
  text_table sweeps(
      {"sweep", "sizes", "plateau busbw GB/s", "plateau sizes", "max busbw GB/s", "latency", "at"});
  for (const auto &s : collective_sweeps_json(report["cases"])) {
    ranks = s.value("ranks", 0);
    const bool any = s["plateau_busbw_gbps"].is_number();
    sweeps.add_row(
        {s.value("sweep", ""),
         std::to_string(s.value("passed", 0)) + "/" + std::to_string(s.value("sizes", 0)),
         gbps(s["plateau_busbw_gbps"]),
         any ? bytes_cell(s["plateau_min_bytes"].get<uint64_t>()) + " - " +
                   bytes_cell(s["plateau_max_bytes"].get<uint64_t>())
             : "-",
         gbps(s["busbw_max_gbps"]),
         any ? format_seconds(s["latency_us"].get<double>() * 1e-6) : "-",
         any ? bytes_cell(s["latency_at_bytes"].get<uint64_t>()) : "-"});
  }
  out += "\n" + sweeps.render();
  if (!notes.empty()) {
    out += "\n" + notes;
  }
  out += "\ncollectives on " + std::to_string(ranks) +
         " ranks: algbw = S / t, busbw = algbw x f (2(n-1)/n all_reduce; (n-1)/n all_gather, "
         "reduce_scatter, all_to_all; 1 broadcast, reduce, sendrecv), GB/s = 1e9 B/s, t = median "
         "of the slowest rank's time (suanli.collective.bw.v1); plateau = median busbw of the "
         "sizes within 10% of the sweep's max (suanli.collective.plateau.v1)\n";
  return out;
}

std::string render_cluster(const json &report) {
  const json &cl = report.value("cluster", json::object());
  std::string out = "job: " + std::to_string(cl.value("ranks", 0)) + " ranks on " +
                    std::to_string(cl.value("nodes", 0)) + " node(s), launched by " +
                    cl.value("launcher", "") + ", timeout " +
                    bench::fixed(cl.value("timeout_s", 0.0), 0) + " s\n\n" + layout_table(report);
  for (const auto &n : report.value("nodes", json::array())) {
    out += "\nnode " + std::to_string(n.value("index", 0)) + " (" + n.value("host", "") +
           "), ranks " + n["ranks"].dump() + "\n";
    if (!n.value("cases", json::array()).empty()) {
      out += render_peaks(n) + "\n" + render_cases(n);
    }
  }
  const json &sums =
      report["totals"]["cluster"].value("sum_of_verified_device_medians", json::array());
  if (!sums.empty()) {
    text_table t({"case", "devices", "verified", "sum of medians GFLOP/s"});
    for (const auto &s : sums) {
      t.add_row({s.value("case", ""), std::to_string(s.value("devices", 0)),
                 std::to_string(s.value("verified_devices", 0)),
                 bench::fixed(s.value("sum_verified_gflops_median", 0.0), 1)});
    }
    out += "\ncluster totals (sum over devices of verified per-device medians)\n" + t.render();
  }
  const std::string coll = render_collectives(report);
  if (!coll.empty()) {
    out += "\n" + coll;
  }
  const json &tot = report.value("totals", json::object());
  out += "\n" + std::to_string(tot.value("passed", 0)) + " passed, " +
         std::to_string(tot.value("failed", 0)) + " failed, " +
         std::to_string(tot.value("unsupported", 0)) + " unsupported, " +
         std::to_string(tot.value("errors", 0)) + " errors (all nodes and collectives)\n";
  return out;
}

} // namespace suanli::reports
