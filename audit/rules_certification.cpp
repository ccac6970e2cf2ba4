// Rule on certification: the verdict, reasons, figures and capacity of a certification suite's
// report are recomputed from the report's own data and the shipped suite's [certify] criteria
// (certify/verdict.hpp), so neither a flipped verdict nor an inflated capacity survives audit.

#include <audit/rules.hpp>
#include <certify/verdict.hpp>

#include <algorithm>
#include <string>

namespace suanli::audit {
namespace {

using nlohmann::json;

// The first path where two JSON values differ ("" when equal), e.g. "capacity.fp32".
std::string first_difference(const json &a, const json &b, const std::string &path) {
  if (a.type() != b.type() || (!a.is_object() && !a.is_array())) {
    return a == b ? "" : path;
  }
  if (a.is_array()) {
    if (a.size() != b.size()) {
      return path + " (length)";
    }
    for (size_t i = 0; i < a.size(); ++i) {
      if (auto d = first_difference(a[i], b[i], path + "[" + std::to_string(i) + "]"); !d.empty()) {
        return d;
      }
    }
    return "";
  }
  for (const auto &[key, value] : a.items()) {
    const std::string sub = path.empty() ? key : path + "." + key;
    if (!b.contains(key)) {
      return sub + " (extra)";
    }
    if (auto d = first_difference(value, b[key], sub); !d.empty()) {
      return d;
    }
  }
  for (const auto &[key, value] : b.items()) {
    if (!a.contains(key)) {
      return (path.empty() ? key : path + "." + key) + " (missing)";
    }
  }
  return "";
}

std::string text_at(const json &root, const std::string &path) {
  try {
    std::string pointer;
    for (char ch : path) {
      pointer += ch == '.' ? '/' : ch == '[' ? '/' : ch == ']' ? '\0' : ch;
    }
    pointer.erase(std::remove(pointer.begin(), pointer.end(), '\0'), pointer.end());
    const auto cut = pointer.find(' ');
    return root.at(json::json_pointer("/" + pointer.substr(0, cut))).dump();
  } catch (const std::exception &) {
    return "(absent)";
  }
}

} // namespace

void check_certification(const report_input &in, reporter &out) {
  const auto sha = in.report.at("suite").value("sha256", std::string());
  const auto it = in.options.suite_criteria.find(sha);
  const bool has = in.report.contains("certification");
  if (it == in.options.suite_criteria.end()) {
    if (has && in.options.suite_digests.contains(sha)) {
      out.add("certification", "a certification in the report of a suite without [certify]",
              "present", "absent");
    }
    return; // an unknown suite: suite.unknown_digest says so
  }
  json recomputed;
  try {
    recomputed = certify::certify_report(in.report, it->second);
  } catch (const std::exception &e) {
    out.add("certification", "the certification cannot be recomputed from this report", e.what(),
            "a well-formed report");
    return;
  }
  if (!has) {
    out.add("certification", "the report of a certification suite carries no certification",
            "absent", certify::certified(recomputed) ? "CERTIFIED" : "NOT CERTIFIED");
    return;
  }
  const json &recorded = in.report["certification"];
  if (const auto path = first_difference(recorded, recomputed, ""); !path.empty()) {
    out.add("certification." + path, "the certification differs from its recomputation",
            text_at(recorded, path), text_at(recomputed, path));
  }
}

} // namespace suanli::audit
