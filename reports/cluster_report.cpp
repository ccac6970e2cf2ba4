#include <reports/cluster_report.hpp>

#include <bench/stats.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace suanli::reports {
namespace {

using nlohmann::json;

// Counts of case statuses in `cases`, added into `counts`.
void count_statuses(const json &cases, std::map<std::string, int64_t> &counts) {
  for (const auto &c : cases) {
    ++counts[c.at("status").get<std::string>()];
  }
}

json counts_json(std::map<std::string, int64_t> counts, size_t cases) {
  return {{"cases", cases},
          {"passed", counts["pass"]},
          {"failed", counts["fail"]},
          {"unsupported", counts["unsupported"]},
          {"errors", counts["error"]}};
}

// Sum of verified per-device medians for each per-device case name, in name order.
json device_sums(const std::vector<const json *> &cases) {
  struct sum {
    std::string operation, precision;
    int64_t devices = 0, passed = 0;
    double gflops = 0;
  };
  std::map<std::string, sum> by_case;
  for (const json *c : cases) {
    auto &s = by_case[c->at("name").get<std::string>()];
    s.operation = c->at("operation").get<std::string>();
    s.precision = c->at("parameters").value("precision", "");
    ++s.devices;
    if (c->at("status") == "pass" && c->at("metrics").is_object()) {
      ++s.passed;
      s.gflops += c->at("metrics").at("gflops_median").get<double>();
    }
  }
  json out = json::array();
  for (const auto &[name, s] : by_case) {
    out.push_back({{"case", name},
                   {"operation", s.operation},
                   {"precision", s.precision},
                   {"devices", s.devices},
                   {"verified_devices", s.passed},
                   {"sum_verified_gflops_median", s.gflops}});
  }
  return out;
}

} // namespace

json make_rank_part(const rank_place &place, const json &system, const json &backend,
                    const bench::run_result *device_results) {
  json peaks = json::array();
  json cases = json::array();
  double wall = 0;
  if (device_results != nullptr) {
    for (const auto &p : device_results->peaks) {
      peaks.push_back(peak_json(p));
    }
    for (const auto &r : device_results->cases) {
      auto c = case_json(r);
      c["rank"] = place.rank;
      c["node"] = place.node;
      cases.push_back(std::move(c));
    }
    wall = device_results->wall_s;
  }
  return {{"rank", place.rank}, {"node", place.node},     {"local_rank", place.local_rank},
          {"host", place.host}, {"device", place.device}, {"device_cases", place.device_cases},
          {"system", system},   {"backend", backend},     {"peaks", peaks},
          {"cases", cases},     {"wall_s", wall}};
}

json collective_sweeps_json(const json &cases) {
  std::map<std::string, std::vector<const json *>> sweeps;
  std::vector<std::string> order;
  for (const auto &c : cases) {
    if (c.at("operation") != "collective") {
      continue;
    }
    const auto &p = c.at("parameters");
    const std::string key =
        p.at("op").get<std::string>() + "." + p.at("dtype").get<std::string>() +
        (p.at("reduction").is_string() ? "." + p.at("reduction").get<std::string>()
                                       : std::string()) +
        (p.at("in_place").get<bool>() ? ".inplace" : ".oop");
    if (sweeps.find(key) == sweeps.end()) {
      order.push_back(key);
    }
    sweeps[key].push_back(&c);
  }
  json out = json::array();
  for (const auto &key : order) {
    const auto &list = sweeps[key];
    std::vector<std::pair<uint64_t, double>> passed; // bytes, busbw
    const json *smallest = nullptr;
    for (const json *c : list) {
      if (c->at("status") != "pass") {
        continue;
      }
      const auto &m = c->at("metrics");
      passed.emplace_back(m.at("bytes").get<uint64_t>(), m.at("busbw_gbps").get<double>());
      if (smallest == nullptr ||
          m.at("bytes").get<uint64_t>() < smallest->at("metrics").at("bytes").get<uint64_t>()) {
        smallest = c;
      }
    }
    const auto &p0 = list.front()->at("parameters");
    json s = {{"sweep", key},
              {"op", p0.at("op")},
              {"dtype", p0.at("dtype")},
              {"reduction", p0.at("reduction")},
              {"in_place", p0.at("in_place")},
              {"ranks", p0.at("ranks")},
              {"sizes", list.size()},
              {"passed", passed.size()},
              {"busbw_max_gbps", nullptr},
              {"busbw_max_at_bytes", nullptr},
              {"plateau_busbw_gbps", nullptr},
              {"plateau_min_bytes", nullptr},
              {"plateau_max_bytes", nullptr},
              {"plateau_points", 0},
              {"latency_us", nullptr},
              {"latency_at_bytes", nullptr}};
    if (!passed.empty()) {
      const auto best = *std::max_element(passed.begin(), passed.end(),
                                          [](auto &a, auto &b) { return a.second < b.second; });
      std::vector<double> plateau;
      uint64_t lo = UINT64_MAX, hi = 0;
      for (const auto &[bytes, bw] : passed) {
        if (bw >= 0.9 * best.second) {
          plateau.push_back(bw);
          lo = std::min(lo, bytes);
          hi = std::max(hi, bytes);
        }
      }
      std::sort(plateau.begin(), plateau.end());
      s["busbw_max_gbps"] = best.second;
      s["busbw_max_at_bytes"] = best.first;
      s["plateau_busbw_gbps"] = bench::percentile_sorted(plateau, 0.5);
      s["plateau_min_bytes"] = lo;
      s["plateau_max_bytes"] = hi;
      s["plateau_points"] = plateau.size();
      s["latency_us"] = smallest->at("metrics").at("latency_us");
      s["latency_at_bytes"] = smallest->at("metrics").at("bytes");
    }
    out.push_back(std::move(s));
  }
  return out;
}

json make_cluster_report(const run_context &ctx, const std::vector<json> &parts,
                         const std::vector<bench::case_result> &collectives,
                         const cluster_info &info, double wall_s) {
  json coll_cases = json::array();
  for (const auto &r : collectives) {
    coll_cases.push_back(case_json(r));
  }
  // Nodes in index order, each with its ranks, inventory and per-device results.
  std::map<int32_t, std::vector<const json *>> by_node;
  json layout = json::array();
  for (const auto &part : parts) {
    by_node[part.at("node").get<int32_t>()].push_back(&part);
    layout.push_back({{"rank", part.at("rank")},
                      {"node", part.at("node")},
                      {"local_rank", part.at("local_rank")},
                      {"host", part.at("host")},
                      {"device", part.at("device")},
                      {"device_cases", part.at("device_cases")}});
  }
  json nodes = json::array();
  std::vector<const json *> all_device_cases;
  std::map<std::string, int64_t> counts;
  size_t total_cases = coll_cases.size();
  count_statuses(coll_cases, counts);
  for (const auto &[index, members] : by_node) {
    json node_ranks = json::array(), peaks = json::array(), cases = json::array();
    json system, backends = json::array();
    std::vector<const json *> node_cases;
    for (const json *m : members) {
      node_ranks.push_back(m->at("rank"));
      if (m->at("local_rank") == 0) {
        system = m->at("system");
        backends.push_back(m->at("backend"));
      }
      for (const auto &p : m->at("peaks")) {
        auto q = p;
        q["rank"] = m->at("rank");
        peaks.push_back(std::move(q));
      }
      for (const auto &c : m->at("cases")) {
        cases.push_back(c);
      }
    }
    for (const auto &c : cases) {
      node_cases.push_back(&c);
    }
    std::map<std::string, int64_t> node_counts;
    count_statuses(cases, node_counts);
    json node = {{"index", index},       {"host", members.front()->at("host")},
                 {"ranks", node_ranks},  {"system", system},
                 {"backends", backends}, {"peaks", peaks},
                 {"cases", cases},       {"totals", counts_json(node_counts, cases.size())}};
    node["totals"]["sum_of_verified_device_medians"] = device_sums(node_cases);
    nodes.push_back(std::move(node));
  }
  for (const auto &n : nodes) {
    count_statuses(n.at("cases"), counts);
    total_cases += n.at("cases").size();
    for (const auto &c : n.at("cases")) {
      all_device_cases.push_back(&c);
    }
  }
  json totals = counts_json(counts, total_cases);
  totals["wall_s"] = wall_s;
  totals["cluster"] = {{"nodes", nodes.size()},
                       {"ranks", parts.size()},
                       {"sum_of_verified_device_medians", device_sums(all_device_cases)},
                       {"collective_sweeps", collective_sweeps_json(coll_cases)}};
  json out = report_header(ctx);
  out["cluster"] = {{"ranks", parts.size()},
                    {"nodes", info.nodes},
                    {"launcher", info.launcher},
                    {"timeout_s", info.timeout_s},
                    {"layout", layout}};
  out["nodes"] = nodes;
  out["peaks"] = json::array();
  out["cases"] = coll_cases;
  out["totals"] = totals;
  return out;
}

} // namespace suanli::reports
