#pragma once
// The auditor: streams report files through the rule table (in parallel), keeping only the
// findings and the small records the cross-report rules need.

#include <audit/finding.hpp>
#include <audit/rules.hpp>

#include <string>
#include <vector>

namespace suanli::audit {

/// The outcome of an audit.
struct audit_result {
  std::vector<finding> findings; ///< per report in command-line order, then cross-report ones
  size_t reports = 0;            ///< reports audited

  /// Number of findings of a severity.
  [[nodiscard]] size_t count(severity level) const;
};

/// The shipped suites' digests (suite_digests and shipped_suites of audit_options), from
/// bench::available_suites().
void add_shipped_suites(audit_options &options);

/// Audits one report: every per-report rule; `record` receives what the cross-report rules need.
/// Throws bench::error (exit 2) naming the file when it is not a report (unreadable, not a DSSE
/// envelope, or not an in-toto Statement of a suanli report).
[[nodiscard]] std::vector<finding>
audit_report(const std::string &file, const audit_options &options, report_record &record);

/// Audits every file on `threads` threads, then runs the cross-report rules. Payloads are
/// dropped as soon as their report is audited. Throws bench::error (exit 2) for the first file
/// (in order) that is not a report.
[[nodiscard]] audit_result audit_files(const std::vector<std::string> &files,
                                       const audit_options &options, unsigned threads);

} // namespace suanli::audit
