// `suanli render`, `suanli compare` and run's progress lines, end to end on real reports.
#include "cli_support.hpp"
#include "render_xml.hpp"

#include <reports/base64.hpp>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>

namespace suanli::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

void expect_one_line(const cli_result &r, int code, const std::string &needle) {
  EXPECT_EQ(r.exit_code, code) << r.out << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
}

std::string q(const fs::path &p) {
  return "'" + p.string() + "'";
}

class render_cli : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    dir_ = fresh_dir("render");
    ASSERT_EQ(run_suanli("keygen --out " + q(dir_ / "k")).exit_code, 0);
    ASSERT_EQ(run_suanli("keygen --out " + q(dir_ / "other")).exit_code, 0);
    const auto a = run_suanli("run --suite " + q(cli_data("tiny.toml")) + " --threads 1 --key " +
                              q(dir_ / "k.key") + " --out " + q(dir_ / "a.json"));
    ASSERT_EQ(a.exit_code, 0) << a.out << a.err;
    run_out_ = a.out;
    run_err_ = a.err;
    const auto b = run_suanli("run --suite " + q(cli_data("tiny.toml")) +
                              " --threads 1 --quiet --out " + q(dir_ / "b.json"));
    ASSERT_EQ(b.exit_code, 0) << b.out << b.err;
    quiet_out_ = b.out;
  }
  static json payload(const fs::path &report) {
    return json::parse(*reports::base64_decode(
        json::parse(slurp(report))["payload"].get<std::string>()))["predicate"];
  }
  static inline fs::path dir_;
  static inline std::string run_out_, run_err_, quiet_out_;
};

TEST_F(render_cli, run_prints_one_line_per_case_on_stdout_when_stderr_is_not_a_terminal) {
  EXPECT_NE(run_out_.find("[1/3] gemm.fp32.96x80x72  pass"), std::string::npos) << run_out_;
  EXPECT_NE(run_out_.find("[3/3] "), std::string::npos) << run_out_;
  EXPECT_EQ(run_out_.find('\r'), std::string::npos);
  EXPECT_EQ(run_err_.find("[1/3]"), std::string::npos) << run_err_;
  EXPECT_EQ(quiet_out_.find("[1/3]"), std::string::npos) << quiet_out_;
}

TEST_F(render_cli, renders_html_md_and_csv_of_a_signed_report_atomically) {
  const auto out = dir_ / "signed";
  fs::create_directories(out);
  const auto r = run_suanli("render " + q(dir_ / "a.json") + " --html " + q(out / "a.html") +
                            " --md " + q(out / "a.md") + " --csv " + q(out / "a.csv"));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("signature not checked; run suanli verify"), std::string::npos) << r.out;
  const auto html = slurp(out / "a.html");
  EXPECT_EQ(xml_problem(html), "");
  EXPECT_NE(html.find("Signed report: verified 3 of 3 cases"), std::string::npos);
  size_t passed_gemm = 0;
  const auto report = payload(dir_ / "a.json");
  for (const auto &c : report["cases"]) {
    passed_gemm += c["operation"] == "gemm" && c["status"] == "pass" ? 1 : 0;
  }
  EXPECT_EQ(count_of(html, "data-chart=\"gemm-throughput\""), passed_gemm);
  EXPECT_NE(slurp(out / "a.md").find("gemm.int8.96x80x72"), std::string::npos);
  EXPECT_EQ(count_of(slurp(out / "a.csv"), "\n"), 4u);
  size_t files = 0;
  for ([[maybe_unused]] const auto &e : fs::directory_iterator(out)) {
    ++files; // no temporary file left behind
  }
  EXPECT_EQ(files, 3u);
}

TEST_F(render_cli, pub_checks_the_signature_and_a_wrong_key_exits_1) {
  const auto good = run_suanli("render " + q(dir_ / "a.json") + " --pub " + q(dir_ / "k.pub") +
                               " --html " + q(dir_ / "good.html"));
  EXPECT_EQ(good.exit_code, 0) << good.out << good.err;
  EXPECT_NE(slurp(dir_ / "good.html").find("signature verified"), std::string::npos);
  const auto bad = run_suanli("render " + q(dir_ / "a.json") + " --pub " + q(dir_ / "other.pub") +
                              " --html " + q(dir_ / "bad.html"));
  EXPECT_EQ(bad.exit_code, 1) << bad.out << bad.err;
  EXPECT_NE(slurp(dir_ / "bad.html").find("signature NOT valid"), std::string::npos);
}

TEST_F(render_cli, renders_unsigned_envelopes_and_bare_payloads) {
  const auto r = run_suanli("render " + q(dir_ / "b.json") + " --html " + q(dir_ / "b.html"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(slurp(dir_ / "b.html").find("Unsigned report"), std::string::npos);
  spit(dir_ / "bare.json", payload(dir_ / "b.json").dump());
  const auto bare = run_suanli("render " + q(dir_ / "bare.json") + " --md " + q(dir_ / "bare.md"));
  ASSERT_EQ(bare.exit_code, 0) << bare.err;
  EXPECT_NE(slurp(dir_ / "bare.md").find("unsigned"), std::string::npos);
}

TEST_F(render_cli, compare_prints_ratios_cis_and_cases_in_one_report_only) {
  auto p = payload(dir_ / "b.json");
  p["cases"][2]["name"] = "gemm.renamed";
  spit(dir_ / "c.json", p.dump());
  const auto r = run_suanli("compare " + q(dir_ / "a.json") + " " + q(dir_ / "c.json"));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("geomean time ratio"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("over 2 cases"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("B/A time ratio"), std::string::npos);
  EXPECT_NE(r.out.find("gemm.fp32.96x80x72"), std::string::npos);
  EXPECT_NE(r.out.find("only in " + (dir_ / "c.json").string() + ": gemm.renamed"),
            std::string::npos)
      << r.out;
  const auto h = run_suanli("compare " + q(dir_ / "a.json") + " " + q(dir_ / "b.json") +
                            " --html " + q(dir_ / "cmp.html") + " --md " + q(dir_ / "cmp.md"));
  ASSERT_EQ(h.exit_code, 0) << h.err;
  const auto html = slurp(dir_ / "cmp.html");
  EXPECT_EQ(xml_problem(html), "");
  EXPECT_EQ(count_of(html, "data-chart=\"ratios\""), 3u);
  EXPECT_NE(slurp(dir_ / "cmp.md").find("| case | A median time |"), std::string::npos);
}

TEST_F(render_cli, bad_inputs_give_one_line_and_exit_2) {
  expect_one_line(run_suanli("render " + q(dir_ / "none.json") + " --html " + q(dir_ / "x.html")),
                  2, "cannot read report");
  spit(dir_ / "text.json", "not json at all");
  expect_one_line(run_suanli("render " + q(dir_ / "text.json") + " --html " + q(dir_ / "x.html")),
                  2, "not a suanli report");
  spit(dir_ / "other.json", "{\"hello\": 1}");
  expect_one_line(run_suanli("render " + q(dir_ / "other.json") + " --md " + q(dir_ / "x.md")), 2,
                  "not a suanli report");
  expect_one_line(run_suanli("render " + q(dir_ / "a.json")), 2, "at least one of --html");
  expect_one_line(run_suanli("compare " + q(dir_ / "a.json")), 2, "at least two reports");
  expect_one_line(run_suanli("compare " + q(dir_ / "a.json") + " " + q(dir_ / "none.json")), 2,
                  "cannot read report");
  const auto unknown = run_suanli("render " + q(dir_ / "a.json") + " --bogus");
  EXPECT_EQ(unknown.exit_code, 2) << unknown.err;
  EXPECT_NE(unknown.err.find("--bogus"), std::string::npos) << unknown.err;
  EXPECT_FALSE(fs::exists(dir_ / "x.html"));
}

} // namespace
} // namespace suanli::test
