#include <reports/report_shape.hpp>

#include <reports/report.hpp>

#include <string_view>
#include <utility>
#include <vector>

namespace suanli::reports {
namespace {

using nlohmann::json;

// What a field may be; several kinds may be allowed at once.
enum kind : unsigned {
  k_null = 1,
  k_bool = 2,
  k_int = 4,
  k_num = 8,
  k_str = 16,
  k_obj = 32,
  k_arr = 64,
  k_uint = 128 // an integer >= 0
};

bool is(const json &v, unsigned kinds) {
  return ((kinds & k_null) != 0 && v.is_null()) || ((kinds & k_bool) != 0 && v.is_boolean()) ||
         ((kinds & k_int) != 0 && v.is_number_integer()) ||
         ((kinds & k_uint) != 0 && v.is_number_unsigned()) ||
         ((kinds & k_num) != 0 && v.is_number()) || ((kinds & k_str) != 0 && v.is_string()) ||
         ((kinds & k_obj) != 0 && v.is_object()) || ((kinds & k_arr) != 0 && v.is_array());
}

using field_list = std::vector<std::pair<std::string_view, unsigned>>;

// First field of `obj` (at `path`) that is missing or of another kind.
std::string check_fields(const json &obj, const std::string &path, const field_list &fields) {
  if (!obj.is_object()) {
    return path + ": expected an object";
  }
  for (const auto &[key, kinds] : fields) {
    const auto it = obj.find(key);
    if (it == obj.end()) {
      return path + "." + std::string(key) + ": missing";
    }
    if (!is(*it, kinds)) {
      return path + "." + std::string(key) + ": has the wrong type (" + it->type_name() +
             ((kinds & k_uint) != 0 && it->is_number_integer() ? ", negative" : "") + ")";
    }
  }
  return {};
}

// First element of array `arr` (at `path`) that `check` finds wrong.
template <class Check>
std::string check_items(const json &arr, const std::string &path, Check check) {
  for (size_t i = 0; i < arr.size(); ++i) {
    if (auto why = check(arr[i], path + "[" + std::to_string(i) + "]"); !why.empty()) {
      return why;
    }
  }
  return {};
}

// The fields of an operation's parameters, verification and metrics.
struct operation_shape {
  field_list parameters, verification, metrics;
};

const operation_shape &shape_of(const std::string &operation) {
  static const operation_shape gemm{
      {},
      {{"passed", k_bool}, {"summary", k_str}, {"rows_checked", k_int}, {"rows_failed", k_int}},
      {{"gflops_median", k_num},
       {"gflops_ci_low", k_num},
       {"gflops_ci_high", k_num},
       {"efficiency_rated", k_num | k_null},
       {"efficiency_measured", k_num | k_null},
       {"efficiency_vs_gemm", k_num | k_null}}};
  static const operation_shape attention{{{"batch", k_int},
                                          {"seq_q", k_int},
                                          {"seq_kv", k_int},
                                          {"heads_q", k_int},
                                          {"heads_kv", k_int},
                                          {"head_dim_qk", k_int},
                                          {"causal", k_bool}},
                                         gemm.verification,
                                         gemm.metrics};
  static const operation_shape collective{{{"op", k_str},
                                           {"dtype", k_str},
                                           {"reduction", k_str | k_null},
                                           {"in_place", k_bool},
                                           {"root", k_int},
                                           {"ranks", k_int},
                                           {"bytes_requested", k_uint},
                                           {"bytes", k_uint},
                                           {"count", k_uint},
                                           {"send_elements", k_uint},
                                           {"recv_elements", k_uint},
                                           {"busbw_factor", k_num},
                                           {"busbw_factor_formula", k_str}},
                                          {{"passed", k_bool},
                                           {"method", k_str},
                                           {"summary", k_str},
                                           {"samples_checked", k_uint},
                                           {"elements_checked", k_uint},
                                           {"wrong_elements", k_uint},
                                           {"ranks_wrong", k_arr},
                                           {"first_failure", k_str},
                                           {"seconds", k_num}},
                                          {{"bytes", k_uint},
                                           {"time_median_s", k_num},
                                           {"latency_us", k_num},
                                           {"algbw_gbps", k_num},
                                           {"algbw_ci_low_gbps", k_num},
                                           {"algbw_ci_high_gbps", k_num},
                                           {"busbw_factor", k_num},
                                           {"busbw_gbps", k_num},
                                           {"busbw_ci_low_gbps", k_num},
                                           {"busbw_ci_high_gbps", k_num}}};
  return operation == "attention" ? attention : operation == "collective" ? collective : gemm;
}

std::string check_case(const json &c, const std::string &p) {
  auto why = check_fields(c, p,
                          {{"name", k_str},
                           {"operation", k_str},
                           {"parameters", k_obj},
                           {"status", k_str},
                           {"reason", k_str},
                           {"measurement", k_null | k_obj},
                           {"statistics", k_null | k_obj},
                           {"verification", k_null | k_obj},
                           {"metrics", k_null | k_obj}});
  if (!why.empty()) {
    return why;
  }
  const std::string operation = c["operation"];
  if (operation != "gemm" && operation != "attention" && operation != "collective") {
    return p + ".operation: '" + operation + "' is not gemm, attention or collective";
  }
  const auto &shape = shape_of(operation);
  if (!(why = check_fields(c["parameters"], p + ".parameters", shape.parameters)).empty()) {
    return why;
  }
  if (operation == "collective" &&
      !(why = check_fields(c, p, {{"ranks", k_int}, {"note", k_str}})).empty()) {
    return why;
  }
  const std::string status = c["status"];
  if (status != "pass" && status != "fail" && status != "unsupported" && status != "error") {
    return p + ".status: '" + status + "' is not pass, fail, unsupported or error";
  }
  if (status == "pass" && !c["metrics"].is_object()) {
    return p + ".metrics: a passed case must carry its metrics";
  }
  if (status != "pass" && !c["metrics"].is_null()) {
    return p + ".metrics: only passed cases may carry figures";
  }
  if (c["measurement"].is_object() &&
      !(why = check_fields(c["measurement"], p + ".measurement",
                           {{"converged", k_bool}, {"stop_reason", k_str}, {"samples_s", k_arr}}))
           .empty()) {
    return why;
  }
  if (c["statistics"].is_object()) {
    if (!(why = check_fields(c["statistics"], p + ".statistics", {{"time_s", k_obj}})).empty() ||
        !(why = check_fields(c["statistics"]["time_s"], p + ".statistics.time_s",
                             {{"count", k_int}, {"median", k_num}}))
             .empty()) {
      return why;
    }
  }
  if (c["verification"].is_object() &&
      !(why = check_fields(c["verification"], p + ".verification", shape.verification)).empty()) {
    return why;
  }
  if (c["metrics"].is_object()) {
    return check_fields(c["metrics"], p + ".metrics", shape.metrics);
  }
  return {};
}

// A case of a node: a case like the top-level ones, with the rank and node that ran it.
std::string check_node_case(const json &c, const std::string &p) {
  auto why = check_case(c, p);
  return why.empty() ? check_fields(c, p, {{"rank", k_int}, {"node", k_int}}) : why;
}

std::string check_peak(const json &pk, const std::string &p) {
  auto why = check_fields(pk, p,
                          {{"dtype", k_str},
                           {"rated", k_null | k_obj},
                           {"rated_reason", k_str},
                           {"measured", k_null | k_obj}});
  for (const char *key : {"rated", "measured"}) {
    if (why.empty() && pk[key].is_object()) {
      why = check_fields(pk[key], p + "." + key, {{"gflops", k_num}, {"source", k_str}});
    }
  }
  return why;
}

std::string check_backend(const json &b, const std::string &p) {
  if (auto why = check_fields(b, p, {{"name", k_str}, {"devices", k_arr}}); !why.empty()) {
    return why;
  }
  return check_items(b["devices"], p + ".devices", [](const json &d, const std::string &dp) {
    return check_fields(d, dp, {{"index", k_int}, {"model", k_str}, {"compute_units", k_int}});
  });
}

std::string check_counts(const json &totals, const std::string &p) {
  return check_fields(totals, p,
                      {{"cases", k_int},
                       {"passed", k_int},
                       {"failed", k_int},
                       {"unsupported", k_int},
                       {"errors", k_int}});
}

std::string check_device_sums(const json &sums, const std::string &p) {
  return check_items(sums, p, [](const json &s, const std::string &sp) {
    return check_fields(s, sp,
                        {{"case", k_str},
                         {"operation", k_str},
                         {"devices", k_int},
                         {"verified_devices", k_int},
                         {"sum_verified_gflops_median", k_num}});
  });
}

std::string check_node(const json &n, const std::string &p) {
  auto why = check_fields(n, p,
                          {{"index", k_int},
                           {"host", k_str},
                           {"ranks", k_arr},
                           {"system", k_obj | k_null},
                           {"backends", k_arr},
                           {"peaks", k_arr},
                           {"cases", k_arr},
                           {"totals", k_obj}});
  if (why.empty()) {
    why = check_items(n["ranks"], p + ".ranks", [](const json &r, const std::string &rp) {
      return r.is_number_integer() ? std::string()
                                   : rp + ": has the wrong type (" + r.type_name() + ")";
    });
  }
  if (why.empty()) {
    why = check_items(n["backends"], p + ".backends", check_backend);
  }
  if (why.empty()) {
    why = check_items(n["peaks"], p + ".peaks", [](const json &pk, const std::string &pp) {
      auto w = check_peak(pk, pp);
      return w.empty() ? check_fields(pk, pp, {{"rank", k_int}}) : w;
    });
  }
  if (why.empty()) {
    why = check_items(n["cases"], p + ".cases", check_node_case);
  }
  if (why.empty()) {
    why = check_counts(n["totals"], p + ".totals");
  }
  if (why.empty()) {
    why = check_fields(n["totals"], p + ".totals", {{"sum_of_verified_device_medians", k_arr}});
  }
  if (why.empty()) {
    why = check_device_sums(n["totals"]["sum_of_verified_device_medians"],
                            p + ".totals.sum_of_verified_device_medians");
  }
  return why;
}

// The parts only a cluster report has: its job layout, its nodes and the cluster totals.
std::string check_cluster(const json &r) {
  auto why = check_fields(r, "report", {{"cluster", k_obj}, {"nodes", k_arr}});
  if (why.empty()) {
    why = check_fields(r["cluster"], "report.cluster",
                       {{"ranks", k_int},
                        {"nodes", k_int},
                        {"launcher", k_str},
                        {"timeout_s", k_num},
                        {"layout", k_arr}});
  }
  if (why.empty()) {
    why = check_items(r["cluster"]["layout"], "report.cluster.layout",
                      [](const json &l, const std::string &lp) {
                        return check_fields(l, lp,
                                            {{"rank", k_int},
                                             {"node", k_int},
                                             {"local_rank", k_int},
                                             {"host", k_str},
                                             {"device", k_int},
                                             {"device_cases", k_bool}});
                      });
  }
  if (why.empty()) {
    why = check_items(r["nodes"], "report.nodes", check_node);
  }
  if (why.empty()) {
    why = check_fields(r["totals"], "report.totals", {{"cluster", k_obj}});
  }
  if (why.empty()) {
    why = check_fields(r["totals"]["cluster"], "report.totals.cluster",
                       {{"nodes", k_int},
                        {"ranks", k_int},
                        {"sum_of_verified_device_medians", k_arr},
                        {"collective_sweeps", k_arr}});
  }
  if (why.empty()) {
    why = check_device_sums(r["totals"]["cluster"]["sum_of_verified_device_medians"],
                            "report.totals.cluster.sum_of_verified_device_medians");
  }
  if (why.empty()) {
    why = check_items(r["totals"]["cluster"]["collective_sweeps"],
                      "report.totals.cluster.collective_sweeps",
                      [](const json &s, const std::string &sp) {
                        return check_fields(s, sp,
                                            {{"sweep", k_str},
                                             {"op", k_str},
                                             {"dtype", k_str},
                                             {"sizes", k_int},
                                             {"passed", k_int},
                                             {"plateau_busbw_gbps", k_num | k_null},
                                             {"latency_us", k_num | k_null}});
                      });
  }
  return why;
}

// The optional "challenge" and "claims" fields: null, absent, or of their documented shape.
std::string check_challenge_and_claims(const json &r) {
  std::string why;
  if (const auto c = r.find("challenge"); c != r.end() && !c->is_null()) {
    why = check_fields(*c, "report.challenge",
                       {{"envelope", k_obj}, {"nonce", k_str}, {"platform_keyid", k_str}});
  }
  if (const auto c = r.find("claims"); why.empty() && c != r.end() && !c->is_null()) {
    why = check_fields(*c, "report.claims",
                       {{"schema", k_str},
                        {"file_sha256", k_str},
                        {"provider", k_str},
                        {"cluster", k_str},
                        {"nodes", k_int},
                        {"devices", k_arr}});
    if (why.empty()) {
      why = check_items(
          (*c)["devices"], "report.claims.devices", [](const json &d, const std::string &dp) {
            return check_fields(
                d, dp, {{"model", k_str}, {"count_per_node", k_int}, {"dense_tflops", k_obj}});
          });
    }
  }
  return why;
}

} // namespace

std::string report_shape_problem(const json &r) {
  auto why = check_fields(r, "report",
                          {{"schema", k_str},
                           {"created", k_str},
                           {"tool", k_obj},
                           {"suite", k_obj},
                           {"backends", k_arr},
                           {"peaks", k_arr},
                           {"cases", k_arr},
                           {"totals", k_obj}});
  if (!why.empty()) {
    return why;
  }
  if (r["schema"] != report_schema_id) {
    return "report.schema: '" + r["schema"].get<std::string>() + "' is not " + report_schema_id;
  }
  if (!(why = check_fields(r["tool"], "report.tool", {{"version", k_str}, {"git_commit", k_str}}))
           .empty() ||
      !(why = check_fields(r["suite"], "report.suite", {{"name", k_str}, {"sha256", k_str}}))
           .empty() ||
      !(why = check_counts(r["totals"], "report.totals")).empty() ||
      !(why = check_items(r["backends"], "report.backends", check_backend)).empty() ||
      !(why = check_items(r["peaks"], "report.peaks", check_peak)).empty() ||
      !(why = check_items(r["cases"], "report.cases", check_case)).empty() ||
      !(why = check_challenge_and_claims(r)).empty()) {
    return why;
  }
  if (r.contains("cluster") || r.contains("nodes")) {
    return check_cluster(r);
  }
  return {};
}

} // namespace suanli::reports
