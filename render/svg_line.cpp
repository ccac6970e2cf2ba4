#include <render/format.hpp>
#include <render/svg.hpp>
#include <render/svg_scale.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace suanli::render {
namespace {

std::string px(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string axis_title(const axis &a) {
  return a.label + " [" + a.unit + "]";
}

} // namespace

const char *series_colour(size_t index) {
  static constexpr const char *palette[] = {"#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00",
                                            "#56b4e9", "#000000", "#8c564b", "#7f7f7f", "#bcbd22"};
  return palette[index % std::size(palette)];
}

std::string svg_line_chart(const line_chart &c) {
  double x0 = std::numeric_limits<double>::max(), x1 = -x0, y0 = x0, y1 = -x0;
  for (const auto &s : c.lines) {
    for (const auto &p : s.points) {
      x0 = std::min(x0, p.x), x1 = std::max(x1, p.x);
      y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
    }
  }
  const double left = 110, right = 560, top = 20, bottom = 300;
  const double height = std::max(360.0, 40 + 18.0 * static_cast<double>(c.lines.size()));
  const scale sx(x0, x1, c.x.log, c.x.unit, left, right);
  const scale sy(y0, y1, c.y.log, c.y.unit, bottom, top);
  std::string o = "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"chart-" + escape_html(c.id) +
                  "\" class=\"chart\" viewBox=\"0 0 800 " + px(height) +
                  "\" role=\"img\" aria-label=\"" + escape_html(c.title) + "\">\n";
  o += "<rect x=\"" + px(left) + "\" y=\"" + px(top) + "\" width=\"" + px(right - left) +
       "\" height=\"" + px(bottom - top) + "\" class=\"plot\"/>\n";
  for (const double t : sx.ticks()) {
    const auto x = px(sx(t));
    o += "<line class=\"grid\" x1=\"" + x + "\" y1=\"" + px(top) + "\" x2=\"" + x + "\" y2=\"" +
         px(bottom) + "\"/><text class=\"tick\" x=\"" + x + "\" y=\"" + px(bottom + 16) +
         "\" text-anchor=\"middle\">" + escape_html(tick_label(t, c.x.unit)) + "</text>\n";
  }
  for (const double t : sy.ticks()) {
    const auto y = px(sy(t));
    o += "<line class=\"grid\" x1=\"" + px(left) + "\" y1=\"" + y + "\" x2=\"" + px(right) +
         "\" y2=\"" + y + "\"/><text class=\"tick\" x=\"" + px(left - 6) + "\" y=\"" + y +
         "\" dy=\"4\" text-anchor=\"end\">" + escape_html(tick_label(t, c.y.unit)) + "</text>\n";
  }
  o += "<text class=\"axis\" x=\"" + px((left + right) / 2) + "\" y=\"" + px(bottom + 40) +
       "\" text-anchor=\"middle\">" + escape_html(axis_title(c.x)) + (c.x.log ? " (log)" : "") +
       "</text>\n";
  o += "<text class=\"axis\" transform=\"translate(16 " + px((top + bottom) / 2) +
       ") rotate(-90)\" text-anchor=\"middle\">" + escape_html(axis_title(c.y)) +
       (c.y.log ? " (log)" : "") + "</text>\n";
  for (size_t i = 0; i < c.lines.size(); ++i) {
    const auto &s = c.lines[i];
    const std::string colour = series_colour(i);
    std::string pts;
    for (const auto &p : s.points) {
      pts += px(sx(p.x)) + "," + px(sy(p.y)) + " ";
    }
    o += "<g class=\"series\"><polyline fill=\"none\" stroke=\"" + colour +
         "\" stroke-width=\"1.5\"" +
         (i >= 10 ? std::string(" stroke-dasharray=\"5 3\"") : std::string()) + " points=\"" + pts +
         "\"/>\n";
    for (const auto &p : s.points) {
      o += "<circle class=\"mark\" data-chart=\"" + escape_html(c.id) + "\" cx=\"" + px(sx(p.x)) +
           "\" cy=\"" + px(sy(p.y)) + "\" r=\"3.5\" fill=\"" + colour + "\"><title>" +
           escape_html(p.label + ": " + tick_label(p.x, c.x.unit) + ", " +
                       tick_label(p.y, c.y.unit)) +
           "</title></circle>\n";
    }
    const double ly = top + 8 + 18.0 * static_cast<double>(i);
    o += "<rect x=\"575\" y=\"" + px(ly - 8) + "\" width=\"12\" height=\"12\" fill=\"" + colour +
         "\"/><text class=\"legend\" x=\"593\" y=\"" + px(ly + 2) + "\">" + escape_html(s.name) +
         "</text></g>\n";
  }
  return o + "</svg>\n";
}

} // namespace suanli::render
