// Rules on the suite a report ran and the claims it embeds: suite digest against the shipped
// suites; delivered cluster GEMM totals against the provider's claimed cluster PFLOP/s.

#include <audit/rules.hpp>

#include <algorithm>
#include <map>

namespace suanli::audit {
namespace {

using nlohmann::json;

// Delivered GFLOP/s per GEMM precision: the best GEMM case's sum of verified device medians
// (cluster report totals), or the best verified GEMM case median (single-node report).
std::map<std::string, double> delivered_gflops(const report_input &in) {
  const json &report = in.report;
  std::map<std::string, double> out;
  const auto &totals = report.value("totals", json::object());
  if (report.contains("nodes")) {
    const auto &cluster = totals.value("cluster", json::object());
    for (const auto &s : cluster.value("sum_of_verified_device_medians", json::array())) {
      if (s.value("operation", std::string()) == "gemm") {
        auto &best = out[s.value("precision", std::string())];
        best = std::max(best, s.value("sum_verified_gflops_median", 0.0));
      }
    }
    return out;
  }
  for_each_case(in, [&](const case_view &v) {
    const json &c = *v.c;
    const auto &m = c.value("metrics", json());
    if (c.value("operation", std::string()) == "gemm" &&
        c.value("status", std::string()) == "pass" && m.is_object()) {
      auto &best = out[c["parameters"].value("precision", std::string())];
      best = std::max(best, m.value("gflops_median", 0.0));
    }
  });
  return out;
}

} // namespace

void check_suite_unknown(const report_input &in, reporter &out) {
  const auto &suite = in.report.at("suite");
  const auto sha = suite.value("sha256", std::string());
  const auto name = suite.value("name", std::string());
  if (in.options.suite_digests.contains(sha) || in.options.shipped_suites.contains(name)) {
    return; // known, or named like a shipped suite (suite.edited decides)
  }
  out.add("suite", "suite '" + name + "' is not a shipped suite", sha, "a shipped suite's digest");
}

void check_suite_edited(const report_input &in, reporter &out) {
  const auto &suite = in.report.at("suite");
  const auto sha = suite.value("sha256", std::string());
  const auto name = suite.value("name", std::string());
  const auto it = in.options.shipped_suites.find(name);
  if (it != in.options.shipped_suites.end() && it->second != sha &&
      !in.options.suite_digests.contains(sha)) {
    out.add("suite", "suite '" + name + "' differs from the shipped suite of that name", sha,
            it->second);
  }
}

void check_claims_cluster(const report_input &in, reporter &out) {
  const auto it = in.report.find("claims");
  if (it == in.report.end() || !it->is_object()) {
    return;
  }
  const auto &claimed = it->value("cluster_pflops", json::object());
  if (!claimed.is_object()) {
    return;
  }
  const auto delivered = delivered_gflops(in);
  for (const auto &[dtype, value] : claimed.items()) {
    if (!value.is_number()) {
      continue;
    }
    const auto d = delivered.find(dtype);
    const double pflops = d == delivered.end() ? 0 : d->second * 1e-6;
    if (pflops < value.get<double>()) {
      out.add("claims.cluster_pflops." + dtype, "delivered cluster rate below the claim",
              number_text(value.get<double>()) + " PFLOP/s claimed",
              number_text(pflops) + " PFLOP/s delivered");
    }
  }
}

void check_policy(const report_input &in, reporter &out) {
  const auto sha = in.report.at("suite").value("sha256", std::string());
  const auto suite = in.options.suite_policies.find(sha);
  if (suite == in.options.suite_policies.end()) {
    return;
  }
  for_each_case(in, [&](const case_view &v) {
    const auto name = v.c->value("name", std::string());
    const auto it = suite->second.find(name);
    if (it == suite->second.end()) {
      out.add(v.where, "case not in the suite the report names", name, "a case of the suite");
      return;
    }
    const auto &p = it->second;
    const auto &rec = v.c->at("policy");
    const std::pair<const char *, double> fields[] = {
        {"warmup_s", p.warmup_s},           {"min_samples", static_cast<double>(p.min_samples)},
        {"min_time_s", p.min_time_s},       {"max_time_s", p.max_time_s},
        {"target_rel_ci", p.target_rel_ci}, {"min_sample_s", p.min_sample_s}};
    for (const auto &[field, value] : fields) {
      const double recorded = rec.at(field).get<double>();
      if (!close(recorded, value)) {
        out.add(v.where, std::string("policy ") + field + " differs from the suite's",
                number_text(recorded), number_text(value));
      }
    }
  });
}

} // namespace suanli::audit
