// certify/: challenge text forms, make/sign/read, time and signature checks (with an injected
// clock), and the claims file parser.
#include "sign_support.hpp"

#include <certify/challenge.hpp>
#include <certify/claims.hpp>
#include <reports/atomic_file.hpp>
#include <reports/keys.hpp>

#include <gtest/gtest.h>

#include <string>

namespace suanli::sign_test {
namespace {

using certify::parse_duration;
using certify::parse_scope;

// The message of the bench::error (exit 2) `f` throws; fails the test when it throws none.
template <class F> std::string input_error(F f) {
  const auto e = capture_error([&] { (void)f(); });
  if (!e) {
    ADD_FAILURE() << "no error thrown";
    return {};
  }
  EXPECT_EQ(e->code(), bench::exit_code::bad_input) << e->what();
  return e->what();
}

TEST(certify_challenge, durations_take_s_m_h_d_from_one_second_to_thirty_days) {
  EXPECT_EQ(parse_duration("1s", "--valid"), 1);
  EXPECT_EQ(parse_duration("90m", "--valid"), 5400);
  EXPECT_EQ(parse_duration("24h", "--valid"), 86400);
  EXPECT_EQ(parse_duration("30d", "--valid"), 30 * 86400);
  EXPECT_NE(input_error([] { return parse_duration("0h", "--valid"); }).find("is zero"),
            std::string::npos);
  EXPECT_NE(input_error([] { return parse_duration("-1h", "--valid"); }).find("negative"),
            std::string::npos);
  EXPECT_NE(input_error([] { return parse_duration("31d", "--valid"); }).find("30 days"),
            std::string::npos);
  EXPECT_NE(input_error([] { return parse_duration("24", "--valid"); }).find("no unit"),
            std::string::npos);
  EXPECT_NE(input_error([] { return parse_duration("h", "--valid"); }).find("--valid 'h'"),
            std::string::npos);
  EXPECT_NE(input_error([] { return parse_duration("1.5h", "--valid"); }).find("whole number"),
            std::string::npos);
}

TEST(certify_challenge, scope_is_key_value_pairs_with_a_provider) {
  const auto s = parse_scope("provider=acme,cluster=bj-01", "--scope");
  EXPECT_EQ(s.at("provider"), "acme");
  EXPECT_EQ(s.at("cluster"), "bj-01");
  EXPECT_NE(input_error([] { return parse_scope("cluster=c", "--scope"); }).find("no provider"),
            std::string::npos);
  EXPECT_NE(input_error([] {
              return parse_scope("provider=a,provider=b", "--scope");
            }).find("given twice"),
            std::string::npos);
  EXPECT_NE(input_error([] { return parse_scope("provider", "--scope"); }).find("no '='"),
            std::string::npos);
  EXPECT_NE(input_error([] { return parse_scope("provider=", "--scope"); }).find("empty"),
            std::string::npos);
}

TEST(certify_challenge, utc_times_round_trip_and_impossible_dates_are_refused) {
  int64_t t = 0;
  ASSERT_TRUE(certify::parse_utc("2026-11-23T07:30:28Z", t));
  EXPECT_EQ(certify::format_utc(t), "2026-11-23T07:30:28Z");
  EXPECT_FALSE(certify::parse_utc("2026-02-30T00:00:00Z", t));
  EXPECT_FALSE(certify::parse_utc("2026-11-23 07:30:28Z", t));
  EXPECT_FALSE(certify::parse_utc("2026-11-23T07:30:28", t));
  EXPECT_FALSE(certify::parse_utc("2026-11-23T25:00:00Z", t));
}

class certify_signed : public ::testing::Test {
protected:
  void SetUp() override {
    platform_ = reports::generate_keypair(dir_ / "platform");
    other_ = reports::generate_keypair(dir_ / "other");
  }
  // A challenge issued at `now`, valid `valid_s`, written to a file; returns its path.
  std::filesystem::path issue(int64_t now, int64_t valid_s, const std::string &name = "ch.json") {
    const auto key = reports::load_private_key(platform_.private_key_path);
    challenge_ =
        certify::make_challenge(parse_scope("provider=acme,cluster=c1", "--scope"), valid_s, now);
    const auto path = dir_ / name;
    reports::write_file_atomic(
        path, reports::serialize_envelope(certify::sign_challenge(challenge_, key)));
    return path;
  }
  scratch_dir dir_;
  reports::keypair_files platform_, other_;
  certify::challenge challenge_;
};

constexpr int64_t t0 = 1795000000; // 2026-11-19

TEST_F(certify_signed, issued_challenge_reads_back_with_its_fields) {
  const auto path = issue(t0, 86400);
  const auto f = certify::load_challenge(path);
  EXPECT_EQ(f.value.nonce.size(), 64u);
  EXPECT_EQ(f.value.nonce, challenge_.nonce);
  EXPECT_EQ(f.value.issued_s, t0);
  EXPECT_EQ(f.value.expires_s, t0 + 86400);
  EXPECT_EQ(f.value.scope.at("cluster"), "c1");
  EXPECT_EQ(f.envelope.payload_type, certify::challenge_payload_type);
  EXPECT_EQ(f.envelope.payload.rfind("{\"schema\":\"suanli.challenge.v1\",\"nonce\":", 0), 0u)
      << f.envelope.payload;
  EXPECT_EQ(f.envelope_json["payloadType"], "application/vnd.suanli.challenge+json");
  const auto pub = reports::load_public_key(platform_.public_key_path);
  const auto a = certify::accept_challenge(path, &pub, t0 + 10);
  EXPECT_EQ(a.platform_keyid, platform_.keyid);
  const auto j = certify::challenge_report_json(a);
  EXPECT_EQ(j["nonce"], challenge_.nonce);
  EXPECT_EQ(j["envelope"], f.envelope_json);
  EXPECT_EQ(j["platform_keyid"], platform_.keyid);
}

TEST_F(certify_signed, two_challenges_have_different_nonces) {
  const auto a = certify::load_challenge(issue(t0, 60, "a.json"));
  const auto b = certify::load_challenge(issue(t0, 60, "b.json"));
  EXPECT_NE(a.value.nonce, b.value.nonce);
}

TEST_F(certify_signed, expired_and_not_yet_valid_challenges_are_refused_by_an_injected_clock) {
  const auto path = issue(t0, 3600);
  const auto pub = reports::load_public_key(platform_.public_key_path);
  EXPECT_NE(input_error([&] {
              return certify::accept_challenge(path, &pub, t0 + 3600);
            }).find("expired at"),
            std::string::npos);
  EXPECT_NE(input_error([&] {
              return certify::accept_challenge(path, &pub, t0 - 1);
            }).find("is not valid before"),
            std::string::npos);
  EXPECT_NO_THROW((void)certify::accept_challenge(path, &pub, t0 + 3599));
  EXPECT_NO_THROW((void)certify::accept_challenge(path, nullptr, t0));
}

TEST_F(certify_signed, a_challenge_signed_by_another_key_is_refused) {
  const auto path = issue(t0, 3600);
  const auto untrusted = reports::load_public_key(other_.public_key_path);
  const auto why = input_error([&] { return certify::accept_challenge(path, &untrusted, t0); });
  EXPECT_NE(why.find("is not signed by the platform key"), std::string::npos) << why;
}

TEST_F(certify_signed, wrong_payload_type_and_bad_payloads_are_one_line_errors) {
  const auto key = reports::load_private_key(platform_.private_key_path);
  const auto envelope = [&](const std::string &payload, const char *type) {
    return reports::sign_envelope(payload, type, key);
  };
  const auto read = [&](const reports::dsse_envelope &e) {
    return input_error([&] { return certify::read_challenge(e, "x.json"); });
  };
  EXPECT_NE(read(envelope("{}", "application/vnd.in-toto+json")).find("payloadType"),
            std::string::npos);
  const char *type = "application/vnd.suanli.challenge+json";
  EXPECT_NE(read(envelope("nope", type)).find("not JSON"), std::string::npos);
  const std::string ok_times =
      R"("issued":"2026-11-19T00:00:00Z","expires":"2026-11-20T00:00:00Z")";
  const std::string nonce(64, 'a');
  EXPECT_NE(read(envelope(R"({"schema":"suanli.challenge.v1","nonce":"AB",)" + ok_times +
                              R"(,"scope":{"provider":"p"}})",
                          type))
                .find("'nonce'"),
            std::string::npos);
  EXPECT_NE(read(envelope(R"({"schema":"suanli.challenge.v1","nonce":")" + nonce + "\"," +
                              ok_times + R"(,"scope":{"cluster":"c"}})",
                          type))
                .find("scope.provider"),
            std::string::npos);
  EXPECT_NE(
      read(
          envelope(
              R"({"schema":"suanli.challenge.v1","nonce":")" + nonce +
                  R"(","issued":"2026-11-19T00:00:00Z","expires":"2026-11-18T00:00:00Z","scope":{"provider":"p"}})",
              type))
          .find("not after"),
      std::string::npos);
}

TEST(certify_claims, the_documented_example_parses) {
  const auto c =
      certify::load_claims(std::string(SUANLI_SOURCE_DIR) + "/docs/examples/claims.toml");
  EXPECT_EQ(c.provider, "Example Compute Co.");
  EXPECT_EQ(c.cluster, "bj-h100-01");
  EXPECT_EQ(c.nodes, 4);
  ASSERT_EQ(c.devices.size(), 1u);
  EXPECT_EQ(c.devices[0].model, "NVIDIA H100 80GB HBM3");
  EXPECT_EQ(c.devices[0].count_per_node, 8);
  EXPECT_DOUBLE_EQ(c.devices[0].dense_tflops.at("bf16"), 989.4);
  EXPECT_DOUBLE_EQ(c.cluster_pflops.at("bf16"), 31.6);
  ASSERT_TRUE(c.interconnect_gbps);
  const auto j = certify::claims_json(c);
  EXPECT_EQ(j["schema"], "suanli.claims.v1");
  EXPECT_EQ(j["file_sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(j["devices"][0]["dense_tflops"]["bf16"], 989.4);
  EXPECT_EQ(j["interconnect_gbps"], 50.0);
}

TEST(certify_claims, optional_fields_are_absent_from_the_json_when_not_claimed) {
  const auto c = certify::parse_claims("provider = \"p\"\ncluster = \"c\"\nnodes = 1\n"
                                       "[[devices]]\nmodel = \"m\"\ncount_per_node = 1\n"
                                       "dense_tflops = { fp32 = 1 }\n",
                                       "mem.toml");
  const auto j = certify::claims_json(c);
  EXPECT_FALSE(j.contains("cluster_pflops"));
  EXPECT_FALSE(j.contains("interconnect_gbps"));
}

// Each malformed file gives one line that starts with file:line:column.
TEST(certify_claims, malformed_claims_name_file_line_column_field_and_expectation) {
  const std::string head = "provider = \"p\"\ncluster = \"c\"\nnodes = 2\n";
  const std::string dev = "[[devices]]\nmodel = \"m\"\ncount_per_node = 1\n";
  const struct {
    std::string text, starts, has;
  } cases[] = {
      {"provider = \n", "c.toml:1:", "TOML syntax error"},
      {"cluster = \"c\"\nnodes = 2\n" + dev + "dense_tflops = { bf16 = 1 }\n",
       "c.toml:1:1:", "missing 'provider'"},
      {head + "colour = 1\n", "c.toml:4:1:", "unknown key 'colour'"},
      {"provider = \"p\"\ncluster = \"c\"\nnodes = 0\n", "c.toml:3:9:", "'nodes' is 0"},
      {"provider = \"p\"\ncluster = 7\n", "c.toml:2:11:", "'cluster' is an integer"},
      {head + dev + "dense_tflops = { bf16 = -5 }\n", "c.toml:7:", "dense_tflops.bf16"},
      {head + dev + "dense_tflops = { bf17 = 5 }\n", "c.toml:7:", "unknown dtype 'bf17'"},
      {head + "[[devices]]\nmodel = \"m\"\ndense_tflops = { bf16 = 5 }\n",
       "c.toml:4:1:", "missing 'count_per_node'"},
      {head + dev + "dense_tflops = { bf16 = 5 }\n" + dev + "dense_tflops = { bf16 = 5 }\n",
       "c.toml:8:1:", "claimed twice"},
      {head, "c.toml:1:1:", "missing 'devices'"},
      {head + "interconnect_gbps = \"fast\"\n", "c.toml:4:", "'interconnect_gbps' is a string"},
      {"schema = \"suanli.claims.v2\"\n" + head, "c.toml:1:", "'schema'"},
  };
  for (const auto &c : cases) {
    const auto why = input_error([&] { return certify::parse_claims(c.text, "c.toml"); });
    EXPECT_EQ(why.rfind(c.starts, 0), 0u) << c.text << "\n=> " << why;
    EXPECT_NE(why.find(c.has), std::string::npos) << why;
    EXPECT_NE(why.find("expected"), std::string::npos) << why;
    EXPECT_EQ(why.find('\n'), std::string::npos) << why;
  }
}

TEST(certify_claims, claimed_models_match_seen_ones_case_insensitively) {
  const auto c = certify::parse_claims("provider = \"p\"\ncluster = \"c\"\nnodes = 1\n"
                                       "[[devices]]\nmodel = \"nvidia  H100 80GB hbm3\"\n"
                                       "count_per_node = 8\ndense_tflops = { bf16 = 989 }\n",
                                       "c.toml");
  EXPECT_EQ(certify::unseen_device_problem(c, {"NVIDIA H100 80GB HBM3"}, "node n1"), "");
  const auto why = certify::unseen_device_problem(c, {"AMD EPYC 9654", "AMD EPYC 9654"}, "node n1");
  EXPECT_EQ(why.rfind("c.toml:4:1:", 0), 0u) << why;
  EXPECT_NE(why.find("was not seen on node n1"), std::string::npos) << why;
  EXPECT_NE(why.find("'AMD EPYC 9654'"), std::string::npos) << why;
  EXPECT_EQ(why.find("'AMD EPYC 9654', 'AMD"), std::string::npos) << why; // listed once
}

} // namespace
} // namespace suanli::sign_test
