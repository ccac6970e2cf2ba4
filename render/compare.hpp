#pragma once
// Comparing reports case by case: the first report is the baseline A, each other one is B.

#include <render/compare_stats.hpp>
#include <render/report_input.hpp>

#include <string>
#include <vector>

namespace suanli::render {

/// One report's side of a matched case.
struct case_side {
  bool present = false;      ///< the report has the case
  std::string status;        ///< its status ("pass", "fail", ...)
  double median_s = 0;       ///< median sample time [s] (NaN without samples)
  std::string headline;      ///< its headline figure with unit
  std::vector<double> times; ///< raw per-sample times [s]
};

/// A report B against the baseline A for one case.
struct case_delta {
  bool computed = false;    ///< both sides passed with at least 2 samples
  double median_ratio = 0;  ///< median time B / median time A
  ratio_interval ci;        ///< the ratio and its 95% bootstrap CI (fixed seed)
  u_test test;              ///< Mann–Whitney U of B's times against A's
  bool significant = false; ///< p < 0.05 and the CI excludes 1
};

/// A case present in at least two reports.
struct compared_case {
  std::string name;               ///< case id
  std::vector<case_side> sides;   ///< one per report, in command-line order
  std::vector<case_delta> deltas; ///< one per report after the first (against the first)
};

/// The whole comparison.
struct comparison {
  std::vector<std::string> reports; ///< report paths, the first is the baseline
  std::vector<std::string> suites;  ///< each report's suite name
  std::vector<compared_case> cases; ///< cases in at least two reports, first seen order
  std::vector<double> geomean;      ///< per B: geometric mean of computed ratios
  std::vector<size_t> computed;     ///< per B: how many ratios the geomean covers
  std::vector<std::pair<std::string, size_t>> only_in; ///< case present in one report, its index
};

/// Matches cases by id across the reports and computes medians, ratios, CIs and tests.
[[nodiscard]] comparison compare_reports(const std::vector<report_input> &reports);

/// The comparison as plain text (stdout).
[[nodiscard]] std::string compare_text(const comparison &c);
/// The comparison as Markdown.
[[nodiscard]] std::string compare_markdown(const comparison &c);
/// The comparison as a self-contained HTML page with a ratio chart (log scale, CI whiskers).
[[nodiscard]] std::string compare_html(const comparison &c);

} // namespace suanli::render
