// `suanli audit` end to end: a genuine report gives no error finding, and every manipulation of
// the fraud corpus (audit_corpus.hpp) is reported under exactly the expected rule id.

#include "audit_corpus.hpp"
#include "cli_support.hpp"

#include <reports/keys.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>

namespace suanli::test {
namespace {

using nlohmann::json;

/// What one audit run answered.
struct audit_answer {
  int exit_code = -1;          ///< the process exit status
  json out;                    ///< the --json output (null when it did not print JSON)
  std::string err;             ///< stderr
  std::set<std::string> rules; ///< rule ids of every finding
};

class audit_test : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(fresh_dir("audit_test"));
    for (const char *name : {"provider", "platform", "other"}) {
      ASSERT_EQ(run_suanli("keygen --out '" + (*dir_ / name).string() + "'").exit_code, 0);
    }
    const auto r = run_suanli("run --suite '" + cli_data("tiny.toml") + "' --threads 1 --key '" +
                              (*dir_ / "provider.key").string() + "' --out '" +
                              (*dir_ / "genuine.json").string() + "'");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    genuine_ = new json(decode_report(*dir_ / "genuine.json"));
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete genuine_;
  }

  static std::filesystem::path path(const std::string &name) { return *dir_ / name; }
  static reports::private_key key(const std::string &name) {
    return reports::load_private_key(path(name + ".key"));
  }

  /// Writes `report` signed by `signer` as <name>.json; returns its path.
  static std::string write(const std::string &name, const json &report,
                           const std::string &signer = "provider") {
    const auto p = path(name + ".json");
    write_signed(report, key(signer), p);
    return p.string();
  }

  /// `suanli audit --json` over files; `extra` adds options. Unless `env` says otherwise, the
  /// suites of tests/data/cli count as shipped (SUANLI_SUITE_PATH), so that the suite rules
  /// know the tiny suite the genuine report ran.
  static audit_answer audit(const std::vector<std::string> &files, const std::string &extra = "",
                            const std::string &env = shipped_tiny()) {
    std::string args = "audit --json --trust '" + path("provider.pub").string() + "' " + extra;
    for (const auto &f : files) {
      args += " '" + f + "'";
    }
    const auto r = run_suanli(args, env);
    audit_answer a{r.exit_code, json::parse(r.out, nullptr, false), r.err, {}};
    if (a.out.is_object()) {
      for (const auto &f : a.out["findings"]) {
        a.rules.insert(f["rule"].get<std::string>());
      }
    }
    return a;
  }

  /// Rule ids of `a` that the genuine report does not raise.
  static std::set<std::string> new_rules(const audit_answer &a) {
    std::set<std::string> out;
    for (const auto &r : a.rules) {
      if (r != "suite.unknown_digest") { // the tiny test suite is not a shipped suite
        out.insert(r);
      }
    }
    return out;
  }

  static std::string shipped_tiny() {
    return "SUANLI_SUITE_PATH='" +
           std::filesystem::path(cli_data("tiny.toml")).parent_path().string() + "' ";
  }

  static std::string platform_opt() {
    return "--platform-key '" + path("platform.pub").string() + "'";
  }

  static inline std::filesystem::path *dir_ = nullptr;
  static inline json *genuine_ = nullptr;
};

TEST_F(audit_test, genuine_report_gives_no_error_finding) {
  const auto a = audit({path("genuine.json").string()});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_TRUE(a.out.is_object());
  EXPECT_EQ(a.out["errors"], 0) << a.out.dump(2);
  EXPECT_EQ(a.rules, std::set<std::string>{}) << a.out.dump(2);
  EXPECT_EQ(a.out["reports"], 1);
}

TEST_F(audit_test, suite_that_is_not_shipped_is_a_warning) {
  const auto a = audit({path("genuine.json").string()}, "", "");
  EXPECT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.rules, std::set<std::string>{"suite.unknown_digest"}) << a.out.dump(2);
}

TEST_F(audit_test, every_manipulation_is_caught_by_its_rule) {
  for (const auto &t : single_report_tampers()) {
    SCOPED_TRACE(t.name);
    json report = *genuine_;
    t.edit(report);
    const auto a = audit({write(t.name, report)});
    ASSERT_TRUE(a.out.is_object()) << a.err;
    EXPECT_EQ(new_rules(a), std::set<std::string>{t.rule}) << a.out.dump(2);
    const bool is_error = t.rule != "plausibility.impossible_clock";
    EXPECT_EQ(a.exit_code, is_error ? 1 : 0);
  }
}

TEST_F(audit_test, report_signed_by_an_untrusted_key) {
  const auto a = audit({write("untrusted", *genuine_, "other")});
  EXPECT_EQ(a.exit_code, 1);
  EXPECT_EQ(new_rules(a), std::set<std::string>{"signature.untrusted"}) << a.out.dump(2);
}

TEST_F(audit_test, valid_challenge_checked_and_unchecked) {
  json report = *genuine_;
  embed_challenge(report, make_challenge(key("platform"), std::string(64, 'c'),
                                         "2000-01-01T00:00:00Z", "2999-01-01T00:00:00Z"));
  const auto file = write("challenged", report);
  const auto checked = audit({file}, platform_opt());
  EXPECT_EQ(checked.exit_code, 0) << checked.out.dump(2);
  EXPECT_EQ(new_rules(checked), std::set<std::string>{});
  const auto unchecked = audit({file});
  EXPECT_EQ(unchecked.exit_code, 0);
  EXPECT_EQ(new_rules(unchecked), std::set<std::string>{"challenge.not_checked"});
}

TEST_F(audit_test, expired_challenge) {
  json report = *genuine_;
  embed_challenge(report, make_challenge(key("platform"), std::string(64, 'd'),
                                         "2000-01-01T00:00:00Z", "2000-01-02T00:00:00Z"));
  const auto a = audit({write("expired", report)}, platform_opt());
  EXPECT_EQ(a.exit_code, 1);
  EXPECT_EQ(new_rules(a), std::set<std::string>{"challenge.outside_validity"}) << a.out.dump(2);
}

TEST_F(audit_test, challenge_signed_by_another_key) {
  json report = *genuine_;
  embed_challenge(report, make_challenge(key("other"), std::string(64, 'e'), "2000-01-01T00:00:00Z",
                                         "2999-01-01T00:00:00Z"));
  const auto a = audit({write("forged_challenge", report)}, platform_opt());
  EXPECT_EQ(a.exit_code, 1);
  EXPECT_EQ(new_rules(a), std::set<std::string>{"challenge.bad_signature"}) << a.out.dump(2);
}

TEST_F(audit_test, recorded_challenge_nonce_differs_from_the_signed_one) {
  json report = *genuine_;
  auto challenge = make_challenge(key("platform"), std::string(64, 'f'), "2000-01-01T00:00:00Z",
                                  "2999-01-01T00:00:00Z");
  challenge["nonce"] = std::string(64, '0'); // the run used a nonce of its own choosing
  embed_challenge(report, challenge);
  const auto a = audit({write("nonce_swapped", report)}, platform_opt());
  EXPECT_EQ(a.exit_code, 1);
  EXPECT_EQ(new_rules(a), std::set<std::string>{"challenge.nonce_mismatch"}) << a.out.dump(2);
}

TEST_F(audit_test, replayed_challenge) {
  const auto challenge = make_challenge(key("platform"), std::string(64, '1'),
                                        "2000-01-01T00:00:00Z", "2999-01-01T00:00:00Z");
  json first = *genuine_;
  json second = *genuine_;
  set_identities(first, "first");
  set_identities(second, "second");
  embed_challenge(first, challenge);
  embed_challenge(second, challenge);
  const auto a = audit({write("replay1", first), write("replay2", second)}, platform_opt());
  EXPECT_EQ(a.exit_code, 1);
  EXPECT_EQ(new_rules(a), std::set<std::string>{"challenge.replayed"}) << a.out.dump(2);
}

TEST_F(audit_test, device_identity_copied_into_a_second_report) {
  json first = *genuine_;
  json second = *genuine_;
  set_identities(first, "first");
  set_identities(second, "second");
  const auto f1 = write("dup1", first);
  const auto distinct = audit({f1, write("dup2", second)});
  EXPECT_EQ(distinct.exit_code, 0);
  EXPECT_EQ(new_rules(distinct), std::set<std::string>{});
  second["backends"][0]["devices"][0]["uuid"] = first["backends"][0]["devices"][0]["uuid"];
  const auto f2 = write("dup2", second);
  const auto a = audit({f1, f2});
  EXPECT_EQ(a.exit_code, 1);
  EXPECT_EQ(new_rules(a), std::set<std::string>{"duplicate.device_identity"}) << a.out.dump(2);
  const auto &f = a.out["findings"].back();
  EXPECT_EQ(f["report"], f2);
  EXPECT_NE(f["message"].get<std::string>().find(f1), std::string::npos);
}

TEST_F(audit_test, cluster_total_below_the_claim) {
  json report = *genuine_;
  report["claims"] = {{"schema", "suanli.claims.v1"},
                      {"file_sha256", std::string(64, '2')},
                      {"provider", "acme"},
                      {"cluster", "c1"},
                      {"nodes", 1},
                      {"devices", json::array()},
                      {"cluster_pflops", {{"fp32", 1000.0}}},
                      {"interconnect_gbps", 400}};
  const auto a = audit({write("claims", report)});
  EXPECT_EQ(a.exit_code, 0);
  EXPECT_EQ(new_rules(a), std::set<std::string>{"claims.cluster_below_claim"}) << a.out.dump(2);
}

TEST_F(audit_test, claims_for_another_cluster_than_the_challenge) {
  json report = *genuine_;
  embed_challenge(report, make_challenge(key("platform"), std::string(64, '3'),
                                         "2000-01-01T00:00:00Z", "2999-01-01T00:00:00Z"));
  report["claims"] = {{"schema", "suanli.claims.v1"},
                      {"file_sha256", std::string(64, '2')},
                      {"provider", "acme"},
                      {"cluster", "c2"},
                      {"nodes", 1},
                      {"devices", json::array()},
                      {"cluster_pflops", json::object()},
                      {"interconnect_gbps", 400}};
  const auto a = audit({write("scope", report)}, platform_opt());
  EXPECT_EQ(a.exit_code, 1);
  EXPECT_EQ(new_rules(a), std::set<std::string>{"challenge.scope_mismatch"}) << a.out.dump(2);
}

TEST_F(audit_test, non_report_file_is_bad_input) {
  const auto p = path("not_a_report.json");
  spit(p, "{\"hello\": 1}\n");
  const auto a = audit({path("genuine.json").string(), p.string()});
  EXPECT_EQ(a.exit_code, 2);
  EXPECT_NE(a.err.find(p.string()), std::string::npos) << a.err;
}

} // namespace
} // namespace suanli::test
