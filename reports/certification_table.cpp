#include <reports/certification_table.hpp>
#include <reports/text_table.hpp>

#include <cstdio>

namespace suanli::reports {
namespace {

using nlohmann::json;

// A rate with five significant digits, "-" when unknown.
std::string tflops(const json &v) {
  if (!v.is_number()) {
    return "-";
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.5g", v.get<double>());
  return buf;
}

std::string where(const json &row) {
  return std::to_string(row.value("node", 0)) + "/" +
         (row["rank"].is_number() ? std::to_string(row["rank"].get<int64_t>()) + "/" : "") +
         row.value("backend", "") + ":" + std::to_string(row.value("device", 0));
}

} // namespace

std::string render_certification(const json &report) {
  if (!report.contains("certification") || !report["certification"].is_object()) {
    return "";
  }
  const json &c = report["certification"];
  std::string out = "\ncertification (" + report["suite"].value("name", "") +
                    " criteria): " + c.value("verdict", "") + "\n";
  for (const auto &n : c.value("nodes", json::array())) {
    out += "  node " + std::to_string(n.value("index", 0)) + " " + n.value("host", "") + ": " +
           n.value("verdict", "") + "\n";
  }
  for (const auto &r : c.value("reasons", json::array())) {
    out += "  - " + r.get<std::string>() + "\n";
  }
  for (const auto &r : c.value("notes", json::array())) {
    out += "  note: " + r.get<std::string>() + "\n";
  }
  text_table figures({"case", "node/rank/device", "rated", "source", "claimed", "max-achievable",
                      "delivered", "delivered CI low"},
                     {1, 3});
  for (const auto &row : c.value("cases", json::array())) {
    figures.add_row({row.value("case", ""), where(row), tflops(row["rated_tflops"]),
                     row.value("rated_source", ""), tflops(row["claimed_tflops"]),
                     tflops(row["max_achievable_tflops"]), tflops(row["delivered_tflops"]),
                     tflops(row["delivered_ci_low_tflops"])});
  }
  out += "\nfigures per GEMM case [TFLOP/s; int8 TOP/s]: rated (device database, else backend), "
         "claimed (provider), max-achievable (microkernel), delivered (median)\n" +
         figures.render();
  text_table capacity(
      {"precision", "certified capacity [TFLOP/s]", "devices", "claimed cluster [PFLOP/s]"});
  const json &cap = c.contains("capacity") ? c["capacity"] : json::object();
  for (const auto &[precision, v] : cap.items()) {
    capacity.add_row({precision, tflops(v["certified_tflops"]),
                      std::to_string(v.value("devices", 0)),
                      v["claimed_cluster_pflops"].is_number() ? tflops(v["claimed_cluster_pflops"])
                                                              : std::string("-")});
  }
  out += "\ncertified capacity: " + c.value("capacity_convention", "") + "\n" + capacity.render();
  return out;
}

} // namespace suanli::reports
