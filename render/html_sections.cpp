// Inventory, cases, verification and conventions sections of the HTML page.
#include <render/format.hpp>
#include <render/html_parts.hpp>
#include <render/json_access.hpp>

#include <cmath>
#include <map>

namespace suanli::render {
namespace {

using nlohmann::json;

std::vector<std::vector<std::string>> system_rows(const json &s) {
  const auto &cpu = obj_at(s, "cpu");
  const auto &mem = obj_at(s, "memory");
  const auto &os = obj_at(s, "os");
  const auto &virt = obj_at(s, "virtualization");
  const auto &freq = obj_at(cpu, "frequency_mhz");
  return {{"host", text_of(obj_at(s, "host").value("hostname", json()))},
          {"CPU", text_of(cpu.value("vendor", json())) + " " + text_of(cpu.value("model", json())) +
                      ", " + text_of(cpu.value("sockets", json())) + " socket(s), " +
                      text_of(cpu.value("cores", json())) + " cores, " +
                      text_of(cpu.value("threads", json())) + " threads, " +
                      text_of(freq.value("current", json())) + " MHz (" +
                      text_of(freq.value("source", json())) + "), microcode " +
                      text_of(cpu.value("microcode", json()))},
          {"memory", mem.value("total_bytes", json()).is_number()
                         ? bytes_text(mem["total_bytes"].get<double>()) + " total"
                         : "-"},
          {"OS", text_of(os.value("pretty_name", json())) + ", kernel " +
                     text_of(os.value("kernel", json())) + " " +
                     text_of(os.value("machine", json()))},
          {"virtualization", "hypervisor " + text_of(virt.value("vendor", json())) +
                                 ", container " + text_of(virt.value("container", json()))}};
}

// One row per device of `backends`, labelled "<prefix><backend>:<index>", appended to `rows`.
void device_rows(const json &backends, const std::string &prefix,
                 std::vector<std::vector<std::string>> &rows) {
  for (const auto &b : backends) {
    std::string libs;
    const json libraries = obj_at(b, "libraries");
    for (const auto &[k, v] : libraries.items()) {
      libs += (libs.empty() ? "" : "; ") + k + " " + text_of(v);
    }
    for (const auto &d : arr_at(b, "devices")) {
      rows.push_back({prefix + str_at(b, "name", "?") + ":" + text_of(d.value("index", json())),
                      text_of(d.value("vendor", json())) + " " + text_of(d.value("model", json())),
                      text_of(d.value("compute_units", json())),
                      d.value("memory_bytes", json()).is_number()
                          ? bytes_text(d["memory_bytes"].get<double>())
                          : "-",
                      text_of(d.value("uuid", json())),
                      "driver " + text_of(d.value("driver_version", json())) + ", firmware " +
                          text_of(d.value("firmware_version", json())),
                      libs});
    }
  }
}

const std::vector<std::string> device_header = {
    "device", "model", "compute units", "memory", "UUID", "driver / firmware", "libraries"};

std::string backends_table(const json &backends) {
  std::vector<std::vector<std::string>> rows;
  device_rows(backends, "", rows);
  return html_table(device_header, rows, "compact");
}

const char *status_class(const std::string &s) {
  return s == "pass" ? "pass" : s == "fail" ? "fail" : s == "error" ? "error" : "unsupported";
}

} // namespace

std::string html_table(const std::vector<std::string> &header,
                       const std::vector<std::vector<std::string>> &rows,
                       const std::string &css_class) {
  std::string o =
      "<table" + (css_class.empty() ? "" : " class=\"" + css_class + "\"") + "><thead><tr>";
  for (const auto &h : header) {
    o += "<th>" + escape_html(h) + "</th>";
  }
  o += "</tr></thead><tbody>\n";
  for (const auto &r : rows) {
    o += "<tr>";
    for (const auto &c : r) {
      o += "<td>" + escape_html(c) + "</td>";
    }
    o += "</tr>\n";
  }
  return o + "</tbody></table>\n";
}

case_counts counts_of(const json &report) {
  const auto &t = obj_at(report, "totals");
  return {int_at(t, "cases"), int_at(t, "passed"), int_at(t, "failed"), int_at(t, "unsupported"),
          int_at(t, "errors")};
}

std::string headline(const json &c) {
  const auto &m = c.value("metrics", json());
  if (!m.is_object()) {
    return "-";
  }
  if (m.contains("busbw_gbps") && m["busbw_gbps"].is_number()) {
    return "busbw " + num(m["busbw_gbps"].get<double>(), 4) + " GB/s";
  }
  if (m.contains("gflops_median") && m["gflops_median"].is_number()) {
    const bool int8 = str_at(obj_at(c, "parameters"), "precision") == "int8";
    return num(m["gflops_median"].get<double>(), 4) + (int8 ? " GOP/s" : " GFLOP/s");
  }
  return "-";
}

std::string headline_ci(const json &c) {
  const auto &m = c.value("metrics", json());
  if (!m.is_object()) {
    return "-";
  }
  for (const auto &[lo, hi, unit] :
       {std::tuple{"busbw_ci_low_gbps", "busbw_ci_high_gbps", " GB/s"},
        std::tuple{"gflops_ci_low", "gflops_ci_high",
                   str_at(obj_at(c, "parameters"), "precision") == "int8" ? " GOP/s"
                                                                          : " GFLOP/s"}}) {
    if (m.contains(lo) && m[lo].is_number() && m.contains(hi) && m[hi].is_number()) {
      return "[" + num(m[lo].get<double>(), 4) + ", " + num(m[hi].get<double>(), 4) + "]" + unit;
    }
  }
  return "-";
}

std::string html_inventory(const json &report) {
  const auto &nodes = arr_at(report, "nodes");
  if (nodes.empty()) {
    std::vector<std::vector<std::string>> rows = system_rows(obj_at(report, "system"));
    return html_table({"item", "value"}, rows, "kv") + backends_table(arr_at(report, "backends"));
  }
  std::string o;
  const auto &cl = obj_at(report, "cluster");
  o += "<p>" +
       escape_html("Cluster: " + text_of(cl.value("nodes", json())) + " node(s), " +
                   text_of(cl.value("ranks", json())) + " ranks, launched by " +
                   text_of(cl.value("launcher", json()))) +
       "</p>\n";
  std::vector<std::vector<std::string>> hosts, devices;
  for (const auto &n : nodes) {
    const auto label = "node " + text_of(n.value("index", json())) + " ";
    const auto sys = system_rows(obj_at(n, "system"));
    hosts.push_back({label + str_at(n, "host", "?"), sys[1][1], sys[2][1], sys[3][1], sys[4][1]});
    device_rows(arr_at(n, "backends"), label, devices);
  }
  o += html_table({"node", "CPU", "memory", "OS", "virtualization"}, hosts, "compact") +
       html_table(device_header, devices, "compact");
  return o;
}

std::string html_cases(const std::vector<json> &cases) {
  std::string o = "<table id=\"case-table\"><thead><tr><th>case</th><th>status</th><th>median "
                  "time</th><th>rate / bandwidth</th><th>95% CI</th><th>eff/rated</th>"
                  "<th>samples</th><th>verification</th></tr></thead><tbody>\n";
  for (const auto &c : cases) {
    const auto st = str_at(c, "status", "?");
    const auto &t = obj_at(obj_at(c, "statistics"), "time_s");
    const auto &m = c.value("metrics", json());
    const double eff =
        m.is_object() && m.contains("efficiency_rated") && m["efficiency_rated"].is_number()
            ? m["efficiency_rated"].get<double>()
            : NAN;
    const auto &v = obj_at(c, "verification");
    o += "<tr><td>" + escape_html(str_at(c, "name", "?")) + "</td><td class=\"" + status_class(st) +
         "\">" + escape_html(st) + "</td><td>" +
         escape_html(t.contains("median") ? seconds_text(t["median"].get<double>()) : "-") +
         "</td><td>" + escape_html(headline(c)) + "</td><td>" + escape_html(headline_ci(c)) +
         "</td><td>" + escape_html(percent(eff)) + "</td><td>" +
         escape_html(text_of(t.value("count", json()))) + "</td><td>" +
         escape_html(str_at(v, "summary", st == "pass" ? "" : str_at(c, "reason"))) +
         "</td></tr>\n";
  }
  return o + "</tbody></table>\n";
}

std::string html_verification(const json &report, const std::vector<json> &cases) {
  const auto n = counts_of(report);
  std::string o = "<p>" +
                  escape_html(std::to_string(n.passed) + " of " + std::to_string(n.cases) +
                              " cases verified and passed; " + std::to_string(n.failed) +
                              " failed verification, " + std::to_string(n.unsupported) +
                              " unsupported, " + std::to_string(n.errors) + " errors.") +
                  "</p>\n";
  std::map<std::string, std::string> methods;
  std::vector<std::vector<std::string>> not_passed;
  for (const auto &c : cases) {
    const auto &v = obj_at(c, "verification");
    if (v.contains("method") && v["method"].is_string()) {
      methods.try_emplace(str_at(c, "operation", "?"), v["method"].get<std::string>());
    }
    if (str_at(c, "status") != "pass") {
      not_passed.push_back({str_at(c, "name", "?"), str_at(c, "status", "?"), str_at(c, "reason")});
    }
  }
  std::vector<std::vector<std::string>> mrows;
  for (const auto &[op, m] : methods) {
    mrows.push_back({op, m});
  }
  o += html_table({"operation", "how its output is checked"}, mrows, "compact");
  if (!not_passed.empty()) {
    o += "<h3>Cases that did not pass</h3>" +
         html_table({"case", "status", "reason"}, not_passed, "compact");
  }
  return o;
}

std::string html_conventions(const json &report) {
  std::vector<std::vector<std::string>> rows;
  for (const auto &c : arr_at(report, "conventions")) {
    rows.push_back({str_at(c, "id", "?"), str_at(c, "text")});
  }
  return html_table({"convention id", "definition"}, rows, "compact") +
         "<p>Units on this page: GFLOP/s = 1e9 FLOP/s (integer GEMMs: GOP/s = 1e9 OP/s); GB/s = "
         "1e9 B/s; KiB, MiB = 1024, 1024² B; times in ns, us (microseconds), ms, s; efficiency "
         "in % of the rated peak.</p>\n";
}

} // namespace suanli::render
