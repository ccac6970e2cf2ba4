// Markdown and CSV printers of one report.
#include <render/chart.hpp>
#include <render/format.hpp>
#include <render/html_parts.hpp>
#include <render/json_access.hpp>
#include <render/page.hpp>

#include <cstdio>

namespace suanli::render {
namespace {

using nlohmann::json;

std::string md_row(const std::vector<std::string> &cells) {
  std::string o = "|";
  for (const auto &c : cells) {
    o += " " + escape_md(c) + " |";
  }
  return o + "\n";
}

std::string md_table(const std::vector<std::string> &header,
                     const std::vector<std::vector<std::string>> &rows) {
  std::string o = md_row(header) + "|";
  for (size_t i = 0; i < header.size(); ++i) {
    o += i == 0 ? " --- |" : " ---: |";
  }
  o += "\n";
  for (const auto &r : rows) {
    o += md_row(r);
  }
  return o;
}

double median_s(const json &c) {
  const auto &t = obj_at(obj_at(c, "statistics"), "time_s");
  return t.contains("median") && t["median"].is_number() ? t["median"].get<double>() : NAN;
}

} // namespace

std::string markdown_report(const report_input &in) {
  const auto &r = in.report;
  const auto &suite = obj_at(r, "suite");
  std::string o = "# suanli report: " + escape_md(str_at(suite, "name", "?")) + "\n\n**" +
                  escape_md(banner_text(in)) + "**\n\n";
  const auto &cert = r.value("certification", json());
  if (cert.is_object()) {
    for (const auto &why : arr_at(cert, "reasons")) {
      o += "- " + escape_md(why.is_string() ? why.get<std::string>() : why.dump()) + "\n";
    }
    o += "\n";
  }
  o += "Created " + escape_md(str_at(r, "created", "?")) + " by suanli " +
       escape_md(str_at(obj_at(r, "tool"), "version", "?")) + ".\n\n";
  o += "## System\n\n";
  std::vector<std::vector<std::string>> sys;
  const auto &nodes = arr_at(r, "nodes");
  const auto &systems = nodes.empty() ? json::array({r}) : nodes;
  for (const auto &n : systems) {
    const auto &s = obj_at(n, "system");
    const auto &cpu = obj_at(s, "cpu");
    std::string devices;
    for (const auto &b : arr_at(n, "backends")) {
      for (const auto &d : arr_at(b, "devices")) {
        devices +=
            (devices.empty() ? "" : ", ") + str_at(b, "name", "?") + ":" + str_at(d, "model", "?");
      }
    }
    sys.push_back(
        {str_at(obj_at(s, "host"), "hostname", "?"),
         str_at(cpu, "model", "?") + " (" + std::to_string(int_at(cpu, "cores")) + " cores)",
         str_at(obj_at(s, "os"), "pretty_name", "?"), devices});
  }
  o += md_table({"host", "CPU", "OS", "devices"}, sys) + "\n## Cases\n\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto &c : chart_cases(r)) {
    rows.push_back({str_at(c, "name", "?"), str_at(c, "status", "?"), seconds_text(median_s(c)),
                    headline(c), headline_ci(c),
                    str_at(obj_at(c, "verification"), "summary", str_at(c, "reason"))});
  }
  o += md_table({"case", "status", "median time", "rate / bandwidth", "95% CI", "verification"},
                rows);
  const auto n = counts_of(r);
  o += "\n## Verification\n\n" + std::to_string(n.passed) + " of " + std::to_string(n.cases) +
       " cases verified and passed; " + std::to_string(n.failed) + " failed, " +
       std::to_string(n.unsupported) + " unsupported, " + std::to_string(n.errors) +
       " errors.\n\n## Conventions and units\n\n";
  for (const auto &c : arr_at(r, "conventions")) {
    o += "- `" + escape_md(str_at(c, "id", "?")) + "`: " + escape_md(str_at(c, "text")) + "\n";
  }
  return o + "- GFLOP/s = 1e9 FLOP/s (int8: GOP/s); GB/s = 1e9 B/s; times as printed (ns, us, "
             "ms, s).\n";
}

std::string csv_report(const report_input &in) {
  std::string o = "node,case,operation,precision,status,median_time_s,ci_low_s,ci_high_s,samples,"
                  "gflops_median,busbw_gbps,bytes,efficiency_rated,verification\n";
  auto row = [&o](const std::string &node, const json &c) {
    const auto &t = obj_at(obj_at(c, "statistics"), "time_s");
    const auto &m = c.value("metrics", json()).is_object() ? c["metrics"] : json::object();
    const auto &p = obj_at(c, "parameters");
    auto n = [](const json &obj, const char *k) {
      if (!obj.contains(k) || !obj[k].is_number()) {
        return std::string();
      }
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.9g", obj[k].get<double>());
      return std::string(buf);
    };
    o += escape_csv(node) + "," + escape_csv(str_at(c, "name")) + "," +
         escape_csv(str_at(c, "operation")) + "," +
         escape_csv(str_at(p, "precision", str_at(p, "dtype"))) + "," +
         escape_csv(str_at(c, "status")) + "," + n(t, "median") + "," + n(t, "ci_low") + "," +
         n(t, "ci_high") + "," + n(t, "count") + "," + n(m, "gflops_median") + "," +
         n(m, "busbw_gbps") + "," + n(m, "bytes") + "," + n(m, "efficiency_rated") + "," +
         escape_csv(str_at(obj_at(c, "verification"), "summary", str_at(c, "reason"))) + "\n";
  };
  const auto &r = in.report;
  for (const auto &c : arr_at(r, "cases")) {
    row(r.contains("nodes") ? "all" : "", c);
  }
  for (const auto &nd : arr_at(r, "nodes")) {
    for (const auto &c : arr_at(nd, "cases")) {
      row(std::to_string(int_at(nd, "index")) + ":" + str_at(nd, "host"), c);
    }
  }
  return o;
}

} // namespace suanli::render
