// Output safety of the HTML pages: every text a report carries (names, models, notes, reasons,
// claims, conventions, paths) is escaped, so a hostile report renders as text, never as markup.
#include "render_fixture.hpp"
#include "render_xml.hpp"

#include <render/compare.hpp>
#include <render/page.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace suanli::render {
namespace {

using nlohmann::json;

const std::string hostile = "<script>alert(1)</script>\"'&";
const std::string escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;";

report_input input(const json &report, const std::string &path) {
  report_input in;
  in.path = path;
  in.report = report;
  in.signature_text = "unsigned: " + hostile;
  return in;
}

/// A report with the hostile text, behind a tag naming the field, in every field the pages
/// display; the tags go into `tags`.
json hostile_report(json r, std::vector<std::string> &tags) {
  const auto h = [&](const std::string &field) {
    tags.push_back(field);
    return field + hostile;
  };
  r["suite"]["name"] = h("suite.name");
  r["suite"]["description"] = h("suite.description");
  r["suite"]["sha256"] = h("suite.sha256");
  r["created"] = h("created");
  r["tool"] = {{"version", h("tool.version")},
               {"git_commit", h("tool.git_commit")},
               {"binary_sha256", h("tool.binary_sha256")}};
  r["run"] = {{"nonce", h("run.nonce")}, {"nonce_source", h("run.nonce_source")}};
  if (r.contains("system")) {
    r["system"]["host"]["hostname"] = h("host.hostname");
    r["system"]["cpu"]["vendor"] = h("cpu.vendor");
    r["system"]["cpu"]["model"] = h("cpu.model");
    r["system"]["os"]["pretty_name"] = h("os.pretty_name");
    r["system"]["os"]["kernel"] = h("os.kernel");
  }
  r["backends"][0]["name"] = h("backend.name");
  r["backends"][0]["devices"][0]["model"] = h("device.model");
  r["conventions"][0]["id"] = h("convention.id");
  r["conventions"][0]["text"] = h("convention.text");
  for (auto &c : r["cases"]) {
    c["name"] = "case.name" + hostile + c["name"].get<std::string>();
    c["reason"] = "case.reason" + hostile;
    c["verification"]["summary"] = "case.summary" + hostile;
  }
  tags.insert(tags.end(), {"case.name", "case.summary"});
  return r;
}

void expect_inert(const std::string &html, const std::string &what) {
  EXPECT_EQ(test::xml_problem(html), "") << what;
  EXPECT_EQ(html.find("<script"), std::string::npos) << what;
  EXPECT_EQ(html.find("alert(1)</"), std::string::npos) << what;
  EXPECT_NE(html.find(escaped), std::string::npos) << what;
}

TEST(render_escape, a_hostile_single_node_report_renders_as_text) {
  std::vector<std::string> tags;
  const json r = hostile_report(test::single_report(), tags);
  const auto html = html_report(input(r, hostile));
  expect_inert(html, "single-node page");
  for (const auto &tag : tags) {
    EXPECT_NE(html.find(tag + escaped), std::string::npos) << tag << " is shown escaped";
  }
  EXPECT_EQ(markdown_report(input(r, "r.json")).find("<script"), std::string::npos);
}

TEST(render_escape, hostile_certification_and_cluster_fields_render_as_text) {
  std::vector<std::string> tags;
  json r = hostile_report(test::cluster_report(), tags);
  for (auto &n : r["nodes"]) {
    n["host"] = hostile;
    n["system"]["host"]["hostname"] = hostile;
    n["backends"][0]["devices"][0]["model"] = hostile;
    for (auto &c : n["cases"]) {
      c["name"] = hostile + c["name"].get<std::string>();
    }
  }
  r["certification"] = {
      {"verdict", hostile},
      {"reasons", {hostile}},
      {"nodes", {{{"node", hostile}, {"verdict", hostile}, {"reasons", {hostile}}}}},
      {"capacity", {{hostile, hostile}}}};
  expect_inert(html_report(input(r, "cluster.json")), "cluster page");
}

TEST(render_escape, a_hostile_comparison_renders_as_text) {
  std::vector<std::string> tags;
  const json a = hostile_report(test::single_report(), tags);
  json b = a;
  for (auto &c : b["cases"]) {
    if (c.contains("measurement")) {
      for (auto &t : c["measurement"]["samples_s"]) {
        t = t.get<double>() * 1.5;
      }
    }
  }
  const auto c = compare_reports({input(a, hostile + "a.json"), input(b, hostile + "b.json")});
  ASSERT_FALSE(c.cases.empty());
  expect_inert(compare_html(c), "comparison page");
  EXPECT_EQ(compare_markdown(c).find("<script"), std::string::npos);
}

} // namespace
} // namespace suanli::render
