// The page: stylesheet, banner, and the sections in order.
#include <render/chart.hpp>
#include <render/format.hpp>
#include <render/html_parts.hpp>
#include <render/json_access.hpp>
#include <render/page.hpp>
#include <render/svg.hpp>

namespace suanli::render {
namespace {

using nlohmann::json;

std::string figure(const std::string &svg, const std::string &title, const std::string &note) {
  return "<figure><figcaption>" + escape_html(title) + "</figcaption>\n" + svg +
         "<p class=\"note\">" + escape_html(note) + "</p></figure>\n";
}

std::string verdict_class(const std::string &verdict) {
  return verdict == "CERTIFIED" ? "good" : "bad";
}

std::string certification_banner(const json &cert) {
  const auto verdict = str_at(cert, "verdict", "?");
  std::string o = "<section class=\"banner " + verdict_class(verdict) + "\" id=\"banner\"><h2>" +
                  escape_html(verdict) + "</h2>\n";
  std::vector<std::string> reasons;
  for (const auto &r : arr_at(cert, "reasons")) {
    reasons.push_back(r.is_string() ? r.get<std::string>() : r.dump());
  }
  if (!reasons.empty()) {
    o += "<ul>";
    for (const auto &r : reasons) {
      o += "<li>" + escape_html(r) + "</li>";
    }
    o += "</ul>\n";
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto &n : arr_at(cert, "nodes")) {
    std::string why;
    for (const auto &r : arr_at(n, "reasons")) {
      why += (why.empty() ? "" : "; ") + (r.is_string() ? r.get<std::string>() : r.dump());
    }
    // suanli.certification.v1 names a node by index and host; older objects by "node".
    const auto &node = n.contains("node") ? n["node"] : json();
    const std::string label = node.is_string()      ? node.get<std::string>()
                              : n.contains("index") ? "node " + std::to_string(int_at(n, "index")) +
                                                          " " + str_at(n, "host")
                                                    : node.dump();
    rows.push_back({label, str_at(n, "verdict", "?"), why});
  }
  if (!rows.empty()) {
    o += html_table({"node", "verdict", "reasons"}, rows, "compact");
  }
  if (cert.contains("capacity") && cert["capacity"].is_object()) {
    std::vector<std::vector<std::string>> cap;
    for (const auto &[k, v] : cert["capacity"].items()) {
      if (v.is_object() && v.contains("certified_tflops")) { // suanli.certification.v1
        const auto &claimed = v.value("claimed_cluster_pflops", json());
        cap.push_back({k, "certified " + num(num_at(v, "certified_tflops"), 4) + " TFLOP/s on " +
                              std::to_string(int_at(v, "devices")) + " device(s); claimed " +
                              (claimed.is_number() ? num(claimed.get<double>(), 4) + " PFLOP/s"
                                                   : std::string("-"))});
        continue;
      }
      cap.push_back({k, v.is_string() ? v.get<std::string>() : v.dump()});
    }
    o += "<h3>Capacity</h3>" +
         html_table({"figure", "value (as the report gives it)"}, cap, "compact");
  }
  return o + "</section>\n";
}

} // namespace

std::string banner_text(const report_input &in) {
  const auto &cert = in.report.value("certification", json());
  if (cert.is_object() && cert.contains("verdict")) {
    return str_at(cert, "verdict", "?") + " (" + in.signature_text + ")";
  }
  const auto n = counts_of(in.report);
  return in.signature_text + "; verified " + std::to_string(n.passed) + " of " +
         std::to_string(n.cases) + " cases";
}

std::string html_banner(const report_input &in) {
  const auto &cert = in.report.value("certification", json());
  std::string sig = "<p class=\"sig " +
                    std::string(in.checked ? (in.valid ? "good" : "bad") : "neutral") + "\">" +
                    escape_html(in.signature_text) + "</p>\n";
  if (cert.is_object() && cert.contains("verdict")) {
    return certification_banner(cert) + sig;
  }
  const auto n = counts_of(in.report);
  const bool clean = n.failed == 0 && n.errors == 0;
  return "<section class=\"banner " + std::string(clean ? "neutral" : "bad") +
         "\" id=\"banner\"><h2>" + (in.is_signed ? "Signed report" : "Unsigned report") +
         ": verified " + std::to_string(n.passed) + " of " + std::to_string(n.cases) +
         " cases</h2><p>" +
         escape_html(std::to_string(n.failed) + " failed, " + std::to_string(n.unsupported) +
                     " unsupported, " + std::to_string(n.errors) +
                     " errors. This report has no certification verdict.") +
         "</p></section>\n" + sig;
}

std::string html_report(const report_input &in) {
  const auto &r = in.report;
  const auto &suite = obj_at(r, "suite");
  const auto &tool = obj_at(r, "tool");
  const auto title = "suanli report: " + str_at(suite, "name", "?");
  std::string o = "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n"
                  "<head>\n<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" "
                  "content=\"width=device-width, initial-scale=1\"/>\n<title>" +
                  escape_html(title) + "</title>\n<style>\n" + page_css() +
                  "</style>\n</head>\n<body>\n";
  o += "<header><h1>" + escape_html(title) + "</h1><p class=\"meta\">" +
       escape_html(str_at(suite, "description") + " | created " + str_at(r, "created", "?") +
                   " by suanli " + str_at(tool, "version", "?") + " (" +
                   str_at(tool, "git_commit", "?") + ") | file " + in.path) +
       "</p></header>\n";
  o += html_banner(in);
  o += "<section id=\"inventory\"><h2>System</h2>\n" + html_inventory(r) + "</section>\n";
  o += "<section id=\"charts\"><h2>Charts</h2>\n";
  const auto heat = node_heat_map(r);
  if (!heat.rows.empty() && !heat.columns.empty()) {
    o += figure(svg_heat_map(heat), heat.title + " [" + heat.unit + "]", heat.note);
  } else if (r.contains("nodes")) {
    o += "<p class=\"note\">Per-node heat map: this cluster report has no per-device cases.</p>\n";
  }
  const auto charts = line_charts(r);
  for (const auto &c : charts) {
    o += figure(svg_line_chart(c), c.title, c.note);
  }
  const auto bars = peak_bars(r);
  if (!bars.groups.empty()) {
    o += figure(svg_bar_chart(bars), bars.title + " [" + bars.unit + "]", bars.note);
  }
  if (charts.empty() && bars.groups.empty()) {
    o += "<p class=\"note\">No verified case to chart.</p>\n";
  }
  o += "</section>\n";
  const auto cases = chart_cases(r);
  o += "<section id=\"cases\"><h2>Cases</h2>\n" + html_cases(cases) + "</section>\n";
  o += "<section id=\"verification\"><h2>Verification</h2>\n" + html_verification(r, cases) +
       "</section>\n";
  o += "<section id=\"conventions\"><h2>Conventions and units</h2>\n" + html_conventions(r) +
       "</section>\n";
  const auto &run = obj_at(r, "run");
  o += "<footer><p>" +
       escape_html("suite sha256 " + str_at(suite, "sha256", "?") + " | nonce " +
                   str_at(run, "nonce", "?") + " (" + str_at(run, "nonce_source", "?") +
                   ") | tool binary sha256 " + str_at(tool, "binary_sha256", "?")) +
       "</p><p>Rendered by suanli render; the page holds no script and fetches nothing.</p>"
       "</footer>\n</body>\n</html>\n";
  return o;
}

std::string page_css() {
  return R"(body{font:14px/1.45 "DejaVu Sans",Helvetica,Arial,sans-serif;color:#1b1b1b;margin:0 auto;max-width:1100px;padding:16px 24px}
h1{font-size:22px;margin:4px 0}h2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:2px;margin-top:28px}h3{font-size:15px}
.meta,.note{color:#555;font-size:12px}
.banner{border-radius:6px;padding:10px 16px;margin:12px 0;border:2px solid}
.banner h2{border:none;margin:4px 0;font-size:20px}
.good{background:#e6f4ea;border-color:#1e7d32;color:#0d3d17}.bad{background:#fdecea;border-color:#b3261e;color:#5c0f0a}
.neutral{background:#eef3fb;border-color:#3c6fb6;color:#14305c}
p.sig{padding:6px 12px;border-left:4px solid;border-radius:2px;font-size:13px}
table{border-collapse:collapse;margin:8px 0;font-size:12px}
th,td{border:1px solid #d0d0d0;padding:3px 7px;text-align:right;vertical-align:top}
th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}
table.kv td{text-align:left}table.compact td,table.compact th{text-align:left}
#case-table td{white-space:nowrap}#case-table td:last-child{white-space:normal}
td.pass{color:#1e7d32;font-weight:bold}td.fail,td.error{color:#b3261e;font-weight:bold}td.unsupported{color:#8a6d00}
figure{margin:16px 0;page-break-inside:avoid;break-inside:avoid}figcaption{font-weight:bold;margin-bottom:4px}
svg.chart{width:100%;max-width:900px;height:auto;background:#fff}svg.chart.heat{width:auto;max-width:100%}
svg .plot{fill:none;stroke:#888}svg .grid{stroke:#e3e3e3}svg .tick,svg .value{font-size:11px;fill:#333}
svg .axis{font-size:12px;fill:#111}svg .legend{font-size:11px;fill:#111}svg .empty{fill:#f4f4f4;stroke:#ddd}
svg text.cell{font-size:11px;fill:#111}svg text.cell.slow{fill:#fff;font-weight:bold}
footer{margin-top:32px;border-top:1px solid #ccc;color:#555;font-size:11px;word-break:break-all}
@media print{body{max-width:none;padding:0;font-size:11px}h2{page-break-after:avoid;break-after:avoid}
figure,.banner{page-break-inside:avoid;break-inside:avoid}.banner{-webkit-print-color-adjust:exact;print-color-adjust:exact}
svg.chart{max-width:100%}a{color:inherit;text-decoration:none}}
)";
}

} // namespace suanli::render
