// Grouped bars (rates per dtype) and the per-node heat map.
#include <render/format.hpp>
#include <render/svg.hpp>
#include <render/svg_scale.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace suanli::render {
namespace {

std::string px(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// Fixed colours per bar name so every group reads the same way.
const char *bar_colour(const std::string &name) {
  static const std::map<std::string, const char *> colours = {
      {"rated", "#9e9e9e"},          {"database", "#56b4e9"},  {"claimed", "#e69f00"},
      {"max achievable", "#0072b2"}, {"delivered", "#009e73"}, {"delivered CI low", "#8fd1b9"}};
  const auto it = colours.find(name);
  return it == colours.end() ? "#000000" : it->second;
}

} // namespace

std::string svg_bar_chart(const bar_chart &c) {
  double top_value = 0;
  std::vector<std::string> names;
  for (const auto &g : c.groups) {
    for (const auto &b : g.bars) {
      top_value = std::max(top_value, b.value);
      if (std::find(names.begin(), names.end(), b.name) == names.end()) {
        names.push_back(b.name);
      }
    }
  }
  const double left = 110, right = 640, top = 20, bottom = 300;
  const scale sy(0, top_value, false, c.unit, bottom, top);
  const double group_w = (right - left) / static_cast<double>(std::max<size_t>(1, c.groups.size()));
  // Group labels wider than their slot (case names) are slanted; the chart grows to hold them.
  size_t longest = 0;
  for (const auto &g : c.groups) {
    longest = std::max(longest, g.name.size());
  }
  const double label_px = 6.5 * static_cast<double>(longest); // ~11 px sans-serif
  const bool slant = label_px > group_w - 4;
  const double height = slant ? bottom + 20 + 0.58 * label_px : 340; // sin(35 deg) = 0.57
  std::string o = "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"chart-" + escape_html(c.id) +
                  "\" class=\"chart\" viewBox=\"0 0 800 " + px(height) +
                  "\" role=\"img\" aria-label=\"" + escape_html(c.title) + "\">\n";
  o += "<rect x=\"" + px(left) + "\" y=\"" + px(top) + "\" width=\"" + px(right - left) +
       "\" height=\"" + px(bottom - top) + "\" class=\"plot\"/>\n";
  for (const double t : sy.ticks()) {
    const auto y = px(sy(t));
    o += "<line class=\"grid\" x1=\"" + px(left) + "\" y1=\"" + y + "\" x2=\"" + px(right) +
         "\" y2=\"" + y + "\"/><text class=\"tick\" x=\"" + px(left - 6) + "\" y=\"" + y +
         "\" dy=\"4\" text-anchor=\"end\">" + escape_html(tick_label(t, c.unit)) + "</text>\n";
  }
  for (size_t gi = 0; gi < c.groups.size(); ++gi) {
    const auto &g = c.groups[gi];
    const double gx = left + group_w * static_cast<double>(gi);
    const double bw = std::min(28.0, (group_w - 16) / static_cast<double>(names.size()));
    for (size_t bi = 0; bi < g.bars.size(); ++bi) {
      const auto &b = g.bars[bi];
      const auto slot =
          static_cast<double>(std::find(names.begin(), names.end(), b.name) - names.begin());
      const double x = gx + 8 + slot * bw, y = sy(b.value);
      o += "<rect class=\"mark\" data-chart=\"" + escape_html(c.id) + "\" x=\"" + px(x) +
           "\" y=\"" + px(y) + "\" width=\"" + px(bw - 2) + "\" height=\"" + px(bottom - y) +
           "\" fill=\"" + bar_colour(b.name) + "\"><title>" +
           escape_html(g.name + " " + b.name + ": " + num(b.value, 4) + " " + c.unit +
                       (b.source.empty() ? "" : " (" + b.source + ")")) +
           "</title></rect>\n";
      if (bw >= 16) { // narrower bars keep their value in the tooltip only
        o += "<text class=\"value\" x=\"" + px(x + bw / 2 - 1) + "\" y=\"" + px(y - 3) +
             "\" text-anchor=\"middle\">" + escape_html(num(b.value, 3)) + "</text>\n";
      }
    }
    if (slant) {
      o += "<text class=\"tick\" transform=\"translate(" + px(gx + group_w / 2 + 4) + " " +
           px(bottom + 12) + ") rotate(-35)\" text-anchor=\"end\">" + escape_html(g.name) +
           "</text>\n";
    } else {
      o += "<text class=\"tick\" x=\"" + px(gx + group_w / 2) + "\" y=\"" + px(bottom + 16) +
           "\" text-anchor=\"middle\">" + escape_html(g.name) + "</text>\n";
    }
  }
  o += "<text class=\"axis\" transform=\"translate(16 " + px((top + bottom) / 2) +
       ") rotate(-90)\" text-anchor=\"middle\">" + escape_html("rate [" + c.unit + "]") +
       "</text>\n";
  for (size_t i = 0; i < names.size(); ++i) {
    const double ly = top + 8 + 18.0 * static_cast<double>(i);
    o += "<rect x=\"655\" y=\"" + px(ly - 8) + "\" width=\"12\" height=\"12\" fill=\"" +
         bar_colour(names[i]) + "\"/><text class=\"legend\" x=\"673\" y=\"" + px(ly + 2) + "\">" +
         escape_html(names[i]) + "</text>\n";
  }
  return o + "</svg>\n";
}

std::string svg_heat_map(const heat_map &m) {
  const double label_w = 230, cell_w = 96, cell_h = 26, head_h = 120;
  const double width = label_w + cell_w * static_cast<double>(m.columns.size()) + 140;
  const double height = head_h + cell_h * static_cast<double>(m.rows.size()) + 10;
  std::vector<double> best(m.columns.size(), 0);
  for (const auto &row : m.cells) {
    for (size_t j = 0; j < row.size(); ++j) {
      if (std::isfinite(row[j])) {
        best[j] = std::max(best[j], row[j]);
      }
    }
  }
  std::string o = "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"chart-" + escape_html(m.id) +
                  "\" class=\"chart heat\" width=\"" + px(width) + "\" height=\"" + px(height) +
                  "\" viewBox=\"0 0 " + px(width) + " " + px(height) +
                  "\" role=\"img\" aria-label=\"" + escape_html(m.title) + "\">\n";
  for (size_t j = 0; j < m.columns.size(); ++j) {
    const double x = label_w + cell_w * (static_cast<double>(j) + 0.5);
    o += "<text class=\"tick\" transform=\"translate(" + px(x) + " " + px(head_h - 6) +
         ") rotate(-35)\">" + escape_html(m.columns[j]) + "</text>\n";
  }
  for (size_t i = 0; i < m.rows.size(); ++i) {
    const double y = head_h + cell_h * static_cast<double>(i);
    o += "<text class=\"legend\" x=\"" + px(label_w - 8) + "\" y=\"" + px(y + 17) +
         "\" text-anchor=\"end\">" + escape_html(m.rows[i]) + "</text>\n";
    for (size_t j = 0; j < m.columns.size(); ++j) {
      const double v = m.cells[i][j];
      const double x = label_w + cell_w * static_cast<double>(j);
      if (!std::isfinite(v)) {
        o += "<rect x=\"" + px(x) + "\" y=\"" + px(y) + "\" width=\"" + px(cell_w - 2) +
             "\" height=\"" + px(cell_h - 2) + "\" class=\"empty\"/>\n";
        continue;
      }
      const double frac = best[j] > 0 ? v / best[j] : 1;
      const bool slow = frac < 0.9;
      const char *fill = slow ? "#b2182b" : frac < 0.97 ? "#fddbc7" : "#d1e5f0";
      o += "<rect class=\"mark" + std::string(slow ? " slow" : "") + "\" data-chart=\"" +
           escape_html(m.id) + "\" x=\"" + px(x) + "\" y=\"" + px(y) + "\" width=\"" +
           px(cell_w - 2) + "\" height=\"" + px(cell_h - 2) + "\" fill=\"" + fill + "\"><title>" +
           escape_html(m.rows[i] + ", " + m.columns[j] + ": " + num(v, 4) + " " + m.unit + " (" +
                       percent(frac) + " of the best node)") +
           "</title></rect>\n<text class=\"cell" + std::string(slow ? " slow" : "") + "\" x=\"" +
           px(x + cell_w / 2 - 1) + "\" y=\"" + px(y + 17) + "\" text-anchor=\"middle\">" +
           escape_html(num(v, 3) + (slow ? " (" + percent(frac) + ")" : "")) + "</text>\n";
    }
  }
  return o + "</svg>\n";
}

} // namespace suanli::render
