#pragma once
// Axis scales for the SVG charts: data range to pixels, tick positions and tick labels with units.

#include <string>
#include <vector>

namespace suanli::render {

/// A linear or logarithmic map from a data range to a pixel range.
class scale {
public:
  /// Covers [min_value, max_value] of the data (both > 0 for a log scale), widened to whole
  /// ticks; `unit` "B" uses powers of two; pixels run from px0 to px1 (px1 < px0 for y).
  scale(double min_value, double max_value, bool log, const std::string &unit, double px0,
        double px1);
  /// The pixel position of a data value.
  [[nodiscard]] double operator()(double value) const;
  /// Tick positions in data units, ascending, within the domain.
  [[nodiscard]] const std::vector<double> &ticks() const { return ticks_; }

private:
  double lo_ = 0, hi_ = 1; // domain, data units
  bool log_ = false;
  double px0_ = 0, px1_ = 1;
  std::vector<double> ticks_;
};

/// A tick label carrying its unit: "4 KiB" (B), "10 us", "150 GFLOP/s", "25%", "1024" (counts).
[[nodiscard]] std::string tick_label(double value, const std::string &unit);

} // namespace suanli::render
