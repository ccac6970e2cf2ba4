#pragma once
// Inline SVG printers of the chart records (XHTML-compatible markup, no script). Every data mark
// carries class "mark" and data-chart="<chart id>" and a <title> with its value and unit.

#include <render/chart.hpp>

#include <string>

namespace suanli::render {

/// A line chart: axes with ticks and units, one polyline and one circle per point per series,
/// and a legend. The <svg> element has id "chart-<id>".
[[nodiscard]] std::string svg_line_chart(const line_chart &chart);

/// A grouped bar chart with values written above the bars and a legend.
[[nodiscard]] std::string svg_bar_chart(const bar_chart &chart);

/// A heat map: one rect per cell with a value (a "mark"), coloured against its column's best.
[[nodiscard]] std::string svg_heat_map(const heat_map &map);

/// The colour of series `index` (a colour-blind-safe palette, cycled).
[[nodiscard]] const char *series_colour(size_t index);

} // namespace suanli::render
