#include <certify/verdict.hpp>
#include <certify/verdict_view.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>

namespace suanli::certify {
namespace {

using detail::device_view;
using detail::node_view;
using nlohmann::json;

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string percent(double fraction) {
  return fixed(100 * fraction, 1) + "%";
}

// o[key] when it is an object, else an empty object: reports under audit may be malformed.
const json &obj(const json &o, const char *key) {
  static const json empty = json::object();
  if (!o.is_object()) {
    return empty;
  }
  const auto it = o.find(key);
  return it != o.end() && it->is_object() ? *it : empty;
}

json optional_json(const std::optional<double> &v) {
  return v ? json(*v) : json();
}

std::string device_label(const node_view &n, const device_view &d) {
  return (n.host.empty() ? "node " + std::to_string(n.index) : n.host) + " " + d.backend + ":" +
         std::to_string(d.device) + (d.rank >= 0 ? " (rank " + std::to_string(d.rank) + ")" : "");
}

std::string model_of(const device_view &d) {
  return d.info != nullptr ? d.info->value("model", "") : "";
}

// The dtype whose peak a GEMM case is compared with (bench::peak_dtype).
std::string peak_dtype(const json &c) {
  const json &p = obj(c, "parameters");
  const std::string precision = p.value("precision", "");
  return precision == "tf32" ? precision : p.value("b_type", precision);
}

// Best delivered median and lower CI bound [TFLOP/s] of a device's passed GEMMs per precision.
struct best_rate {
  double median = 0, ci_low = 0;
};
std::map<std::string, best_rate> best_gemm(const device_view &d) {
  std::map<std::string, best_rate> out;
  for (const json *c : d.cases) {
    if (c->value("operation", "") != "gemm" || c->value("status", "") != "pass") {
      continue;
    }
    const auto median = detail::tflops_of(obj(*c, "metrics"), "gflops_median");
    const auto low = detail::tflops_of(obj(*c, "metrics"), "gflops_ci_low");
    auto &b = out[obj(*c, "parameters").value("precision", "")];
    b.median = std::max(b.median, median.value_or(0));
    b.ci_low = std::max(b.ci_low, low.value_or(0));
  }
  return out;
}

// Share of telemetry readings with the most frequent throttle reason; nullopt when unknown.
std::optional<double> throttled_share(const json &c) {
  const json &t = obj(obj(c, "telemetry"), "throttle");
  if (!t.value("known", false)) {
    return std::nullopt;
  }
  double share = 0;
  for (const auto &r : t.value("reasons", json::array())) {
    if (r.is_object()) {
      share = std::max(share, r.value("fraction", 0.0));
    }
  }
  return share;
}

// The checks of one device; reasons prefixed with the criterion id.
void check_device(const node_view &n, const device_view &d, const bench::certify_criteria &k,
                  const json &claims, std::vector<std::string> &reasons, json &figures) {
  const std::string where = device_label(n, d);
  for (const json *c : d.cases) {
    const std::string name = c->value("name", "");
    const std::string status = c->value("status", "");
    if (k.require_verified && (status == "fail" || status == "error")) {
      reasons.push_back("require_verified: " + where + " " + name + " is " + status + ": " +
                        c->value("reason", ""));
    }
    if (status != "pass") {
      continue;
    }
    const double sampled = obj(*c, "measurement").value("sampled_s", 0.0);
    if (sampled < k.min_sampled_s) {
      reasons.push_back("min_sampled_s: " + where + " " + name + " sampled " + fixed(sampled, 2) +
                        " s < " + fixed(k.min_sampled_s, 2) + " s");
    }
    if (const auto share = throttled_share(*c);
        k.max_throttled_fraction && share && *share > *k.max_throttled_fraction) {
      reasons.push_back("max_throttled_fraction: " + where + " " + name + " throttled in " +
                        percent(*share) + " of readings > " + percent(*k.max_throttled_fraction));
    }
    if (c->value("operation", "") != "gemm") {
      continue;
    }
    const std::string precision = obj(*c, "parameters").value("precision", "");
    const json *peak = detail::find_peak(n, d, peak_dtype(*c));
    std::optional<double> rated, max_achievable;
    std::string rated_source;
    if (peak != nullptr) {
      rated = detail::tflops_of(obj(*peak, "database"), "gflops");
      rated_source = rated ? "device database" : "";
      if (!rated) {
        rated = detail::tflops_of(obj(*peak, "rated"), "gflops");
        rated_source = rated ? "backend" : "";
      }
      max_achievable = detail::tflops_of(obj(*peak, "measured"), "gflops");
    }
    figures.push_back(
        {{"node", n.index},
         {"rank", d.rank >= 0 ? json(d.rank) : json()},
         {"backend", d.backend},
         {"device", d.device},
         {"case", name},
         {"precision", precision},
         {"rated_tflops", optional_json(rated)},
         {"rated_source", rated_source},
         {"claimed_tflops", optional_json(detail::claimed_tflops(claims, model_of(d), precision))},
         {"max_achievable_tflops", optional_json(max_achievable)},
         {"delivered_tflops",
          optional_json(detail::tflops_of(obj(*c, "metrics"), "gflops_median"))},
         {"delivered_ci_low_tflops",
          optional_json(detail::tflops_of(obj(*c, "metrics"), "gflops_ci_low"))}});
  }
  const auto best = best_gemm(d);
  for (const auto &[precision, floor] : k.min_rated_fraction) {
    const auto it = best.find(precision);
    if (it == best.end()) {
      continue; // no passed GEMM of this precision: unsupported, or already a verification reason
    }
    const json *peak = nullptr;
    for (const json *c : d.cases) {
      if (obj(*c, "parameters").value("precision", "") == precision && peak == nullptr) {
        peak = detail::find_peak(n, d, peak_dtype(*c));
      }
    }
    std::optional<double> rated;
    if (peak != nullptr) {
      rated = detail::tflops_of(obj(*peak, "database"), "gflops");
      rated = rated ? rated : detail::tflops_of(obj(*peak, "rated"), "gflops");
    }
    if (!rated || *rated <= 0) {
      reasons.push_back("min_rated_fraction: " + where + " " + precision +
                        ": no rated peak (neither the device database nor the backend gives one)");
    } else if (it->second.median < floor * *rated) {
      reasons.push_back("min_rated_fraction: " + where + " " + precision + " delivered " +
                        fixed(it->second.median, 3) +
                        " TFLOP/s = " + percent(it->second.median / *rated) + " of rated " +
                        fixed(*rated, 3) + " TFLOP/s < " + percent(floor));
    }
  }
  const json *claimed = detail::claimed_device(claims, model_of(d));
  if (k.min_claimed_fraction && claimed != nullptr) {
    for (const auto &[precision, claim] : obj(*claimed, "dense_tflops").items()) {
      if (!claim.is_number()) {
        continue;
      }
      const double tflops = claim.get<double>();
      const auto it = best.find(precision);
      if (it == best.end()) {
        reasons.push_back("min_claimed_fraction: " + where + " claims " + fixed(tflops, 3) +
                          " TFLOP/s " + precision + " but no verified " + precision +
                          " GEMM ran on it");
      } else if (it->second.median < *k.min_claimed_fraction * tflops) {
        reasons.push_back("min_claimed_fraction: " + where + " " + precision + " delivered " +
                          fixed(it->second.median, 3) +
                          " TFLOP/s = " + percent(it->second.median / tflops) + " of the claimed " +
                          fixed(tflops, 3) + " TFLOP/s < " + percent(*k.min_claimed_fraction));
      }
    }
  }
}

json device_json(const device_view &d) {
  const auto field = [&](const char *key) {
    return d.info != nullptr ? d.info->value(key, "") : "";
  };
  return {{"rank", d.rank >= 0 ? json(d.rank) : json()},
          {"backend", d.backend},
          {"device", d.device},
          {"model", field("model")},
          {"uuid", field("uuid")},
          {"serial", field("serial")},
          {"verified", d.verified}};
}

} // namespace

json criteria_json(const bench::certify_criteria &c) {
  return {{"require_verified", c.require_verified},
          {"min_sampled_s", c.min_sampled_s},
          {"min_rated_fraction", c.min_rated_fraction},
          {"min_claimed_fraction", optional_json(c.min_claimed_fraction)},
          {"max_throttled_fraction", optional_json(c.max_throttled_fraction)},
          {"min_link_fraction", optional_json(c.min_link_fraction)},
          {"min_capacity_fraction", optional_json(c.min_capacity_fraction)},
          {"require_claims", c.require_claims},
          {"require_challenge", c.require_challenge}};
}

bool certified(const json &certification) {
  return certification.value("verdict", "") == "CERTIFIED";
}

json certify_report(const json &report, const bench::certify_criteria &k) {
  const json claims = report.is_object() ? report.value("claims", json()) : json();
  std::vector<std::string> run_reasons, notes;
  json nodes = json::array(), figures = json::array();
  std::map<std::string, std::pair<double, int64_t>> capacity; // precision -> (TFLOP/s, devices)
  const auto views = detail::nodes_of(report);
  for (const auto &n : views) {
    std::vector<std::string> reasons;
    json devices = json::array();
    for (const auto &d : n.devices) {
      check_device(n, d, k, claims, reasons, figures);
      devices.push_back(device_json(d));
      if (d.verified) {
        for (const auto &[precision, best] : best_gemm(d)) {
          capacity[precision].first += best.ci_low;
          capacity[precision].second += 1;
        }
      }
    }
    if (n.devices.empty()) {
      reasons.push_back("devices: " + n.host + " ran no GEMM or attention case");
    }
    for (const auto &r : reasons) {
      run_reasons.push_back(r);
    }
    nodes.push_back({{"index", n.index},
                     {"host", n.host},
                     {"verdict", reasons.empty() ? "CERTIFIED" : "NOT CERTIFIED"},
                     {"reasons", reasons},
                     {"devices", devices}});
  }
  // Run-wide criteria: collectives, claims, challenge.
  for (const auto &c : report.value("cases", json::array())) {
    if (!c.is_object()) {
      continue;
    }
    const std::string status = c.value("status", "");
    if (c.value("operation", "") == "collective" && k.require_verified &&
        (status == "fail" || status == "error")) {
      run_reasons.push_back("require_verified: collective " + c.value("name", "") + " is " +
                            status + ": " + c.value("reason", ""));
    }
  }
  if (k.require_claims && !claims.is_object()) {
    run_reasons.push_back("require_claims: the run embeds no claims file (run --claims)");
  }
  if (k.require_challenge && !report.value("challenge", json()).is_object()) {
    run_reasons.push_back("require_challenge: the run answers no platform challenge "
                          "(run --challenge)");
  }
  if (claims.is_object() &&
      claims.value("nodes", int64_t{0}) > static_cast<int64_t>(views.size())) {
    run_reasons.push_back("nodes: the claims name " + std::to_string(claims.value("nodes", 0)) +
                          " nodes; the run measured " + std::to_string(views.size()));
  }
  const json sweeps = report.value("totals", json::object())
                          .value("cluster", json::object())
                          .value("collective_sweeps", json::array());
  if (k.min_link_fraction) {
    const auto claim = claims.is_object() ? claims.value("interconnect_gbps", json()) : json();
    if (!claim.is_number()) {
      notes.push_back("min_link_fraction not checked: the claims give no interconnect_gbps");
    } else {
      int checked = 0;
      for (const auto &s : sweeps) {
        const json bw_value = s.is_object() ? s.value("plateau_busbw_gbps", json()) : json();
        if (s.value("op", "") != "all_reduce" || !bw_value.is_number()) {
          continue;
        }
        ++checked;
        const double bw = bw_value.get<double>();
        if (bw < *k.min_link_fraction * claim.get<double>()) {
          run_reasons.push_back(
              "min_link_fraction: all_reduce " + s.value("dtype", "") + " plateau busbw " +
              fixed(bw, 2) + " GB/s = " + percent(bw / claim.get<double>()) + " of the claimed " +
              fixed(claim.get<double>(), 2) + " GB/s < " + percent(*k.min_link_fraction));
        }
      }
      if (checked == 0) {
        notes.push_back("min_link_fraction not checked: the run has no passed all_reduce sweep");
      }
    }
  }
  json cap = json::object();
  for (const auto &[precision, v] : capacity) {
    const json &claimed_cluster = obj(claims, "cluster_pflops");
    const json claimed_pflops = claimed_cluster.value(precision, json());
    cap[precision] = {{"certified_tflops", v.first},
                      {"devices", v.second},
                      {"claimed_cluster_pflops", claimed_pflops}};
    if (k.min_capacity_fraction && claimed_pflops.is_number() &&
        v.first < *k.min_capacity_fraction * 1e3 * claimed_pflops.get<double>()) {
      run_reasons.push_back(
          "min_capacity_fraction: certified " + precision + " capacity " + fixed(v.first / 1e3, 6) +
          " PFLOP/s = " + percent(v.first / (1e3 * claimed_pflops.get<double>())) +
          " of the claimed " + fixed(claimed_pflops.get<double>(), 6) + " PFLOP/s < " +
          percent(*k.min_capacity_fraction));
    }
  }
  return {{"schema", certification_schema_id},
          {"criteria", criteria_json(k)},
          {"verdict", run_reasons.empty() ? "CERTIFIED" : "NOT CERTIFIED"},
          {"reasons", run_reasons},
          {"notes", notes},
          {"nodes", nodes},
          {"cases", figures},
          {"capacity", cap},
          {"capacity_convention",
           "sum over verified devices of the lower 95% CI bound of the "
           "best verified GEMM rate of each precision [TFLOP/s; int8 TOP/s]"}};
}

} // namespace suanli::certify
