#pragma once
// The printers of one report: a self-contained HTML page, Markdown, CSV.

#include <render/report_input.hpp>

#include <string>

namespace suanli::render {

/// A self-contained XHTML-compatible HTML5 page (inline CSS and SVG, no script, no fetch):
/// verdict banner, inventory, charts, per-node heat map (cluster reports), cases, verification,
/// conventions and units. Every text from the report is escaped.
[[nodiscard]] std::string html_report(const report_input &in);

/// The same content as Markdown: banner, inventory, cases table, verification, conventions.
[[nodiscard]] std::string markdown_report(const report_input &in);

/// One CSV row per case (per node for a cluster's per-device cases), with a header row whose
/// column names carry units.
[[nodiscard]] std::string csv_report(const report_input &in);

/// The banner line without markup: certification verdict if the report has one, else the
/// signature state and "verified N of M cases".
[[nodiscard]] std::string banner_text(const report_input &in);

} // namespace suanli::render
