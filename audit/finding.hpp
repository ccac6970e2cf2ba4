#pragma once
// One result of an audit rule: which rule, how bad, where, and the evidence.

#include <string>
#include <string_view>

namespace suanli::audit {

/// How much a finding matters: errors make `suanli audit` exit 1.
enum class severity { error, warning, info };

/// Lower-case spelling of a severity ("error", "warning", "info").
[[nodiscard]] constexpr std::string_view name(severity s) noexcept {
  switch (s) {
  case severity::error: return "error";
  case severity::warning: return "warning";
  case severity::info: return "info";
  }
  return "unknown";
}

/// What one rule found in one report, case or node.
struct finding {
  std::string rule;                 ///< stable rule id, e.g. "stats.median_mismatch"
  severity level = severity::error; ///< the rule's severity
  std::string report;               ///< the report file
  std::string where;                ///< the case, node or field ("" for the report as a whole)
  std::string message;              ///< one line: what is wrong
  std::string recorded;             ///< the value the report states ("" when none applies)
  std::string recomputed;           ///< the value the auditor computed ("" when none applies)
};

} // namespace suanli::audit
