#include <audit/rules.hpp>

#include <cmath>
#include <cstdio>

namespace suanli::audit {

using nlohmann::json;

void reporter::add(std::string where, std::string message, std::string recorded,
                   std::string recomputed, std::string file) {
  out_.push_back({std::string(rule_), level_, file.empty() ? file_ : std::move(file),
                  std::move(where), std::move(message), std::move(recorded),
                  std::move(recomputed)});
}

std::span<const rule> rule_table() {
  static const rule table[] = {
      {"signature.untrusted", severity::error,
       "the envelope carries a valid signature by one of the trusted provider keys",
       check_signature_trusted},
      {"schema.invalid", severity::error,
       "the payload is a well-formed suanli report (statement digest and report shape)",
       check_schema},
      {"stats.median_mismatch", severity::error,
       "the recorded median equals the median of the raw samples", check_median},
      {"stats.ci_mismatch", severity::error,
       "the recorded CI of the median equals the order-statistic CI of the raw samples", check_ci},
      {"stats.summary_mismatch", severity::error,
       "count, min, max, p5, p95, mean, stddev and cov equal those of the raw samples",
       check_other_stats},
      {"samples.below_suite_minimum", severity::error,
       "sample count and sampled time meet the case's policy unless the time cap was hit",
       check_samples_minimum},
      {"samples.sampled_time_mismatch", severity::error,
       "the recorded sampled time equals the sum of the raw samples times the batch",
       check_sampled_time},
      {"verification.missing_or_failed", severity::error,
       "every passed case has a verification outcome that passed", check_verification},
      {"metrics.gflops_mismatch", severity::error,
       "GFLOP/s equal the convention's FLOPs from the parameters over the median time",
       check_gflops},
      {"metrics.busbw_mismatch", severity::error,
       "collective algbw and busbw equal bytes / median time (times the op's factor)", check_busbw},
      {"plausibility.above_rated_peak", severity::error,
       "delivered GFLOP/s do not exceed the device database's rated peak", check_above_rated_peak},
      {"plausibility.bandwidth_above_link", severity::warning,
       "collective busbw does not exceed the device entry's link bandwidth",
       check_bandwidth_above_link},
      {"plausibility.impossible_clock", severity::warning,
       "device clocks are above 0, at most 10 GHz, and current <= max", check_clock},
      {"suite.unknown_digest", severity::warning, "the suite digest is that of a shipped suite",
       check_suite_unknown},
      {"suite.edited", severity::error,
       "a suite named like a shipped one has the shipped suite's digest", check_suite_edited},
      {"samples.policy_mismatch", severity::error,
       "a shipped suite's cases carry that suite's measurement policy and exist in it",
       check_policy},
      {"challenge.bad_signature", severity::error,
       "the embedded challenge verifies against the platform key", check_challenge_signature},
      {"challenge.not_checked", severity::warning,
       "a challenge is present but no --platform-key was given", check_challenge_unchecked},
      {"challenge.nonce_mismatch", severity::error, "the run's nonce equals the challenge's nonce",
       check_challenge_nonce},
      {"challenge.outside_validity", severity::error,
       "the report was created within the challenge's [issued, expires]", check_challenge_window},
      {"challenge.scope_mismatch", severity::error,
       "the claims' provider and cluster are the challenge's scope", check_challenge_scope},
      {"seeds.not_from_nonce", severity::error,
       "every GEMM and attention input seed derives from run.nonce", check_seeds},
      {"claims.cluster_below_claim", severity::warning,
       "delivered cluster GEMM totals reach the claimed cluster PFLOP/s per dtype",
       check_claims_cluster},
      {"certification.recompute", severity::error,
       "a certification suite's report carries the verdict, reasons, figures and capacity its "
       "suite's [certify] criteria give",
       check_certification},
      {"duplicate.device_identity", severity::error,
       "no device UUID or serial appears in more than one report or node", nullptr,
       check_duplicate_identity},
      {"challenge.replayed", severity::error, "no challenge nonce is used by more than one report",
       nullptr, check_challenge_replayed},
  };
  return table;
}

namespace {

const json *find_device(const json &holder, const json &c) {
  const auto backends = holder.find("backends");
  if (backends == holder.end() || !backends->is_array()) {
    return nullptr;
  }
  const auto backend = c.value("backend", std::string());
  const auto index = c.value("device", -1);
  for (const auto &b : *backends) {
    if (b.value("name", std::string()) != backend || !b.contains("devices")) {
      continue;
    }
    for (const auto &d : b["devices"]) {
      if (d.value("index", -2) == index) {
        return &d;
      }
    }
  }
  return nullptr;
}

void add_identities(const json &holder, const std::string &prefix, report_record &r) {
  const auto backends = holder.find("backends");
  if (backends == holder.end() || !backends->is_array()) {
    return;
  }
  for (const auto &b : *backends) {
    if (!b.contains("devices") || !b["devices"].is_array()) {
      continue;
    }
    for (const auto &d : b["devices"]) {
      const auto where = prefix + "device " + std::to_string(d.value("index", -1)) + " (" +
                         b.value("name", std::string()) + ")";
      for (const char *kind : {"uuid", "serial"}) {
        const auto v = d.value(kind, std::string());
        if (!v.empty()) {
          r.identities.push_back({kind, v, where});
        }
      }
    }
  }
}

} // namespace

std::vector<case_view> case_views(const json &report) {
  std::vector<case_view> out;
  const auto add = [&](const json &holder, const std::string &prefix) {
    const auto it = holder.find("cases");
    if (it == holder.end() || !it->is_array()) {
      return;
    }
    for (const auto &c : *it) {
      case_view v{&c, &holder, prefix + "case " + c.value("name", std::string("?")), {}, {}};
      const auto m = c.find("measurement");
      if (m != c.end() && m->is_object()) {
        const auto s = m->find("samples_s");
        if (s != m->end() && s->is_array() && !s->empty()) {
          v.samples = s->get<std::vector<double>>();
          v.time = bench::summarize(v.samples);
        }
      }
      out.push_back(std::move(v));
    }
  };
  add(report, "");
  if (const auto nodes = report.find("nodes"); nodes != report.end() && nodes->is_array()) {
    for (const auto &n : *nodes) {
      add(n, "node " + std::to_string(n.value("index", -1)) + " ");
    }
  }
  return out;
}

void for_each_case(const report_input &in, const std::function<void(const case_view &)> &fn) {
  for (const auto &v : in.cases) {
    fn(v);
  }
}

const json *case_device(const case_view &v) {
  return find_device(*v.holder, *v.c);
}

report_record make_record(const std::string &file, const json &report) {
  report_record r{file, {}, {}};
  if (const auto nodes = report.find("nodes"); nodes != report.end() && nodes->is_array()) {
    for (const auto &n : *nodes) {
      add_identities(n, "node " + std::to_string(n.value("index", -1)) + " ", r);
    }
  } else {
    add_identities(report, "", r);
  }
  const auto ch = report.find("challenge");
  if (ch != report.end() && ch->is_object() && (*ch)["nonce"].is_string()) {
    r.challenge_nonce = (*ch)["nonce"].get<std::string>();
  }
  return r;
}

std::string number_text(double value) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", value);
  return buf;
}

bool close(double a, double b, double rel) {
  if (a == b) {
    return true;
  }
  return std::fabs(a - b) <= rel * std::max(std::fabs(a), std::fabs(b));
}

} // namespace suanli::audit
