// Text, Markdown and HTML printers of a comparison.
#include <render/compare.hpp>
#include <render/format.hpp>
#include <render/html_parts.hpp>
#include <render/svg_scale.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace suanli::render {
namespace {

const char *legend_text =
    "ratio = median time B / median time A (< 1: B is faster); 95% CI = percentile bootstrap of "
    "the ratio of medians from all raw samples (2000 resamples, fixed seed); p = two-sided "
    "Mann-Whitney U (normal "
    "approximation); significant = p < 0.05 and the CI excludes 1; geomean = geometric mean of "
    "the ratios of the cases both reports passed.";

std::string verdict(const case_delta &d) {
  if (!d.computed) {
    return "-";
  }
  if (!d.significant) {
    return "no significant difference";
  }
  return d.median_ratio < 1 ? "B faster" : "B slower";
}

std::string p_text(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, p < 1e-4 ? "%.1e" : "%.4f", p);
  return buf;
}

// A report's median time, with its status when it did not pass.
std::string side_text(const case_side &s) {
  if (!s.present) {
    return "absent";
  }
  return s.status == "pass" ? seconds_text(s.median_s) : s.status;
}

// Rows: case, A median, then per B: median, ratio, CI, p, verdict.
std::vector<std::string> header(const comparison &c) {
  std::vector<std::string> h = {"case", "A median time"};
  for (size_t i = 1; i < c.reports.size(); ++i) {
    const std::string b = c.reports.size() > 2 ? "B" + std::to_string(i) : "B";
    h.insert(h.end(), {b + " median time", b + "/A time ratio", "95% CI", "p", "difference"});
  }
  return h;
}

std::vector<std::vector<std::string>> rows(const comparison &c) {
  std::vector<std::vector<std::string>> out;
  for (const auto &cc : c.cases) {
    std::vector<std::string> r = {cc.name, side_text(cc.sides[0])};
    for (size_t i = 1; i < cc.sides.size(); ++i) {
      const auto &s = cc.sides[i];
      const auto &d = cc.deltas[i - 1];
      r.push_back(side_text(s));
      r.push_back(d.computed ? num(d.median_ratio, 4) : "-");
      r.push_back(d.computed ? "[" + num(d.ci.low, 4) + ", " + num(d.ci.high, 4) + "]" : "-");
      r.push_back(d.computed ? p_text(d.test.p_value) : "-");
      r.push_back(verdict(d));
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<std::string> summary_lines(const comparison &c) {
  std::vector<std::string> out;
  out.push_back("A = " + c.reports[0] + " (suite " + c.suites[0] + ")");
  for (size_t i = 1; i < c.reports.size(); ++i) {
    out.push_back((c.reports.size() > 2 ? "B" + std::to_string(i) : std::string("B")) + " = " +
                  c.reports[i] + " (suite " + c.suites[i] + "): geomean time ratio " +
                  num(c.geomean[i - 1], 4) + " over " + std::to_string(c.computed[i - 1]) +
                  " cases");
  }
  for (const auto &[name, idx] : c.only_in) {
    out.push_back("only in " + c.reports[idx] + ": " + name);
  }
  return out;
}

std::string ratio_chart(const comparison &c) {
  double lo = 1, hi = 1;
  size_t n = 0;
  for (const auto &cc : c.cases) {
    for (const auto &d : cc.deltas) {
      if (d.computed) {
        lo = std::min({lo, d.ci.low, d.median_ratio});
        hi = std::max({hi, d.ci.high, d.median_ratio});
        ++n;
      }
    }
  }
  const double left = 260, right = 760, row_h = 16;
  const double height = 50 + row_h * static_cast<double>(n);
  const scale sx(lo, hi, true, "", left, right);
  char buf[64];
  auto px = [&buf](double v) {
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return std::string(buf);
  };
  std::string o = "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"chart-ratios\" class=\"chart\" "
                  "viewBox=\"0 0 800 " +
                  px(height) + "\" role=\"img\" aria-label=\"time ratios\">\n";
  for (const double t : sx.ticks()) {
    o += "<line class=\"grid\" x1=\"" + px(sx(t)) + "\" y1=\"10\" x2=\"" + px(sx(t)) + "\" y2=\"" +
         px(height - 30) + "\"/><text class=\"tick\" x=\"" + px(sx(t)) + "\" y=\"" +
         px(height - 16) + "\" text-anchor=\"middle\">" + escape_html(num(t, 3) + "x") +
         "</text>\n";
  }
  o += "<line x1=\"" + px(sx(1)) + "\" y1=\"10\" x2=\"" + px(sx(1)) + "\" y2=\"" + px(height - 30) +
       "\" stroke=\"#111\"/>\n<text class=\"axis\" x=\"" + px((left + right) / 2) + "\" y=\"" +
       px(height - 2) +
       "\" text-anchor=\"middle\">time ratio B/A [x] (log; left of 1: B faster)</text>\n";
  double y = 20;
  for (const auto &cc : c.cases) {
    for (size_t i = 0; i < cc.deltas.size(); ++i) {
      const auto &d = cc.deltas[i];
      if (!d.computed) {
        continue;
      }
      const char *colour = !d.significant ? "#555555" : d.median_ratio < 1 ? "#1e7d32" : "#b3261e";
      const std::string label =
          cc.name + (cc.deltas.size() > 1 ? " (B" + std::to_string(i + 1) + ")" : "");
      o += "<text class=\"legend\" x=\"" + px(left - 8) + "\" y=\"" + px(y + 4) +
           "\" text-anchor=\"end\">" + escape_html(label) + "</text><line x1=\"" +
           px(sx(d.ci.low)) + "\" y1=\"" + px(y) + "\" x2=\"" + px(sx(d.ci.high)) + "\" y2=\"" +
           px(y) + "\" stroke=\"" + colour +
           "\" stroke-width=\"2\"/><circle class=\"mark\" data-chart=\"ratios\" cx=\"" +
           px(sx(d.median_ratio)) + "\" cy=\"" + px(y) + "\" r=\"4\" fill=\"" + colour +
           "\"><title>" +
           escape_html(label + ": " + num(d.median_ratio, 4) + "x [" + num(d.ci.low, 4) + ", " +
                       num(d.ci.high, 4) + "], p " + p_text(d.test.p_value)) +
           "</title></circle>\n";
      y += row_h;
    }
  }
  return o + "</svg>\n";
}

} // namespace

std::string compare_text(const comparison &c) {
  std::string o;
  for (const auto &l : summary_lines(c)) {
    o += l + "\n";
  }
  const auto h = header(c);
  const auto rs = rows(c);
  std::vector<size_t> w(h.size(), 0);
  for (size_t i = 0; i < h.size(); ++i) {
    w[i] = h[i].size();
    for (const auto &r : rs) {
      w[i] = std::max(w[i], r[i].size());
    }
  }
  auto line = [&w](const std::vector<std::string> &cells) {
    std::string l;
    for (size_t i = 0; i < cells.size(); ++i) {
      const auto pad = std::string(w[i] - cells[i].size(), ' ');
      l += (i == 0 ? cells[i] + pad : pad + cells[i]) + (i + 1 < cells.size() ? "  " : "");
    }
    return l + "\n";
  };
  o += "\n" + line(h);
  for (const auto &r : rs) {
    o += line(r);
  }
  return o + "\n" + legend_text + "\n";
}

std::string compare_markdown(const comparison &c) {
  std::string o = "# suanli comparison\n\n";
  for (const auto &l : summary_lines(c)) {
    o += "- " + escape_md(l) + "\n";
  }
  const auto h = header(c);
  o += "\n|";
  for (const auto &x : h) {
    o += " " + escape_md(x) + " |";
  }
  o += "\n|";
  for (size_t i = 0; i < h.size(); ++i) {
    o += i == 0 ? " --- |" : " ---: |";
  }
  o += "\n";
  for (const auto &r : rows(c)) {
    o += "|";
    for (const auto &x : r) {
      o += " " + escape_md(x) + " |";
    }
    o += "\n";
  }
  return o + "\n" + legend_text + "\n";
}

std::string compare_html(const comparison &c) {
  std::string o = "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n"
                  "<head>\n<meta charset=\"utf-8\"/>\n<title>suanli comparison</title>\n<style>\n" +
                  page_css() +
                  "</style>\n</head>\n<body>\n<header><h1>suanli comparison</h1></header>\n"
                  "<section class=\"banner neutral\" id=\"banner\"><ul>";
  for (const auto &l : summary_lines(c)) {
    o += "<li>" + escape_html(l) + "</li>";
  }
  o += "</ul></section>\n<section id=\"ratios\"><h2>Time ratios with 95% CI</h2>\n<figure>" +
       ratio_chart(c) +
       "<p class=\"note\">Green: B significantly faster; red: significantly "
       "slower; grey: no significant difference.</p></figure></section>\n";
  o += "<section id=\"cases\"><h2>Cases</h2>\n" + html_table(header(c), rows(c)) +
       "<p class=\"note\">" + escape_html(legend_text) + "</p></section>\n</body>\n</html>\n";
  return o;
}

} // namespace suanli::render
