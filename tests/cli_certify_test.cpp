// `suanli challenge issue|show` and `suanli run --challenge/--platform-key/--claims` end to end:
// the report embeds the challenge and the claims, and every seed derives from the challenge's
// nonce; expired, untrusted and conflicting inputs are refused before anything runs.
#include "cli_support.hpp"

#include <bench/sha256.hpp>
#include <reports/base64.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <thread>

namespace suanli::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string q(const fs::path &p) {
  return "'" + p.string() + "'";
}

json predicate_of(const fs::path &report) {
  const auto envelope = json::parse(slurp(report));
  return json::parse(*reports::base64_decode(envelope["payload"].get<std::string>()))["predicate"];
}

// Keys (platform, other, provider), one challenge valid for an hour, and two signed runs that
// use it: r1 with the platform key, r2 without.
class cli_certify : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    dir_ = fresh_dir("certify");
    for (const char *name : {"platform", "other", "provider"}) {
      const auto k = run_suanli("keygen --out " + q(dir_ / name));
      ASSERT_EQ(k.exit_code, 0) << k.err;
    }
    const auto issue =
        run_suanli("challenge issue --key " + q(dir_ / "platform.key") +
                   " --scope provider=acme,cluster=bj-01 --valid 1h --out " + q(challenge()));
    issue_out_ = issue.out;
    ASSERT_EQ(issue.exit_code, 0) << issue.out << issue.err;
  }
  static fs::path challenge() { return dir_ / "ch.json"; }
  static std::string tiny_run(const fs::path &out) {
    return "run --suite '" + cli_data("tiny.toml") + "' --threads 1 --key " +
           q(dir_ / "provider.key") + " --out " + q(out);
  }
  // r1 (with --platform-key) or r2 (without), made once per process.
  static const fs::path &report(bool with_platform_key) {
    static std::optional<fs::path> done[2];
    auto &slot = done[with_platform_key ? 1 : 0];
    if (!slot) {
      const auto out = dir_ / (with_platform_key ? "r1.json" : "r2.json");
      const auto r = run_suanli(
          tiny_run(out) + " --challenge " + q(challenge()) +
          (with_platform_key ? " --platform-key " + q(dir_ / "platform.pub") : std::string()));
      EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
      run_err_[with_platform_key ? 1 : 0] = r.err;
      slot = out;
    }
    return *slot;
  }
  static json challenge_payload() {
    const auto e = json::parse(slurp(challenge()));
    return json::parse(*reports::base64_decode(e["payload"].get<std::string>()));
  }

  static inline fs::path dir_;
  static inline std::string issue_out_;
  static inline std::string run_err_[2];
};

TEST_F(cli_certify, issue_writes_a_signed_challenge_that_show_verifies) {
  EXPECT_NE(issue_out_.find("nonce:"), std::string::npos) << issue_out_;
  const auto e = json::parse(slurp(challenge()));
  EXPECT_EQ(e["payloadType"], "application/vnd.suanli.challenge+json");
  ASSERT_EQ(e["signatures"].size(), 1u);
  const auto p = challenge_payload();
  EXPECT_EQ(p["schema"], "suanli.challenge.v1");
  EXPECT_EQ(p["nonce"].get<std::string>().size(), 64u);
  EXPECT_EQ(p["scope"], json({{"provider", "acme"}, {"cluster", "bj-01"}}));
  const auto show = run_suanli("challenge show " + q(challenge()) + " --platform-key " +
                               q(dir_ / "platform.pub"));
  EXPECT_EQ(show.exit_code, 0) << show.out << show.err;
  EXPECT_NE(show.out.find("signature: OK"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("valid now"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find(p["nonce"].get<std::string>()), std::string::npos);
}

TEST_F(cli_certify, show_with_an_untrusted_key_says_failed_and_exits_1) {
  const auto show =
      run_suanli("challenge show " + q(challenge()) + " --platform-key " + q(dir_ / "other.pub"));
  EXPECT_EQ(show.exit_code, 1) << show.out << show.err;
  EXPECT_NE(show.out.find("signature: FAILED"), std::string::npos) << show.out;
}

TEST_F(cli_certify, run_embeds_the_challenge_and_derives_the_nonce_from_it) {
  const auto p = predicate_of(report(true));
  const auto nonce = challenge_payload()["nonce"];
  EXPECT_EQ(p["run"]["nonce"], nonce);
  EXPECT_EQ(p["run"]["nonce_source"], "challenge");
  EXPECT_EQ(p["challenge"]["nonce"], nonce);
  EXPECT_EQ(p["challenge"]["envelope"], json::parse(slurp(challenge())));
  const auto keyid = json::parse(slurp(challenge()))["signatures"][0]["keyid"];
  EXPECT_EQ(p["challenge"]["platform_keyid"], keyid);
  EXPECT_EQ(p["claims"], nullptr);
  const auto v = run_suanli("verify " + q(report(true)) + " --pubkey " + q(dir_ / "provider.pub"));
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
}

TEST_F(cli_certify, two_runs_with_one_challenge_have_identical_input_seeds) {
  const auto a = predicate_of(report(true));
  const auto b = predicate_of(report(false));
  ASSERT_EQ(a["cases"].size(), b["cases"].size());
  ASSERT_GT(a["cases"].size(), 0u);
  for (size_t i = 0; i < a["cases"].size(); ++i) {
    // input seeds derive from the nonce; the verification seed is drawn after the fact
    auto sa = a["cases"][i]["seeds"], sb = b["cases"][i]["seeds"];
    ASSERT_TRUE(sa.contains("a") && sa.contains("b")) << sa;
    sa.erase("check");
    sb.erase("check");
    EXPECT_EQ(sa, sb) << i;
  }
}

TEST_F(cli_certify, without_platform_key_the_keyid_is_empty_and_a_note_says_so) {
  const auto p = predicate_of(report(false));
  EXPECT_EQ(p["challenge"]["platform_keyid"], "");
  EXPECT_NE(run_err_[0].find("no --platform-key given"), std::string::npos) << run_err_[0];
}

TEST_F(cli_certify, report_with_challenge_and_claims_matches_its_json_schema) {
  // claims naming the device the run sees
  const auto seen = predicate_of(report(true))["backends"][0]["devices"][0]["model"];
  const auto claims = dir_ / "claims.toml";
  spit(claims, "provider = \"acme\"\ncluster = \"bj-01\"\nnodes = 1\ninterconnect_gbps = 25\n"
               "[[devices]]\nmodel = \"" +
                   seen.get<std::string>() +
                   "\"\ncount_per_node = 1\ndense_tflops = { fp32 = 2.5, fp64 = 1.25 }\n");
  const auto out = dir_ / "r3.json";
  const auto r = run_suanli(tiny_run(out) + " --challenge " + q(challenge()) + " --platform-key " +
                            q(dir_ / "platform.pub") + " --claims " + q(claims));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto p = predicate_of(out);
  EXPECT_EQ(p["claims"]["schema"], "suanli.claims.v1");
  EXPECT_EQ(p["claims"]["file_sha256"], bench::sha256_hex(slurp(claims)));
  EXPECT_EQ(p["claims"]["devices"][0]["model"], seen);
  EXPECT_EQ(p["claims"]["devices"][0]["dense_tflops"]["fp32"], 2.5);
  EXPECT_EQ(p["claims"]["interconnect_gbps"], 25.0);
  const auto predicate = dir_ / "predicate.json";
  spit(predicate, p.dump());
  const std::string cmd =
      "/usr/bin/python3 -c \"import json,sys,jsonschema; "
      "jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))\" '" +
      predicate.string() + "' '" + std::string(SUANLI_SOURCE_DIR) +
      "/reports/schema/report.schema.json'";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  const auto show = run_suanli("show " + q(out));
  EXPECT_EQ(show.exit_code, 0) << show.out << show.err;
}

TEST_F(cli_certify, a_challenge_signed_by_an_untrusted_key_is_refused_with_exit_2) {
  const auto out = dir_ / "untrusted.json";
  const auto r = run_suanli(tiny_run(out) + " --challenge " + q(challenge()) + " --platform-key " +
                            q(dir_ / "other.pub"));
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("is not signed by the platform key"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(cli_certify, an_expired_challenge_is_refused_with_exit_2) {
  const auto expired = dir_ / "expired.json";
  const auto issue = run_suanli("challenge issue --key " + q(dir_ / "platform.key") +
                                " --scope provider=acme --valid 1s --out " + q(expired));
  ASSERT_EQ(issue.exit_code, 0) << issue.err;
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  const auto out = dir_ / "late.json";
  const auto r = run_suanli(tiny_run(out) + " --challenge " + q(expired) + " --platform-key " +
                            q(dir_ / "platform.pub"));
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("expired at"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
  const auto show = run_suanli("challenge show " + q(expired));
  EXPECT_EQ(show.exit_code, 1) << show.out;
  EXPECT_NE(show.out.find("NOT VALID NOW"), std::string::npos) << show.out;
}

TEST_F(cli_certify, nonce_with_challenge_is_a_usage_error) {
  const auto r = run_suanli(tiny_run(dir_ / "n.json") + " --challenge " + q(challenge()) +
                            " --nonce 00112233445566778899aabbccddeeff");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE((r.out + r.err).find("excludes"), std::string::npos) << r.out << r.err;
}

TEST_F(cli_certify, issue_refuses_bad_durations_and_scopes_with_one_line) {
  for (const char *bad : {"--valid 0s", "--valid -1h", "--valid 31d", "--valid 5"}) {
    const auto r = run_suanli("challenge issue --key " + q(dir_ / "platform.key") +
                              " --scope provider=a " + bad + " --out " + q(dir_ / "bad.json"));
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.err;
    EXPECT_NE(r.err.find("--valid"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
  }
  const auto r = run_suanli("challenge issue --key " + q(dir_ / "platform.key") +
                            " --scope cluster=c --out " + q(dir_ / "bad.json"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("no provider"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "bad.json"));
}

TEST_F(cli_certify, malformed_claims_are_refused_with_file_and_line) {
  const auto claims = dir_ / "bad_claims.toml";
  spit(claims, "provider = \"acme\"\ncluster = \"bj-01\"\nnodes = -3\n");
  const auto out = dir_ / "bc.json";
  const auto r = run_suanli(tiny_run(out) + " --claims " + q(claims));
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find(claims.string() + ":3:9: 'nodes' is -3"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(cli_certify, a_claim_for_a_device_the_run_did_not_see_is_refused) {
  const auto claims = dir_ / "unseen.toml";
  spit(claims, "provider = \"acme\"\ncluster = \"bj-01\"\nnodes = 1\n[[devices]]\n"
               "model = \"NVIDIA H100 80GB HBM3\"\ncount_per_node = 8\n"
               "dense_tflops = { bf16 = 989.4 }\n");
  const auto out = dir_ / "unseen.json";
  const auto r = run_suanli(tiny_run(out) + " --claims " + q(claims));
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find(claims.string() + ":4:1: claimed device model 'NVIDIA H100 80GB HBM3' "
                                         "was not seen on node"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("expected one of the models seen: '"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
}

} // namespace
} // namespace suanli::test
