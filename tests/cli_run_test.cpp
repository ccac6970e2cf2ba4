// End to end through the `suanli` binary: run, sign, verify (ours and stock openssl), tamper,
// fault injection.
#include "cli_support.hpp"

#include <reports/base64.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>

namespace suanli::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class cli_run : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    dir_ = fresh_dir("run");
    const auto keygen = run_suanli("keygen --out '" + (dir_ / "k").string() + "'");
    ASSERT_EQ(keygen.exit_code, 0) << keygen.err;
    const auto r = run_suanli("run --suite '" + cli_data("tiny.toml") + "' --threads 1 --key '" +
                              (dir_ / "k.key").string() + "' --out '" + report().string() +
                              "' --nonce 00112233445566778899aabbccddeeff");
    run_out_ = r.out;
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  static fs::path report() { return dir_ / "tiny.report.json"; }
  static fs::path pub() { return dir_ / "k.pub"; }
  static json envelope() { return json::parse(slurp(report())); }
  static json payload() {
    return json::parse(*reports::base64_decode(envelope()["payload"].get<std::string>()));
  }

  static inline fs::path dir_;
  static inline std::string run_out_;
};

TEST_F(cli_run, prints_a_table_with_rates_efficiency_and_pass) {
  EXPECT_NE(run_out_.find("GFLOP/s"), std::string::npos) << run_out_;
  EXPECT_NE(run_out_.find("eff/rated"), std::string::npos);
  EXPECT_NE(run_out_.find("gemm.fp32.96x80x72"), std::string::npos);
  EXPECT_NE(run_out_.find("PASS"), std::string::npos);
  EXPECT_NE(run_out_.find("3 passed, 0 failed"), std::string::npos) << run_out_;
}

TEST_F(cli_run, report_is_an_in_toto_statement_with_raw_samples_and_seeds_from_the_nonce) {
  const auto e = envelope();
  EXPECT_EQ(e["payloadType"], "application/vnd.in-toto+json");
  EXPECT_EQ(e["signatures"].size(), 1u);
  const auto st = payload();
  EXPECT_EQ(st["_type"], "https://in-toto.io/Statement/v1");
  const auto &p = st["predicate"];
  EXPECT_EQ(p["schema"], "suanli.report.v1");
  EXPECT_EQ(p["run"]["nonce"], "00112233445566778899aabbccddeeff");
  EXPECT_EQ(p["suite"]["name"], "tiny");
  EXPECT_EQ(p["tool"]["binary_sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(p["backends"][0]["plugin_sha256"].get<std::string>().size(), 64u);
  // The inventory's link matrix (ABI 1.4): one CPU device, so no pair and nothing to explain.
  EXPECT_EQ(p["backends"][0]["links"], nlohmann::json::array());
  EXPECT_EQ(p["backends"][0]["links_reason"], "");
  ASSERT_EQ(p["cases"].size(), 3u);
  for (const auto &c : p["cases"]) {
    EXPECT_EQ(c["status"], "pass") << c.dump();
    EXPECT_GE(c["measurement"]["samples_s"].size(), 6u);
    EXPECT_EQ(c["statistics"]["time_s"]["count"], c["measurement"]["samples_s"].size());
    EXPECT_TRUE(c["verification"]["passed"].get<bool>());
    EXPECT_GT(c["metrics"]["gflops_median"].get<double>(), 0.0);
    // rate = 2 m n k / median time
    const double flops = 2.0 * 96 * 80 * 72;
    EXPECT_NEAR(c["metrics"]["gflops_median"].get<double>(),
                flops / c["statistics"]["time_s"]["median"].get<double>() * 1e-9, 1e-6);
  }
}

TEST_F(cli_run, same_nonce_gives_the_same_input_seeds_and_a_fresh_check_seed) {
  const auto again = dir_ / "again.json";
  const auto r = run_suanli("run --suite '" + cli_data("tiny.toml") + "' --threads 1 --out '" +
                            again.string() + "' --nonce 00112233445566778899aabbccddeeff --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto a = payload()["predicate"]["cases"][0]["seeds"];
  const auto p2 =
      json::parse(*reports::base64_decode(json::parse(slurp(again))["payload"].get<std::string>()));
  const auto b = p2["predicate"]["cases"][0]["seeds"];
  EXPECT_EQ(b["a"], a["a"]);
  EXPECT_EQ(b["b"], a["b"]);
  EXPECT_NE(b["check"], a["check"]) << "verification choices are drawn after the output exists";
}

TEST_F(cli_run, verify_accepts_the_signed_report) {
  const auto r = run_suanli("verify '" + report().string() + "' --pubkey '" + pub().string() + "'");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("OK"), std::string::npos);
}

TEST_F(cli_run, stock_openssl_verifies_the_signature_over_the_dsse_pae) {
  const auto e = envelope();
  const std::string type = e["payloadType"];
  const std::string body = *reports::base64_decode(e["payload"].get<std::string>());
  // PAE written out here by hand, independently of reports/dsse.cpp.
  const std::string pae = "DSSEv1 " + std::to_string(type.size()) + " " + type + " " +
                          std::to_string(body.size()) + " " + body;
  spit(dir_ / "pae.bin", pae);
  spit(dir_ / "sig.bin", *reports::base64_decode(e["signatures"][0]["sig"].get<std::string>()));
  const std::string cmd = "openssl pkeyutl -verify -pubin -inkey '" + pub().string() +
                          "' -rawin -in '" + (dir_ / "pae.bin").string() + "' -sigfile '" +
                          (dir_ / "sig.bin").string() + "' >/dev/null 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  spit(dir_ / "pae.bin", pae.substr(0, pae.size() - 2) + "x}");
  EXPECT_NE(std::system(cmd.c_str()), 0);
}

TEST_F(cli_run, any_changed_payload_or_signature_byte_fails_verify) {
  const auto e = envelope();
  const std::string body = *reports::base64_decode(e["payload"].get<std::string>());
  const std::string sig = *reports::base64_decode(e["signatures"][0]["sig"].get<std::string>());
  const auto tampered = dir_ / "tampered.json";
  for (const size_t pos : {size_t{0}, body.size() / 3, body.size() / 2, body.size() - 1}) {
    auto b = body;
    b[pos] = static_cast<char>(b[pos] ^ 0x01);
    auto t = e;
    t["payload"] = reports::base64_encode(b);
    spit(tampered, t.dump());
    const auto r =
        run_suanli("verify '" + tampered.string() + "' --pubkey '" + pub().string() + "'");
    EXPECT_EQ(r.exit_code, 1) << "payload byte " << pos << ": " << r.out << r.err;
    EXPECT_NE(r.out.find("FAILED"), std::string::npos);
  }
  for (const size_t pos : {size_t{0}, size_t{31}, size_t{63}}) {
    auto s = sig;
    s[pos] = static_cast<char>(s[pos] ^ 0x80);
    auto t = e;
    t["signatures"][0]["sig"] = reports::base64_encode(s);
    spit(tampered, t.dump());
    const auto r =
        run_suanli("verify '" + tampered.string() + "' --pubkey '" + pub().string() + "'");
    EXPECT_EQ(r.exit_code, 1) << "signature byte " << pos << ": " << r.out << r.err;
    EXPECT_NE(r.out.find("signature does not verify"), std::string::npos) << r.out;
  }
}

TEST_F(cli_run, show_prints_the_cases) {
  const auto r = run_suanli("show '" + report().string() + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("gemm.int8.96x80x72"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("signed"), std::string::npos);
}

TEST_F(cli_run, report_matches_its_json_schema) {
  const auto predicate = dir_ / "predicate.json";
  spit(predicate, payload()["predicate"].dump());
  const std::string cmd =
      "/usr/bin/python3 -c \"import json,sys,jsonschema; "
      "jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))\" '" +
      predicate.string() + "' '" + std::string(SUANLI_SOURCE_DIR) +
      "/reports/schema/report.schema.json'";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

TEST(cli_unsigned, run_without_key_writes_an_unsigned_report_that_verify_rejects) {
  const auto dir = fresh_dir("unsigned");
  ASSERT_EQ(run_suanli("keygen --out '" + (dir / "k").string() + "'").exit_code, 0);
  const auto out = dir / "u.json";
  const auto r = run_suanli("run --suite '" + cli_data("tiny.toml") + "' --threads 1 --out '" +
                            out.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("UNSIGNED"), std::string::npos);
  const auto v =
      run_suanli("verify '" + out.string() + "' --pubkey '" + (dir / "k.pub").string() + "'");
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_NE(v.out.find("unsigned"), std::string::npos) << v.out;
}

TEST(cli_fault, one_corrupted_output_element_fails_the_case_and_the_run) {
  const auto dir = fresh_dir("fault");
  const auto out = dir / "f.json";
  const auto r = run_suanli("run --suite '" + cli_data("tiny.toml") + "' --threads 1 --out '" +
                                out.string() + "'",
                            "SUANLI_CPU_FAULT=corrupt_gemm_output");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("FAIL"), std::string::npos);
  const auto p = json::parse(
      *reports::base64_decode(json::parse(slurp(out))["payload"].get<std::string>()))["predicate"];
  for (const auto &c : p["cases"]) {
    EXPECT_EQ(c["status"], "fail") << c["name"];
    EXPECT_TRUE(c["metrics"].is_null()) << "a failed case must not carry figures";
    EXPECT_FALSE(c["verification"]["passed"].get<bool>());
  }
  EXPECT_EQ(p["totals"]["passed"], 0);
  EXPECT_EQ(p["totals"]["failed"], 3);
  EXPECT_TRUE(p["totals"]["verified_gemm_by_precision"].empty());
}

} // namespace
} // namespace suanli::test
