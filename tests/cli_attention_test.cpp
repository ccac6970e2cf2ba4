// Attention through the `suanli` binary: a run with odd shapes and an unsupported head dim,
// fault injection, and the bad inputs of issue 3.
#include "cli_support.hpp"

#include <reports/base64.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace suanli::test {
namespace {

using nlohmann::json;

json predicate_of(const std::filesystem::path &report) {
  return json::parse(*reports::base64_decode(
      json::parse(slurp(report))["payload"].get<std::string>()))["predicate"];
}

void expect_one_line(const cli_result &r, int code, const std::string &needle) {
  EXPECT_EQ(r.exit_code, code) << r.out << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
}

TEST(cli_attention, runs_verifies_and_reports_an_unsupported_head_dim_with_its_reason) {
  const auto dir = fresh_dir("attn_run");
  const auto out = dir / "a.json";
  ASSERT_EQ(run_suanli("keygen --out '" + (dir / "k").string() + "'").exit_code, 0);
  const auto r = run_suanli("run --suite '" + cli_data("attn_tiny.toml") + "' --threads 1 --key '" +
                            (dir / "k.key").string() + "' --out '" + out.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  // The signed attention report verifies, prints, and matches the JSON Schema.
  const auto v =
      run_suanli("verify '" + out.string() + "' --pubkey '" + (dir / "k.pub").string() + "'");
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  const auto show = run_suanli("show '" + out.string() + "'");
  EXPECT_EQ(show.exit_code, 0) << show.out << show.err;
  EXPECT_NE(show.out.find("B1 S77 H4/2 d64"), std::string::npos) << show.out;
  spit(dir / "predicate.json", predicate_of(out).dump());
  const std::string schema =
      "/usr/bin/python3 -c \"import json,sys,jsonschema; "
      "jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))\" '" +
      (dir / "predicate.json").string() + "' '" + std::string(SUANLI_SOURCE_DIR) +
      "/reports/schema/report.schema.json'";
  EXPECT_EQ(std::system(schema.c_str()), 0) << schema;
  EXPECT_NE(r.out.find("TFLOP/s"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("eff/gemm"), std::string::npos);
  const auto p = predicate_of(out);
  int passed = 0, unsupported = 0;
  for (const auto &c : p["cases"]) {
    EXPECT_EQ(c["operation"], "attention");
    if (c["status"] == "pass") {
      ++passed;
      const auto &a = c["parameters"];
      // FLOPs = 2 B Hq (dqk + dv) unmasked pairs, recomputed from the parameters.
      EXPECT_DOUBLE_EQ(c["flops_per_call"].get<double>(),
                       2.0 * a["batch"].get<double>() * a["heads_q"].get<double>() *
                           (a["head_dim_qk"].get<double>() + a["head_dim_v"].get<double>()) *
                           a["unmasked_pairs_per_head"].get<double>());
      EXPECT_TRUE(c["verification"]["passed"].get<bool>());
      EXPECT_GT(c["verification"]["elements_bounded"].get<int>(), 0);
    } else {
      ++unsupported;
      EXPECT_EQ(c["status"], "unsupported");
      EXPECT_NE(c["reason"].get<std::string>().find("96"), std::string::npos) << c["reason"];
    }
  }
  EXPECT_EQ(passed, 4);
  EXPECT_EQ(unsupported, 1);
  const auto causal = std::find_if(p["cases"].begin(), p["cases"].end(), [](const json &c) {
    return c["status"] == "pass" && c["parameters"]["causal"].get<bool>();
  });
  ASSERT_NE(causal, p["cases"].end());
  EXPECT_EQ((*causal)["parameters"]["unmasked_pairs_per_head"], 77.0 * 78.0 / 2.0);
}

TEST(cli_attention, one_corrupted_output_row_fails_the_case) {
  const auto dir = fresh_dir("attn_fault");
  const auto out = dir / "f.json";
  const auto r = run_suanli("run --suite '" + cli_data("attn_tiny.toml") + "' --threads 1 --out '" +
                                out.string() + "'",
                            "SUANLI_CPU_FAULT=corrupt_attention_output");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const auto p = predicate_of(out); // kept alive: the loop below iterates inside it
  int failed = 0;
  for (const auto &c : p["cases"]) {
    if (c["status"] != "unsupported") {
      ++failed;
      EXPECT_EQ(c["status"], "fail") << c["name"];
      EXPECT_TRUE(c["metrics"].is_null());
    }
  }
  EXPECT_GT(failed, 0);
}

TEST(cli_attention, bad_inputs_exit_2_with_one_line) {
  const auto dir = fresh_dir("attn_bad");
  const auto run = [&](const std::string &suite) {
    return run_suanli("run --suite '" + cli_data(suite) + "' --out '" + (dir / "r.json").string() +
                      "'");
  };
  expect_one_line(run("attn_heads.toml"), 2, "not a multiple of");
  expect_one_line(run("attn_zero_seq.toml"), 2, "attn_zero_seq.toml:");
  expect_one_line(run("attn_too_large.toml"), 2, "too large for memory");
  EXPECT_FALSE(std::filesystem::exists(dir / "r.json"));
}

} // namespace
} // namespace suanli::test
