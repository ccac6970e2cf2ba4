// The HTML, Markdown and CSV printers on synthetic reports: well-formed XHTML, one mark per
// point per chart, escaping, banners, heat map, tables.
#include "render_fixture.hpp"
#include "render_xml.hpp"

#include <render/chart.hpp>
#include <render/page.hpp>

#include <gtest/gtest.h>

#include <cmath>

namespace suanli::render {
namespace {

using nlohmann::json;
using test::count_of;

report_input input(const json &report, bool is_signed = false) {
  report_input in;
  in.path = "fixture.json";
  in.report = report;
  in.is_signed = is_signed;
  in.signature_text = is_signed ? "signed by keyid abcd: signature not checked; run suanli verify"
                                : "unsigned: the report carries no signature";
  return in;
}

// The <svg> of a chart id (empty when absent).
std::string chart(const std::string &html, const std::string &id) {
  const auto b = html.find("id=\"chart-" + id + "\"");
  if (b == std::string::npos) {
    return "";
  }
  return html.substr(b, html.find("</svg>", b) - b);
}

size_t marks(const std::string &html, const std::string &id) {
  return count_of(chart(html, id), "data-chart=\"" + id + "\"");
}

TEST(render_page, single_node_page_is_well_formed_with_one_mark_per_point) {
  const auto html = html_report(input(test::single_report()));
  EXPECT_EQ(test::xml_problem(html), "");
  EXPECT_EQ(marks(html, "gemm-throughput"),
            4u); // 3 fp32 + 1 passed bf16; the failed one is left out
  EXPECT_EQ(marks(html, "gemm-efficiency"), 4u);
  EXPECT_EQ(marks(html, "attention-throughput"), 2u);
  // fp32: rated, claimed, max achievable, delivered; bf16: rated, delivered
  EXPECT_EQ(marks(html, "peaks"), 6u);
  EXPECT_EQ(chart(html, "collective-busbw"), "");
  EXPECT_EQ(chart(html, "nodes"), "");
  EXPECT_NE(chart(html, "gemm-throughput").find("GFLOP/s"), std::string::npos);
  EXPECT_NE(html.find("@media print"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find(" src="), std::string::npos);
}

TEST(render_page, banner_without_certification_says_signature_state_and_verified_count) {
  const auto html = html_report(input(test::single_report()));
  EXPECT_NE(html.find("Unsigned report: verified 6 of 7 cases"), std::string::npos);
  const auto signed_html = html_report(input(test::single_report(), true));
  EXPECT_NE(signed_html.find("Signed report: verified 6 of 7 cases"), std::string::npos);
  EXPECT_NE(signed_html.find("signature not checked; run suanli verify"), std::string::npos);
}

TEST(render_page, certification_verdict_reasons_nodes_and_capacity_are_shown) {
  auto r = test::single_report();
  r["certification"] = {
      {"verdict", "NOT CERTIFIED"},
      {"reasons", {"node 2 delivers 60% <of> the median"}},
      {"nodes", {{{"node", "node2"}, {"verdict", "NOT CERTIFIED"}, {"reasons", {"slow"}}}}},
      {"capacity", {{"fp32_pflops", 0.001}}}};
  const auto html = html_report(input(r));
  EXPECT_EQ(test::xml_problem(html), "");
  EXPECT_NE(html.find("<h2>NOT CERTIFIED</h2>"), std::string::npos);
  EXPECT_NE(html.find("60% &lt;of&gt; the median"), std::string::npos);
  EXPECT_NE(html.find("fp32_pflops"), std::string::npos);
  EXPECT_NE(html.find("class=\"banner bad\""), std::string::npos);
  EXPECT_EQ(banner_text(input(r)).rfind("NOT CERTIFIED", 0), 0u);
}

// A certification figure of one GEMM case on one device [TFLOP/s]; NaN leaves a figure null.
json figure(const std::string &name, int node, double rated, double claimed, double max,
            double delivered, double ci_low) {
  auto n = [](double v) { return std::isnan(v) ? json() : json(v); };
  return {{"node", node},
          {"rank", node},
          {"backend", "cpu"},
          {"device", 0},
          {"case", name},
          {"precision", name.substr(5, 4)},
          {"rated_tflops", n(rated)},
          {"rated_source", "backend"},
          {"claimed_tflops", n(claimed)},
          {"max_achievable_tflops", n(max)},
          {"delivered_tflops", n(delivered)},
          {"delivered_ci_low_tflops", n(ci_low)}};
}

TEST(render_page, peak_bars_without_certification_are_per_dtype_from_the_peak_records) {
  auto r = test::single_report();
  r["certification"] = {{"verdict", "CERTIFIED"}}; // no suanli.certification.v1 schema
  for (const auto &report : {test::single_report(), r}) {
    const auto bars = peak_bars(report);
    EXPECT_EQ(bars.unit, "GFLOP/s");
    ASSERT_EQ(bars.groups.size(), 2u);
    EXPECT_EQ(bars.groups[0].name, "fp32");
    EXPECT_EQ(bars.groups[0].bars.size(), 4u); // rated, claimed, max achievable, delivered
    EXPECT_EQ(bars.groups[1].name, "bf16");
    EXPECT_EQ(bars.groups[1].bars.size(), 2u); // rated, delivered
  }
  r["certification"] = {{"schema", "suanli.certification.v1"}, {"cases", json::array()}};
  EXPECT_EQ(peak_bars(r).unit, "GFLOP/s") << "no GEMM figure: the peak records";
}

TEST(render_page, peak_bars_come_from_the_certification_figures_per_gemm_case) {
  const double none = std::nan("");
  auto r = test::single_report();
  r["certification"] = {
      {"schema", "suanli.certification.v1"},
      {"verdict", "CERTIFIED"},
      {"reasons", json::array()},
      {"nodes",
       {{{"index", 0},
         {"host", "host-a"},
         {"verdict", "CERTIFIED"},
         {"reasons", json::array()},
         {"devices", json::array()}}}},
      {"capacity",
       {{"fp32",
         {{"certified_tflops", 0.12}, {"devices", 1}, {"claimed_cluster_pflops", nullptr}}}}},
      {"cases",
       {figure("gemm.fp32.512", 0, 1.0, 0.95, 0.9, 0.2, 0.19),
        figure("gemm.fp32.512", 1, 1.0, none, 0.9, 0.12, 0.11), // the slower device is shown
        figure("gemm.bf16.512", 0, 2.0, none, none, 0.4, 0.38)}}};
  const auto bars = peak_bars(r);
  EXPECT_EQ(bars.unit, "TFLOP/s");
  ASSERT_EQ(bars.groups.size(), 2u);
  const auto &fp32 = bars.groups[0];
  EXPECT_EQ(fp32.name, "gemm.fp32.512");
  ASSERT_EQ(fp32.bars.size(), 4u);
  EXPECT_EQ(fp32.bars[0].name, "rated");
  EXPECT_EQ(fp32.bars[1].name, "max achievable");
  EXPECT_EQ(fp32.bars[2].name, "delivered");
  EXPECT_EQ(fp32.bars[2].value, 0.12);
  EXPECT_EQ(fp32.bars[3].name, "delivered CI low");
  EXPECT_EQ(fp32.bars[3].value, 0.11);
  EXPECT_NE(fp32.bars[2].source.find("node 1 device 0 (lowest delivered of 2 devices)"),
            std::string::npos)
      << fp32.bars[2].source;
  EXPECT_EQ(bars.groups[1].name, "gemm.bf16.512");
  EXPECT_EQ(bars.groups[1].bars.size(), 3u); // rated, delivered, CI low
  const auto html = html_report(input(r));
  EXPECT_EQ(test::xml_problem(html), "");
  EXPECT_EQ(marks(html, "peaks"), 7u);
  const auto svg = chart(html, "peaks");
  EXPECT_NE(svg.find(">gemm.bf16.512</text>"), std::string::npos);
  EXPECT_NE(svg.find(">delivered CI low</text>"), std::string::npos);
  EXPECT_NE(html.find("(certification figures) [TFLOP/s]"), std::string::npos);
  // The banner names v1 nodes by index and host and reads v1 capacity records.
  EXPECT_NE(html.find("<td>node 0 host-a</td>"), std::string::npos);
  EXPECT_NE(html.find("certified 0.12 TFLOP/s on 1 device(s); claimed -"), std::string::npos);
}

TEST(render_page, every_text_from_the_report_is_escaped) {
  auto r = test::single_report();
  r["suite"]["name"] = "<script>alert(1)</script>";
  r["cases"][0]["name"] = "gemm.<script>x</script>&\"'";
  r["system"]["host"]["hostname"] = "h<b>ost\x01";
  const auto html = html_report(input(r));
  EXPECT_EQ(test::xml_problem(html), "");
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("gemm.&lt;script&gt;x&lt;/script&gt;&amp;&quot;&#39;"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  const auto md = markdown_report(input(r));
  EXPECT_EQ(md.find("<script"), std::string::npos);
}

TEST(render_page,
     cluster_page_has_collective_charts_and_a_heat_map_where_the_slow_node_stands_out) {
  const auto html = html_report(input(test::cluster_report()));
  EXPECT_EQ(test::xml_problem(html), "");
  EXPECT_EQ(marks(html, "collective-busbw"), 3u);
  EXPECT_EQ(marks(html, "collective-latency"), 3u);
  EXPECT_EQ(marks(html, "nodes"), 6u); // 3 nodes x 2 cases
  const auto heat = chart(html, "nodes");
  EXPECT_EQ(count_of(heat, "class=\"mark slow\""), 2u); // node 2, both cases
  EXPECT_NE(heat.find("node 2 node2 dev 0"), std::string::npos);
  EXPECT_NE(html.find("<td>node 1 node1</td>"), std::string::npos); // inventory per node
}

TEST(render_page, markdown_has_banner_system_cases_and_conventions) {
  auto r = test::single_report();
  r["cases"][1]["name"] = "a|b";
  const auto md = markdown_report(input(r));
  EXPECT_NE(md.find("# suanli report: fixture"), std::string::npos);
  EXPECT_NE(md.find("verified 6 of 7 cases"), std::string::npos);
  EXPECT_NE(md.find("| case | status | median time |"), std::string::npos);
  EXPECT_NE(md.find("a\\|b"), std::string::npos);
  EXPECT_NE(md.find("300 GFLOP/s"), std::string::npos);
  EXPECT_NE(md.find("`suanli.gemm.flops.v1`"), std::string::npos);
}

TEST(render_page, the_xml_checker_is_strict) {
  EXPECT_EQ(test::xml_problem("<!DOCTYPE html><a x=\"1\"><b/>t &amp; &#39;</a>"), "");
  EXPECT_NE(test::xml_problem("<a><b></a></b>"), "");
  EXPECT_NE(test::xml_problem("<a>x & y</a>"), "");
  EXPECT_NE(test::xml_problem("<a x=1/>"), "");
  EXPECT_NE(test::xml_problem("<a x=\"1\" x=\"2\"/>"), "");
  EXPECT_NE(test::xml_problem("<a><br></a>"), "");
  EXPECT_NE(test::xml_problem("<a/><b/>"), "");
}

TEST(render_page, csv_has_a_header_with_units_and_one_row_per_case) {
  auto r = test::single_report();
  r["cases"][0]["name"] = "with,comma";
  const auto csv = csv_report(input(r));
  EXPECT_EQ(count_of(csv, "\n"), 8u);
  EXPECT_EQ(csv.rfind("node,case,operation,precision,status,median_time_s,", 0), 0u);
  EXPECT_NE(csv.find(",\"with,comma\",gemm,fp32,pass,"), std::string::npos);
  EXPECT_NE(csv.find("gemm.bf16.1024,gemm,bf16,fail,"), std::string::npos);
  const auto cl = csv_report(input(test::cluster_report()));
  EXPECT_EQ(count_of(cl, "\n"), 1u + 3u + 6u);
  EXPECT_NE(cl.find("2:node2,gemm.fp32.512"), std::string::npos);
}

} // namespace
} // namespace suanli::render
