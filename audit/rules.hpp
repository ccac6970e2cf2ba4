#pragma once
// The audit rules as a table: one row per rule with its stable id, severity, what it checks and
// the function that checks it. Per-report rules see one decoded report; cross-report rules see
// only the small per-report records (identities, challenge nonces) that the auditor keeps while
// streaming.

#include <audit/finding.hpp>

#include <bench/measure_policy.hpp>
#include <bench/stats.hpp>
#include <bench/suite_criteria.hpp>

#include <devices/database.hpp>
#include <reports/dsse.hpp>
#include <reports/keys.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace suanli::audit {

/// What the auditor trusts and knows, shared by every report.
struct audit_options {
  std::vector<reports::public_key> trusted;          ///< provider keys a report may be signed by
  std::optional<reports::public_key> platform;       ///< the platform's challenge key, if given
  std::shared_ptr<const devices::database> database; ///< rated peaks; null: plausibility skipped
  std::map<std::string, std::string> suite_digests;  ///< SHA-256 -> name of every shipped suite
  std::map<std::string, std::string> shipped_suites; ///< name -> SHA-256 of every shipped suite
  /// SHA-256 of a shipped suite -> case name -> the case's measurement policy.
  std::map<std::string, std::map<std::string, bench::measure_policy>> suite_policies;
  /// SHA-256 of a shipped certification suite -> its [certify] criteria.
  std::map<std::string, bench::certify_criteria> suite_criteria;
};

/// One case of a report, decoded once for every rule.
struct case_view {
  const nlohmann::json *c = nullptr;      ///< the case
  const nlohmann::json *holder = nullptr; ///< the object listing it: the report or its node
  std::string where;                      ///< "case NAME" or "node I case NAME"
  std::vector<double> samples;            ///< raw sample times [s] (empty: not measured)
  std::optional<bench::summary> time;     ///< summary of the raw samples, when measured
};

/// The cases of a report: its own "cases" ("case NAME": a single-node report's, or a cluster
/// report's collectives), then each node's ("node I case NAME").
[[nodiscard]] std::vector<case_view> case_views(const nlohmann::json &report);

/// One report as the per-report rules see it.
struct report_input {
  const std::string &file;                ///< the report file, as named on the command line
  const reports::dsse_envelope &envelope; ///< the envelope as read
  const nlohmann::json &report;           ///< the decoded report payload (the predicate)
  const audit_options &options;           ///< keys, database and known suites
  std::span<const case_view> cases;       ///< case_views(report)
};

/// A device identity seen in a report, with where it was seen.
struct identity {
  std::string kind;  ///< "uuid" or "serial"
  std::string value; ///< the identity
  std::string where; ///< e.g. "node 0 device 1"
};

/// What the cross-report rules keep of one report (no payload).
struct report_record {
  std::string file;                 ///< the report file
  std::vector<identity> identities; ///< every device UUID and serial
  std::string challenge_nonce;      ///< the embedded challenge's nonce ("" when none)
};

/// Collects the findings of one rule: fills in the rule id, severity and report file.
class reporter {
public:
  /// Findings go to `out`, tagged with `rule`, `level` and `file`.
  reporter(std::vector<finding> &out, std::string_view rule, severity level, std::string file)
      : out_(out), rule_(rule), level_(level), file_(std::move(file)) {}
  /// Add a finding; `file` overrides the report file (cross-report rules name their own).
  void add(std::string where, std::string message, std::string recorded = {},
           std::string recomputed = {}, std::string file = {});

private:
  std::vector<finding> &out_;
  std::string_view rule_;
  severity level_;
  std::string file_;
};

/// A per-report check.
using report_check = void (*)(const report_input &, reporter &);
/// A cross-report check over the records of every report.
using cross_check = void (*)(std::span<const report_record>, reporter &);

/// One row of the rule table: exactly one of `check` and `cross` is set.
struct rule {
  std::string_view id;          ///< stable id, e.g. "stats.median_mismatch"
  severity level;               ///< severity of its findings
  std::string_view what;        ///< what it checks, one line
  report_check check = nullptr; ///< per-report function
  cross_check cross = nullptr;  ///< cross-report function
};

/// Every rule, in the order they run and are listed.
[[nodiscard]] std::span<const rule> rule_table();

/// The record the cross-report rules keep of one report.
[[nodiscard]] report_record make_record(const std::string &file, const nlohmann::json &report);

/// Calls fn(view) for every case of the report (in.cases).
void for_each_case(const report_input &in, const std::function<void(const case_view &)> &fn);

/// The device entry of a case's backend (the holder's backends[].devices[] by the case's
/// backend and device index); nullptr when the report does not list it.
[[nodiscard]] const nlohmann::json *case_device(const case_view &v);

/// A number as text with 17 significant digits (evidence).
[[nodiscard]] std::string number_text(double value);

/// True when a and b agree within relative tolerance `rel` (1e-9 by default).
[[nodiscard]] bool close(double a, double b, double rel = 1e-9);

// Rule functions, by group (one file each); each checks the rule of the table row naming it.
/// Checks rule "signature.untrusted".
void check_signature_trusted(const report_input &in, reporter &out);
/// Checks rule "schema.invalid".
void check_schema(const report_input &in, reporter &out);
/// Checks rule "stats.median_mismatch".
void check_median(const report_input &in, reporter &out);
/// Checks rule "stats.ci_mismatch".
void check_ci(const report_input &in, reporter &out);
/// Checks rule "stats.summary_mismatch".
void check_other_stats(const report_input &in, reporter &out);
/// Checks rule "samples.below_suite_minimum".
void check_samples_minimum(const report_input &in, reporter &out);
/// Checks rule "samples.sampled_time_mismatch".
void check_sampled_time(const report_input &in, reporter &out);
/// Checks rule "verification.missing_or_failed".
void check_verification(const report_input &in, reporter &out);
/// Checks rule "metrics.gflops_mismatch".
void check_gflops(const report_input &in, reporter &out);
/// Checks rule "metrics.busbw_mismatch".
void check_busbw(const report_input &in, reporter &out);
/// Checks rule "plausibility.above_rated_peak".
void check_above_rated_peak(const report_input &in, reporter &out);
/// Checks rule "plausibility.bandwidth_above_link".
void check_bandwidth_above_link(const report_input &in, reporter &out);
/// Checks rule "plausibility.impossible_clock".
void check_clock(const report_input &in, reporter &out);
/// Checks rule "suite.unknown_digest".
void check_suite_unknown(const report_input &in, reporter &out);
/// Checks rule "suite.edited".
void check_suite_edited(const report_input &in, reporter &out);
/// Checks rule "samples.policy_mismatch".
void check_policy(const report_input &in, reporter &out);
/// Checks rule "challenge.bad_signature".
void check_challenge_signature(const report_input &in, reporter &out);
/// Checks rule "challenge.not_checked".
void check_challenge_unchecked(const report_input &in, reporter &out);
/// Checks rule "challenge.nonce_mismatch".
void check_challenge_nonce(const report_input &in, reporter &out);
/// Checks rule "challenge.outside_validity".
void check_challenge_window(const report_input &in, reporter &out);
/// Checks rule "seeds.not_from_nonce".
void check_seeds(const report_input &in, reporter &out);
/// Checks rule "challenge.scope_mismatch".
void check_challenge_scope(const report_input &in, reporter &out);
/// Checks rule "claims.cluster_below_claim".
void check_claims_cluster(const report_input &in, reporter &out);
/// Checks rule "certification.recompute".
void check_certification(const report_input &in, reporter &out);
/// Checks rule "duplicate.device_identity".
void check_duplicate_identity(std::span<const report_record> records, reporter &out);
/// Checks rule "challenge.replayed".
void check_challenge_replayed(std::span<const report_record> records, reporter &out);

} // namespace suanli::audit
