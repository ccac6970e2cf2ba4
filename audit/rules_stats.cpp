// Rules on the measurement: statistics recomputed from the raw samples, sample counts and
// sampled time against the case's policy, verification outcomes.

#include <audit/rules.hpp>

#include <bench/stats.hpp>

#include <cstdlib>
#include <string_view>
#include <vector>

namespace suanli::audit {
namespace {

using nlohmann::json;

// Calls fn(where, recorded statistics, recomputed summary) for every measured case.
template <class Fn> void each_measured(const report_input &in, Fn fn) {
  for (const auto &v : in.cases) {
    if (!v.time) {
      continue;
    }
    const auto stats = v.c->find("statistics");
    if (stats == v.c->end() || !stats->is_object() || !stats->contains("time_s")) {
      continue;
    }
    fn(v.where, (*stats)["time_s"], *v.time);
  }
}

} // namespace

void check_median(const report_input &in, reporter &out) {
  each_measured(in, [&](const std::string &where, const json &rec, const bench::summary &s) {
    const double median = rec.at("median").get<double>();
    if (!close(median, s.median)) {
      out.add(where, "median time differs from the median of the raw samples", number_text(median),
              number_text(s.median));
    }
  });
}

void check_ci(const report_input &in, reporter &out) {
  each_measured(in, [&](const std::string &where, const json &rec, const bench::summary &s) {
    const double low = rec.at("ci_low").get<double>();
    const double high = rec.at("ci_high").get<double>();
    if (!close(low, s.ci_low) || !close(high, s.ci_high)) {
      out.add(where, "CI of the median differs from the order statistics of the raw samples",
              "[" + number_text(low) + ", " + number_text(high) + "]",
              "[" + number_text(s.ci_low) + ", " + number_text(s.ci_high) + "]");
    }
  });
}

void check_other_stats(const report_input &in, reporter &out) {
  each_measured(in, [&](const std::string &where, const json &rec, const bench::summary &s) {
    const std::pair<std::string_view, double> fields[] = {{"count", static_cast<double>(s.count)},
                                                          {"min", s.min},
                                                          {"max", s.max},
                                                          {"p5", s.p5},
                                                          {"p95", s.p95},
                                                          {"mean", s.mean},
                                                          {"stddev", s.stddev},
                                                          {"cov", s.cov},
                                                          {"ci_level", s.ci_level}};
    for (const auto &[field, value] : fields) {
      const auto it = rec.find(field);
      if (it == rec.end() || !it->is_number()) {
        continue;
      }
      const double recorded = it->get<double>();
      if (!close(recorded, value, 1e-9) && !(std::abs(recorded - value) < 1e-300)) {
        out.add(where, std::string(field) + " differs from that of the raw samples",
                number_text(recorded), number_text(value));
      }
    }
  });
}

void check_samples_minimum(const report_input &in, reporter &out) {
  for_each_case(in, [&](const case_view &v) {
    const json &c = *v.c;
    const std::string &where = v.where;
    const auto &samples = v.samples;
    if (!v.time) {
      return;
    }
    const auto &m = c["measurement"];
    const auto &policy = c.at("policy");
    const auto stop = m.value("stop_reason", std::string());
    if (stop.starts_with("did not converge: time cap")) {
      return; // the policy allows stopping at the cap with fewer samples
    }
    const auto min_samples = policy.value("min_samples", int64_t{0});
    const auto n = static_cast<int64_t>(samples.size());
    // A sample cap ends sampling only once that many samples were taken.
    static constexpr std::string_view cap = "did not converge: sample cap of ";
    if (stop.starts_with(cap) && n >= min_samples &&
        n >= std::strtoll(stop.c_str() + cap.size(), nullptr, 10)) {
      return;
    }
    if (n < min_samples) {
      out.add(where, "fewer samples than the case's policy requires (stop: " + stop + ")",
              std::to_string(n) + " samples", ">= " + std::to_string(min_samples));
      return;
    }
    double sum = 0;
    for (const double t : samples) {
      sum += t;
    }
    const double sampled = sum * static_cast<double>(m.value("batch", int64_t{1}));
    const double min_time = policy.value("min_time_s", 0.0);
    if (sampled < min_time * (1 - 1e-9)) {
      out.add(where, "less sampled time than the case's policy requires",
              number_text(sampled) + " s", ">= " + number_text(min_time) + " s");
    }
  });
}

void check_verification(const report_input &in, reporter &out) {
  for_each_case(in, [&](const case_view &v) {
    const json &c = *v.c;
    const std::string &where = v.where;
    if (c.value("status", std::string()) != "pass") {
      return;
    }
    const auto vit = c.find("verification");
    if (vit == c.end() || !vit->is_object()) {
      out.add(where, "passed case without a verification outcome", "null", "an outcome");
      return;
    }
    const json &ver = *vit;
    if (!ver.value("passed", false)) {
      out.add(where, "passed case whose verification did not pass", "passed: false",
              "passed: true");
      return;
    }
    // The counts behind the outcome must agree with it.
    for (const char *field : {"rows_failed", "elements_failed", "elements_out_of_bounds",
                              "wrong_elements", "ranks_wrong"}) {
      if (ver.contains(field) && ver[field].is_number() && ver[field].get<double>() != 0) {
        out.add(where, std::string("verification marked passed with ") + field + " > 0",
                "passed: true", std::string(field) + " = " + ver[field].dump());
        return;
      }
    }
    if (!ver.value("first_failure", std::string()).empty()) {
      out.add(where, "verification marked passed but records a failure", "passed: true",
              "first_failure: " + ver["first_failure"].get<std::string>());
    }
  });
}

void check_sampled_time(const report_input &in, reporter &out) {
  for_each_case(in, [&](const case_view &v) {
    const auto &c = *v.c;
    const auto &samples = v.samples;
    if (!v.time) {
      return;
    }
    const auto &m = c["measurement"];
    double sum = 0;
    for (const double t : samples) {
      sum += t;
    }
    const double sampled = sum * static_cast<double>(m.value("batch", int64_t{1}));
    const double recorded = m.value("sampled_s", 0.0);
    if (!close(recorded, sampled, 1e-6)) {
      out.add(v.where, "sampled time differs from the sum of the raw samples",
              number_text(recorded) + " s", number_text(sampled) + " s");
    }
  });
}

} // namespace suanli::audit
