// Every bad input: its exit code and one clear line on stderr.
#include "cli_support.hpp"

#include <reports/dsse.hpp>
#include <reports/statement.hpp>

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

namespace suanli::test {
namespace {

namespace fs = std::filesystem;

// One line on stderr that contains `needle`, and the expected exit code.
void expect_one_line(const cli_result &r, int code, const std::string &needle) {
  EXPECT_EQ(r.exit_code, code) << r.out << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
}

class cli_errors : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fresh_dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string run_suite(const std::string &suite, const std::string &extra = "") {
    return "run --suite '" + suite + "' --threads 1 --out '" + (dir_ / "r.json").string() + "' " +
           extra;
  }
  fs::path dir_;
};

TEST_F(cli_errors, unknown_suite) {
  const auto r = run_suanli(run_suite("no_such_suite"));
  expect_one_line(r, 2, "unknown suite 'no_such_suite'");
  EXPECT_NE(r.err.find("quick"), std::string::npos) << "lists the suites found";
  EXPECT_FALSE(fs::exists(dir_ / "r.json"));
}

TEST_F(cli_errors, toml_syntax_error_points_at_file_line_column) {
  expect_one_line(run_suanli(run_suite(cli_data("bad_syntax.toml"))), 2, "bad_syntax.toml:3:");
}

TEST_F(cli_errors, unknown_dtype) {
  const auto r = run_suanli(run_suite(cli_data("bad_dtype.toml")));
  expect_one_line(r, 2, "bad_dtype.toml:5:");
  EXPECT_NE(r.err.find("fp31"), std::string::npos);
}

TEST_F(cli_errors, zero_negative_and_overflowing_dimensions) {
  for (const std::string which : {"zero", "negative", "overflow"}) {
    const auto r = run_suanli(run_suite(cli_data("dim_" + which + ".toml")));
    expect_one_line(r, 2, "dim_" + which + ".toml:");
  }
}

TEST_F(cli_errors, problem_too_large_for_memory_is_refused_before_allocating) {
  const auto r = run_suanli(run_suite(cli_data("too_large.toml")));
  expect_one_line(r, 2, "too large for memory");
  EXPECT_FALSE(fs::exists(dir_ / "r.json"));
}

TEST_F(cli_errors, missing_key) {
  expect_one_line(
      run_suanli(run_suite(cli_data("tiny.toml"), "--key '" + (dir_ / "nope.key").string() + "'")),
      2, "nope.key");
}

TEST_F(cli_errors, key_file_readable_by_others_is_refused) {
  ASSERT_EQ(run_suanli("keygen --out '" + (dir_ / "k").string() + "'").exit_code, 0);
  fs::permissions(dir_ / "k.key", fs::perms::owner_read | fs::perms::owner_write |
                                      fs::perms::group_read | fs::perms::others_read);
  const auto r =
      run_suanli(run_suite(cli_data("tiny.toml"), "--key '" + (dir_ / "k.key").string() + "'"));
  expect_one_line(r, 2, "0644");
  EXPECT_NE(r.err.find("chmod 600"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "r.json")) << "nothing runs before the key is accepted";
}

TEST_F(cli_errors, keygen_refuses_to_overwrite_a_key) {
  ASSERT_EQ(run_suanli("keygen --out '" + (dir_ / "k").string() + "'").exit_code, 0);
  expect_one_line(run_suanli("keygen --out '" + (dir_ / "k").string() + "'"), 2, "k.key");
}

TEST_F(cli_errors, wrong_public_key_fails_verification) {
  ASSERT_EQ(run_suanli("keygen --out '" + (dir_ / "a").string() + "'").exit_code, 0);
  ASSERT_EQ(run_suanli("keygen --out '" + (dir_ / "b").string() + "'").exit_code, 0);
  ASSERT_EQ(run_suanli(run_suite(cli_data("tiny.toml"),
                                 "--quiet --key '" + (dir_ / "a.key").string() + "'"))
                .exit_code,
            0);
  const auto r = run_suanli("verify '" + (dir_ / "r.json").string() + "' --pubkey '" +
                            (dir_ / "b.pub").string() + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("FAILED"), std::string::npos) << r.out;
}

TEST_F(cli_errors, truncated_and_non_json_envelopes) {
  ASSERT_EQ(run_suanli("keygen --out '" + (dir_ / "k").string() + "'").exit_code, 0);
  ASSERT_EQ(run_suanli(run_suite(cli_data("tiny.toml"), "--quiet")).exit_code, 0);
  const auto text = slurp(dir_ / "r.json");
  spit(dir_ / "truncated.json", text.substr(0, text.size() / 2));
  spit(dir_ / "text.json", "this is not json\n");
  for (const std::string f : {"truncated.json", "text.json"}) {
    const auto r = run_suanli("verify '" + (dir_ / f).string() + "' --pubkey '" +
                              (dir_ / "k.pub").string() + "'");
    expect_one_line(r, 2, f + ": not a JSON DSSE envelope");
  }
}

TEST_F(cli_errors, a_file_that_is_not_a_plugin) {
  spit(dir_ / "libsuanli-fake.so", "not an ELF file\n");
  expect_one_line(
      run_suanli(run_suite(cli_data("tiny.toml"),
                           "--backend-path '" + (dir_ / "libsuanli-fake.so").string() + "'")),
      3, "is not a loadable shared library");
}

TEST_F(cli_errors, a_plugin_with_another_abi_major) {
  expect_one_line(run_suanli(run_suite(cli_data("tiny.toml"),
                                       std::string("--backend-path '") + BAD_MAJOR_PLUGIN + "'")),
                  3, "speaks backend ABI 2.0");
}

TEST_F(cli_errors, unknown_backend_and_bad_nonce) {
  expect_one_line(run_suanli(run_suite(cli_data("tiny.toml"), "--backend nosuch")), 2,
                  "unknown backend 'nosuch'");
  expect_one_line(run_suanli(run_suite(cli_data("tiny.toml"), "--nonce xyz")), 2, "--nonce");
}

TEST_F(cli_errors, a_crafted_report_is_refused_not_half_printed) {
  // A well-signed-looking statement whose report lacks everything a printer reads.
  const auto st = reports::make_statement("x", {{"schema", "suanli.report.v1"}, {"cases", 5}});
  spit(dir_ / "crafted.json",
       reports::serialize_envelope(reports::make_unsigned_statement_envelope(st)));
  const auto r = run_suanli("show '" + (dir_ / "crafted.json").string() + "'");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("not a well-formed suanli.report.v1 report"), std::string::npos) << r.out;
}

TEST_F(cli_errors, out_that_is_a_folder_is_refused_before_running) {
  expect_one_line(
      run_suanli("run --suite '" + cli_data("tiny.toml") + "' --out '" + dir_.string() + "'"), 2,
      "is a folder");
}

TEST_F(cli_errors, usage_errors_exit_2) {
  EXPECT_EQ(run_suanli("run --out x.json").exit_code, 2); // --suite missing
  EXPECT_EQ(run_suanli("frobnicate").exit_code, 2);
  EXPECT_EQ(run_suanli("--version").exit_code, 0);
}

} // namespace
} // namespace suanli::test
