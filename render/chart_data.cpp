// Bars of rated / claimed / achievable / delivered rates per dtype, and the per-node heat map.
#include <render/chart.hpp>
#include <render/format.hpp>
#include <render/json_access.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace suanli::render {
namespace {

using nlohmann::json;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

const json &peaks_of(const json &report) {
  static const json none = json::array();
  const auto &peaks = report.value("peaks", none);
  if (!peaks.empty() || !report.contains("nodes") || report["nodes"].empty()) {
    return report.contains("peaks") ? report["peaks"] : none;
  }
  return report["nodes"][0].contains("peaks") ? report["nodes"][0]["peaks"] : none;
}

double gflops_of(const json &obj) {
  if (!obj.is_object() || !obj.contains("gflops") || !obj["gflops"].is_number()) {
    return nan;
  }
  return obj["gflops"].get<double>();
}

// The claimed per-device dense rate for a dtype [GFLOP/s]: the claims' device whose model is the
// report's device model, else the only claimed device.
double claimed(const json &report, const std::string &dtype, std::string &source) {
  const auto &claims = report.value("claims", json());
  if (!claims.is_object() || !claims.contains("devices")) {
    return nan;
  }
  std::string model;
  const auto &backends = arr_at(report, "backends");
  if (!backends.empty() && !arr_at(backends[0], "devices").empty()) {
    model = str_at(backends[0]["devices"][0], "model");
  }
  const auto &devs = claims["devices"];
  for (const auto &d : devs) {
    if (str_at(d, "model") == model || devs.size() == 1) {
      const auto &t = obj_at(d, "dense_tflops");
      if (t.contains(dtype) && t[dtype].is_number()) {
        source = "claims of " + str_at(claims, "provider", "?") + ": " + str_at(d, "model") +
                 " dense " + num(t[dtype].get<double>(), 4) + " TFLOP/s";
        return 1000 * t[dtype].get<double>();
      }
    }
  }
  return nan;
}

// The best passed GEMM median of a dtype [GFLOP/s] and its case.
double delivered(const std::vector<json> &cases, const std::string &dtype, std::string &source) {
  double best = nan;
  for (const auto &c : cases) {
    if (str_at(c, "operation") != "gemm" || str_at(c, "status") != "pass") {
      continue;
    }
    const auto &p = c["parameters"];
    if (str_at(p, "precision") != dtype && str_at(p, "a_type") != dtype) {
      continue;
    }
    const double g = num_at(c["metrics"], "gflops_median");
    if (std::isfinite(g) && !(g <= best)) {
      best = g;
      source = "best verified GEMM: " + str_at(c, "name");
    }
  }
  return best;
}

// One bar group per GEMM case of a suanli.certification.v1 section [TFLOP/s]: the figures the
// verdict was computed from. A case run on several devices shows the device with the lowest
// delivered median (the one the certification's fractions hinge on). Empty when the section is
// absent, of another schema, or lists no case.
std::vector<bar_group> certification_groups(const json &report) {
  const auto &cert = obj_at(report, "certification");
  if (str_at(cert, "schema") != "suanli.certification.v1") {
    return {};
  }
  std::vector<std::string> order;                                // case names, first-seen order
  std::map<std::string, std::pair<const json *, size_t>> chosen; // figure, devices that ran it
  for (const auto &f : arr_at(cert, "cases")) {
    const auto name = str_at(f, "case");
    auto [it, fresh] = chosen.try_emplace(name, &f, 0);
    if (fresh) {
      order.push_back(name);
    }
    ++it->second.second;
    const double mine = num_at(f, "delivered_tflops");
    if (std::isfinite(mine) && !(num_at(*it->second.first, "delivered_tflops") <= mine)) {
      it->second.first = &f;
    }
  }
  std::vector<bar_group> groups;
  for (const auto &name : order) {
    const json *f = chosen[name].first;
    const size_t devices = chosen[name].second;
    const std::string where =
        "certification: " + str_at(*f, "precision") + ", node " +
        std::to_string(int_at(*f, "node")) + " device " + std::to_string(int_at(*f, "device")) +
        (devices > 1 ? " (lowest delivered of " + std::to_string(devices) + " devices)" : "");
    bar_group g{name, {}};
    auto add = [&](const char *bar_name, const char *key, const std::string &what) {
      const double v = num_at(*f, key);
      if (std::isfinite(v) && v > 0) {
        g.bars.push_back({bar_name, v, what + "; " + where});
      }
    };
    add("rated", "rated_tflops", "rated peak from the " + str_at(*f, "rated_source", "?"));
    add("claimed", "claimed_tflops", "the provider's claims file");
    add("max achievable", "max_achievable_tflops", "the backend's measured peak kernel");
    add("delivered", "delivered_tflops", "verified median");
    add("delivered CI low", "delivered_ci_low_tflops", "lower bound of the median's 95% CI");
    if (!g.bars.empty()) {
      groups.push_back(std::move(g));
    }
  }
  return groups;
}

} // namespace

bar_chart peak_bars(const json &report) {
  if (auto groups = certification_groups(report); !groups.empty()) {
    return {"peaks",
            "Rated, claimed, achievable and delivered rate per GEMM case (certification figures)",
            "TFLOP/s", std::move(groups),
            "From the report's certification section (suanli.certification.v1): rated (device "
            "database, else the backend's formula), claimed (claims file), max achievable (the "
            "backend's measured peak kernel), delivered (verified median) and the lower bound of "
            "its 95% CI. A case run on several devices shows the one with the lowest delivered "
            "median. int8: TOP/s."};
  }
  bar_chart ch{"peaks",
               "Rated, claimed, achievable and delivered rate per dtype",
               "GFLOP/s",
               {},
               "rated: the backend's peak formula; database: suites/devices entry; claimed: the "
               "provider's claims file; max achievable: the backend's measured peak kernel; "
               "delivered: the best verified GEMM median. int8: GOP/s."};
  const auto cases = chart_cases(report);
  for (const auto &pk : peaks_of(report)) {
    const auto dtype = str_at(pk, "dtype");
    bar_group g{dtype, {}};
    auto add = [&](const char *name, double v, std::string src) {
      if (std::isfinite(v) && v > 0) {
        g.bars.push_back({name, v, std::move(src)});
      }
    };
    const auto &rated = pk.value("rated", json());
    add("rated", gflops_of(rated), rated.is_object() ? str_at(rated, "source") : "");
    const auto &db = pk.value("database", json());
    add("database", gflops_of(db), db.is_object() ? str_at(db, "source") : "");
    std::string src;
    const double cl = claimed(report, dtype, src);
    add("claimed", cl, src);
    const auto &meas = pk.value("measured", json());
    add("max achievable", gflops_of(meas), meas.is_object() ? str_at(meas, "source") : "");
    std::string dsrc;
    const double dl = delivered(cases, dtype, dsrc);
    add("delivered", dl, dsrc);
    if (!g.bars.empty()) {
      ch.groups.push_back(std::move(g));
    }
  }
  return ch;
}

heat_map node_heat_map(const json &report) {
  heat_map hm{"nodes",
              "Per-node GEMM and attention throughput",
              "GFLOP/s",
              {},
              {},
              {},
              "Each cell is a verified median; colour = fraction of the column's best node "
              "(dark red below 90%). Empty: not run or not passed."};
  const auto &nodes = arr_at(report, "nodes");
  std::map<std::string, size_t> column;
  std::vector<std::pair<std::string, std::map<std::string, double>>> rows;
  for (const auto &n : nodes) {
    std::map<int64_t, std::map<std::string, double>> by_device;
    for (const auto &c : arr_at(n, "cases")) {
      const auto name = str_at(c, "name");
      column.try_emplace(name, column.size());
      auto &row = by_device[int_at(c, "device")];
      if (str_at(c, "status") == "pass" && c.contains("metrics")) {
        row[name] = num_at(c["metrics"], "gflops_median");
      } else {
        row.try_emplace(name, nan);
      }
    }
    for (auto &[dev, vals] : by_device) {
      rows.emplace_back("node " + std::to_string(int_at(n, "index")) + " " + str_at(n, "host") +
                            " dev " + std::to_string(dev),
                        std::move(vals));
    }
  }
  hm.columns.resize(column.size());
  for (const auto &[name, i] : column) {
    hm.columns[i] = name;
  }
  for (auto &[label, vals] : rows) {
    hm.rows.push_back(label);
    std::vector<double> cells(hm.columns.size(), nan);
    for (size_t i = 0; i < hm.columns.size(); ++i) {
      if (const auto it = vals.find(hm.columns[i]); it != vals.end()) {
        cells[i] = it->second;
      }
    }
    hm.cells.push_back(std::move(cells));
  }
  return hm;
}

} // namespace suanli::render
