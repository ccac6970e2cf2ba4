#pragma once
// Sections of the HTML report page (html_page.cpp assembles them).

#include <render/report_input.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace suanli::render {

/// The inline stylesheet (screen and @media print).
[[nodiscard]] std::string page_css();

/// The verdict banner: certification object when present (with per-node verdicts and capacity),
/// else signature state and verified-case count.
[[nodiscard]] std::string html_banner(const report_input &in);

/// System inventory: host, CPU, memory, OS, virtualization, backends, devices and libraries (for
/// a cluster report, one block per node).
[[nodiscard]] std::string html_inventory(const nlohmann::json &report);

/// The cases as a table: status, median time, rate or bandwidth with CI and unit, efficiency.
[[nodiscard]] std::string html_cases(const std::vector<nlohmann::json> &cases);

/// Totals, the verification methods per operation and every case that did not pass.
[[nodiscard]] std::string html_verification(const nlohmann::json &report,
                                            const std::vector<nlohmann::json> &cases);

/// The report's convention ids with their text, and the units used on the page.
[[nodiscard]] std::string html_conventions(const nlohmann::json &report);

/// A <table> from a header row and rows of cells (all escaped here).
[[nodiscard]] std::string html_table(const std::vector<std::string> &header,
                                     const std::vector<std::vector<std::string>> &rows,
                                     const std::string &css_class = "");

/// One case's headline figure with unit ("31.7 GFLOP/s", "busbw 1.62 GB/s"), or "-".
[[nodiscard]] std::string headline(const nlohmann::json &c);

/// A case's 95% CI of its headline figure with unit, or "-".
[[nodiscard]] std::string headline_ci(const nlohmann::json &c);

/// Counts of a report: cases, passed (verified), failed, unsupported, errors.
struct case_counts {
  long long cases = 0, passed = 0, failed = 0, unsupported = 0, errors = 0; ///< counts
};
/// The report's totals.
[[nodiscard]] case_counts counts_of(const nlohmann::json &report);

} // namespace suanli::render
