#include <reports/report_shape.hpp>

#include <reports/report.hpp>

#include <initializer_list>
#include <string_view>
#include <utility>

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
  k_arr = 64
};

bool is(const json &v, unsigned kinds) {
  return ((kinds & k_null) != 0 && v.is_null()) || ((kinds & k_bool) != 0 && v.is_boolean()) ||
         ((kinds & k_int) != 0 && v.is_number_integer()) ||
         ((kinds & k_num) != 0 && v.is_number()) || ((kinds & k_str) != 0 && v.is_string()) ||
         ((kinds & k_obj) != 0 && v.is_object()) || ((kinds & k_arr) != 0 && v.is_array());
}

using field_list = std::initializer_list<std::pair<std::string_view, unsigned>>;

// First field of `obj` (at `path`) that is missing or of another kind.
std::string check_fields(const json &obj, const std::string &path, field_list fields) {
  if (!obj.is_object()) {
    return path + ": expected an object";
  }
  for (const auto &[key, kinds] : fields) {
    const auto it = obj.find(key);
    if (it == obj.end()) {
      return path + "." + std::string(key) + ": missing";
    }
    if (!is(*it, kinds)) {
      return path + "." + std::string(key) + ": has the wrong type (" + it->type_name() + ")";
    }
  }
  return {};
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
  if (c["operation"] == "attention" && !(why = check_fields(c["parameters"], p + ".parameters",
                                                            {{"batch", k_int},
                                                             {"seq_q", k_int},
                                                             {"seq_kv", k_int},
                                                             {"heads_q", k_int},
                                                             {"heads_kv", k_int},
                                                             {"head_dim_qk", k_int},
                                                             {"causal", k_bool}}))
                                            .empty()) {
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
  if (c["verification"].is_object() && !(why = check_fields(c["verification"], p + ".verification",
                                                            {{"passed", k_bool},
                                                             {"summary", k_str},
                                                             {"rows_checked", k_int},
                                                             {"rows_failed", k_int}}))
                                            .empty()) {
    return why;
  }
  if (c["metrics"].is_object()) {
    return check_fields(c["metrics"], p + ".metrics",
                        {{"gflops_median", k_num},
                         {"gflops_ci_low", k_num},
                         {"gflops_ci_high", k_num},
                         {"efficiency_rated", k_num | k_null},
                         {"efficiency_measured", k_num | k_null},
                         {"efficiency_vs_gemm", k_num | k_null}});
  }
  return {};
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
      !(why = check_fields(r["totals"], "report.totals",
                           {{"cases", k_int},
                            {"passed", k_int},
                            {"failed", k_int},
                            {"unsupported", k_int},
                            {"errors", k_int}}))
           .empty()) {
    return why;
  }
  for (size_t i = 0; i < r["backends"].size(); ++i) {
    const std::string p = "report.backends[" + std::to_string(i) + "]";
    if (!(why = check_fields(r["backends"][i], p, {{"name", k_str}, {"devices", k_arr}})).empty()) {
      return why;
    }
    for (size_t d = 0; d < r["backends"][i]["devices"].size(); ++d) {
      if (!(why = check_fields(r["backends"][i]["devices"][d],
                               p + ".devices[" + std::to_string(d) + "]",
                               {{"index", k_int}, {"model", k_str}, {"compute_units", k_int}}))
               .empty()) {
        return why;
      }
    }
  }
  for (size_t i = 0; i < r["peaks"].size(); ++i) {
    if (!(why = check_peak(r["peaks"][i], "report.peaks[" + std::to_string(i) + "]")).empty()) {
      return why;
    }
  }
  for (size_t i = 0; i < r["cases"].size(); ++i) {
    if (!(why = check_case(r["cases"][i], "report.cases[" + std::to_string(i) + "]")).empty()) {
      return why;
    }
  }
  return {};
}

} // namespace suanli::reports
