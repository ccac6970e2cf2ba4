// Cold mode end to end: `run --cold-bytes` rotates every GEMM and attention case over copies of
// its operands, records the policy and the set count, still verifies the set the last call wrote
// (a corrupted output is caught), and the suite key and the flags refuse bad values.
#include "cli_support.hpp"

#include <reports/base64.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace suanli::test {
namespace {

using nlohmann::json;

json predicate_of(const std::filesystem::path &report) {
  const auto envelope = json::parse(slurp(report));
  return json::parse(*reports::base64_decode(envelope["payload"].get<std::string>()))["predicate"];
}

int64_t type_bytes(const json &type) {
  const auto t = type.get<std::string>();
  return t == "fp64" ? 8 : t == "fp32" || t == "int32" ? 4 : t == "int8" || t == "uint8" ? 1 : 2;
}

std::string run_args(const std::string &suite, const std::filesystem::path &out) {
  return "run --suite '" + cli_data(suite) + "' --threads 1 --out '" + out.string() + "'";
}

TEST(cli_cold, every_case_rotates_over_enough_sets_and_passes_verification) {
  const auto dir = fresh_dir("cold");
  const auto out = dir / "cold.json";
  constexpr int64_t cold = 8 << 20; // 8 MiB between two uses of a set
  const auto r = run_suanli(run_args("tiny.toml", out) + " --cold-bytes " + std::to_string(cold));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("calls rotate over"), std::string::npos) << r.out;
  const auto p = predicate_of(out);
  ASSERT_EQ(p["cases"].size(), 3u);
  for (const auto &c : p["cases"]) {
    EXPECT_EQ(c["status"], "pass") << c["name"] << c["reason"];
    EXPECT_EQ(c["policy"]["cold_bytes"], cold);
    const auto sets = c["buffer_sets"].get<int64_t>();
    // The tiny shapes need far less than 8 MiB per set: (sets - 1) sets must cover it.
    const auto &g = c["parameters"];
    const int64_t m = g["m"], n = g["n"], k = g["k"];
    const int64_t set_bytes = m * k * type_bytes(g["a_type"]) + k * n * type_bytes(g["b_type"]) +
                              m * n * type_bytes(g["c_type"]);
    EXPECT_GE((sets - 1) * set_bytes, cold) << c["name"];
    EXPECT_LT((sets - 2) * set_bytes, cold) << c["name"] << ": no more sets than needed";
  }
}

TEST(cli_cold, warm_runs_record_one_set_and_no_cold_bytes) {
  const auto dir = fresh_dir("warm");
  const auto out = dir / "warm.json";
  ASSERT_EQ(run_suanli(run_args("tiny.toml", out)).exit_code, 0);
  const auto p = predicate_of(out);
  for (const auto &c : p["cases"]) {
    EXPECT_EQ(c["buffer_sets"], 1) << c["name"];
    EXPECT_EQ(c["policy"]["cold_bytes"], 0) << c["name"];
  }
}

TEST(cli_cold, attention_rotates_too) {
  const auto dir = fresh_dir("cold_attn");
  const auto out = dir / "a.json";
  const auto r = run_suanli(run_args("attn_tiny.toml", out) + " --cold-bytes 1048576");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  int passed = 0;
  const auto p = predicate_of(out);
  for (const auto &c : p["cases"]) {
    if (c["status"] == "pass") {
      ++passed;
      EXPECT_GT(c["buffer_sets"].get<int64_t>(), 1) << c["name"];
    }
  }
  EXPECT_GT(passed, 0);
}

TEST(cli_cold, a_corrupted_output_is_caught_in_the_set_that_was_read) {
  const auto dir = fresh_dir("cold_fault");
  const auto out = dir / "f.json";
  const auto r = run_suanli(run_args("tiny.toml", out) + " --cold-bytes 4194304",
                            "SUANLI_CPU_FAULT=corrupt_gemm_output");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const auto p = predicate_of(out);
  for (const auto &c : p["cases"]) {
    EXPECT_EQ(c["status"], "fail") << c["name"];
    EXPECT_GT(c["buffer_sets"].get<int64_t>(), 1) << c["name"];
  }
}

TEST(cli_cold, bad_values_are_refused_with_one_line) {
  const auto dir = fresh_dir("cold_bad");
  const auto out = dir / "x.json";
  auto r = run_suanli(run_args("tiny.toml", out) + " --cold-bytes -5");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--cold-bytes"), std::string::npos) << r.err;
  r = run_suanli(run_args("tiny.toml", out) + " --cold --cold-bytes 1024");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("excludes"), std::string::npos) << r.err;
  const auto suite = dir / "s.toml";
  spit(suite, "[suite]\nname = \"s\"\n[suite.measure]\ncold_bytes = -1\n[[gemm]]\n"
              "dtypes = [\"fp32\"]\nsquare = [64]\n");
  r = run_suanli("run --suite '" + suite.string() + "' --out '" + out.string() + "'");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("s.toml:4:14: cold_bytes = -1 in [suite.measure] is out of range"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(out));
}

} // namespace
} // namespace suanli::test
