#pragma once
// Data records the chart printers consume: what to draw, with units, and nothing about how.

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace suanli::render {

/// One measured point: x and y in the axes' units, and the case it came from.
struct point {
  double x = 0;      ///< in the x axis' unit
  double y = 0;      ///< in the y axis' unit
  std::string label; ///< the case name
};

/// A named line of points (sorted by x when drawn).
struct series {
  std::string name;          ///< legend text, e.g. "bf16" or "all_reduce fp32"
  std::vector<point> points; ///< the points
};

/// One axis: label, unit (shown in the label and used to format tick labels) and scale.
struct axis {
  std::string label; ///< e.g. "message size"
  std::string unit;  ///< e.g. "B", "GB/s", "%", "us"
  bool log = false;  ///< logarithmic scale (base 10)
};

/// An x-y chart of series.
struct line_chart {
  std::string id;            ///< stable id, e.g. "gemm-throughput" (element ids, tests)
  std::string title;         ///< heading
  axis x, y;                 ///< axes
  std::vector<series> lines; ///< series in legend order
  std::string note;          ///< one line under the chart (what is counted, what is left out)
};

/// One bar: a named value with its source.
struct bar {
  std::string name;   ///< "rated", "claimed", "max achievable", "delivered", "database"
  double value = 0;   ///< in the chart's unit
  std::string source; ///< where the value comes from (tooltip)
};

/// Bars side by side for one group (a dtype).
struct bar_group {
  std::string name;      ///< e.g. "fp32"
  std::vector<bar> bars; ///< the bars present for this group
};

/// A grouped bar chart.
struct bar_chart {
  std::string id;                ///< stable id
  std::string title;             ///< heading
  std::string unit;              ///< value unit, e.g. "GFLOP/s"
  std::vector<bar_group> groups; ///< groups in order
  std::string note;              ///< one line under the chart
};

/// A matrix of values, rows by columns; NaN where a cell has no value.
struct heat_map {
  std::string id;                         ///< stable id
  std::string title;                      ///< heading
  std::string unit;                       ///< unit of the values
  std::vector<std::string> rows;          ///< row labels (nodes)
  std::vector<std::string> columns;       ///< column labels (cases)
  std::vector<std::vector<double>> cells; ///< [row][column], NaN: no value
  std::string note;                       ///< how cells are coloured
};

/// The line charts of a report, one per rule of the per-operation table (GEMM throughput and
/// efficiency vs size, attention throughput vs sequence length, collective busbw and latency vs
/// message size); a chart with no passed case is left out.
[[nodiscard]] std::vector<line_chart> line_charts(const nlohmann::json &report);

/// With a suanli.certification.v1 section listing GEMM cases: rated / claimed / max-achievable /
/// delivered median / delivered CI-low TFLOP/s per GEMM case, from that section (a case run on
/// several devices: the device with the lowest delivered median). Otherwise rated / database /
/// claimed / max-achievable / delivered GFLOP/s per dtype, from the report's peak records,
/// claims and passed GEMM cases; no groups when the report has neither.
[[nodiscard]] bar_chart peak_bars(const nlohmann::json &report);

/// A cluster report's per-device cases: rows = node and device, columns = cases, cells = GFLOP/s
/// medians (passed cases only); no rows for a single-node report.
[[nodiscard]] heat_map node_heat_map(const nlohmann::json &report);

/// The report's per-device cases: "cases" of a single-node report; of a cluster report, the
/// collective "cases" followed by the first node's per-device cases.
[[nodiscard]] std::vector<nlohmann::json> chart_cases(const nlohmann::json &report);

} // namespace suanli::render
