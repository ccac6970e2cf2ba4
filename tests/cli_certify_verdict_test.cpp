// Certification suites end to end: the [certify] criteria of a suite decide CERTIFIED or NOT
// CERTIFIED with every reason (exit 1 when not), the report carries the four figures per GEMM
// case and the certified capacity, `show` prints them, bad criteria are refused with one line,
// and `suanli audit` recomputes the certification so a flipped verdict or an inflated capacity
// is caught.
#include "audit_corpus.hpp"
#include "cli_support.hpp"

#include <reports/keys.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <string>

namespace suanli::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string q(const fs::path &p) {
  return "'" + p.string() + "'";
}

class cli_certify_verdict : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fresh_dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    suites_ = dir_ / "suites";
    fs::create_directories(suites_);
    ASSERT_EQ(run_suanli("keygen --out " + q(dir_ / "prov")).exit_code, 0);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The test suite with its [certify] table's line `from` replaced by `to` (none: unchanged).
  fs::path suite(const std::string &from = "", const std::string &to = "") {
    auto text = slurp(cli_data("certify_tiny.toml"));
    if (!from.empty()) {
      const auto at = text.find(from);
      EXPECT_NE(at, std::string::npos) << from;
      text.replace(at, from.size(), to);
    }
    const auto path = suites_ / "certify_tiny.toml";
    spit(path, text);
    return path;
  }

  cli_result run(const fs::path &suite_file, const std::string &extra = "") {
    return run_suanli("run --suite " + q(suite_file) + " --threads 1 --key " +
                      q(dir_ / "prov.key") + " --out " + q(out()) + " " + extra);
  }

  cli_result audit(const fs::path &report) {
    return run_suanli("audit --trust " + q(dir_ / "prov.pub") + " " + q(report),
                      "SUANLI_SUITE_PATH=" + q(suites_) + " ");
  }

  [[nodiscard]] fs::path out() const { return dir_ / "r.json"; }

  fs::path dir_, suites_;
};

TEST_F(cli_certify_verdict, lenient_criteria_certify_with_four_figures_and_capacity) {
  const auto r =
      run(suite(), "--claims " + q(fs::path(SUANLI_SOURCE_DIR) / "docs/examples/claims-cpu.toml"));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("certification (certify_tiny criteria): CERTIFIED"), std::string::npos)
      << r.out;
  const auto report = decode_report(out());
  const auto &c = report["certification"];
  EXPECT_EQ(c["schema"], "suanli.certification.v1");
  EXPECT_EQ(c["verdict"], "CERTIFIED");
  EXPECT_TRUE(c["reasons"].empty());
  ASSERT_EQ(c["nodes"].size(), 1u);
  EXPECT_EQ(c["nodes"][0]["verdict"], "CERTIFIED");
  ASSERT_EQ(c["cases"].size(), 2u);
  for (const auto &row : c["cases"]) {
    EXPECT_TRUE(row["rated_tflops"].is_number()) << row;
    EXPECT_EQ(row["rated_source"], "backend"); // no database entry for this CPU
    EXPECT_TRUE(row["delivered_tflops"].is_number()) << row;
    EXPECT_LE(row["delivered_ci_low_tflops"].get<double>(), row["delivered_tflops"].get<double>());
  }
  // Claimed figures come from the claims file's matching device: fp32 0.2, fp64 0.1 TFLOP/s.
  EXPECT_EQ(c["cases"][0]["precision"], "fp32");
  EXPECT_DOUBLE_EQ(c["cases"][0]["claimed_tflops"].get<double>(), 0.2);
  // Capacity: the verified device's lower CI bound, in TFLOP/s.
  for (const auto &k : report["cases"]) {
    const std::string precision = k["parameters"]["precision"];
    EXPECT_DOUBLE_EQ(c["capacity"][precision]["certified_tflops"].get<double>(),
                     k["metrics"]["gflops_ci_low"].get<double>() / 1e3);
    EXPECT_EQ(c["capacity"][precision]["devices"], 1);
  }
  const auto shown = run_suanli("show " + q(out()));
  EXPECT_NE(shown.out.find("certified capacity"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("max-achievable"), std::string::npos) << shown.out;
}

TEST_F(cli_certify_verdict, a_rate_below_the_rated_fraction_is_not_certified_exit_1) {
  const auto r = run(suite("fp32 = 0.0001", "fp32 = 1.0"));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("NOT CERTIFIED"), std::string::npos) << r.out;
  const auto c = decode_report(out())["certification"];
  EXPECT_EQ(c["verdict"], "NOT CERTIFIED");
  EXPECT_EQ(c["nodes"][0]["verdict"], "NOT CERTIFIED");
  ASSERT_EQ(c["reasons"].size(), 1u) << c["reasons"];
  EXPECT_EQ(c["reasons"][0].get<std::string>().rfind("min_rated_fraction: ", 0), 0u);
  EXPECT_NE(c["reasons"][0].get<std::string>().find("fp32"), std::string::npos);
  // A NOT CERTIFIED report is still a valid, signed record of the run.
  EXPECT_EQ(run_suanli("verify " + q(out()) + " --pubkey " + q(dir_ / "prov.pub")).exit_code, 0);
}

TEST_F(cli_certify_verdict, missing_claims_challenge_and_a_short_claim_give_every_reason) {
  auto r = run(suite("require_verified = true",
                     "require_verified = true\nrequire_claims = true\nrequire_challenge = true"));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  auto c = decode_report(out())["certification"];
  ASSERT_EQ(c["reasons"].size(), 2u) << c["reasons"];
  EXPECT_EQ(c["reasons"][0].get<std::string>().rfind("require_claims: ", 0), 0u);
  EXPECT_EQ(c["reasons"][1].get<std::string>().rfind("require_challenge: ", 0), 0u);

  // Claimed 1000 TFLOP/s fp32 for this CPU: delivered is far below 90% of it.
  const auto claims = dir_ / "claims.toml";
  spit(claims, "provider = \"acme\"\ncluster = \"c\"\nnodes = 1\n[[devices]]\nmodel = \"" +
                   decode_report(out())["backends"][0]["devices"][0]["model"].get<std::string>() +
                   "\"\ncount_per_node = 1\ndense_tflops = { fp32 = 1000 }\n");
  r = run(suite("require_verified = true", "require_verified = true\nmin_claimed_fraction = 0.9"),
          "--claims " + q(claims));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  c = decode_report(out())["certification"];
  ASSERT_EQ(c["reasons"].size(), 1u) << c["reasons"];
  EXPECT_EQ(c["reasons"][0].get<std::string>().rfind("min_claimed_fraction: ", 0), 0u);
}

TEST_F(cli_certify_verdict, bad_criteria_are_refused_with_file_line_column) {
  const struct {
    std::string from, to, expected;
  } cases[] = {
      {"require_verified = true", "require_verfied = true",
       "certify_tiny.toml:20:1: unknown key 'require_verfied' in [certify]"},
      {"min_sampled_s = 0.05", "min_claimed_fraction = 1.5", "is out of range"},
      {"fp32 = 0.0001", "fp33 = 0.5", "unknown precision 'fp33' in min_rated_fraction"},
      {"min_sampled_s = 0.05", "min_sampled_s = \"long\"", "min_sampled_s"},
  };
  for (const auto &k : cases) {
    const auto r = run(suite(k.from, k.to));
    EXPECT_EQ(r.exit_code, 2) << k.to << "\n" << r.err;
    EXPECT_NE(r.err.find(k.expected), std::string::npos) << k.to << "\n" << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_FALSE(fs::exists(out()));
  }
}

TEST_F(cli_certify_verdict, audit_recomputes_the_certification_and_catches_a_flipped_verdict) {
  const auto suite_file = suite("fp32 = 0.0001", "fp32 = 1.0"); // a NOT CERTIFIED run
  ASSERT_EQ(run(suite_file).exit_code, 1);
  auto a = audit(out());
  EXPECT_EQ(a.exit_code, 0) << a.out << a.err;
  EXPECT_EQ(a.out.find("certification.recompute"), std::string::npos) << a.out;

  const auto key = reports::load_private_key(dir_ / "prov.key");
  const struct {
    std::string name;
    std::function<void(json &)> edit;
  } tampers[] = {
      {"verdict flipped",
       [](json &r) {
         r["certification"]["verdict"] = "CERTIFIED";
         r["certification"]["reasons"] = json::array();
         r["certification"]["nodes"][0]["verdict"] = "CERTIFIED";
         r["certification"]["nodes"][0]["reasons"] = json::array();
       }},
      {"capacity inflated",
       [](json &r) {
         for (auto &[k, v] : r["certification"]["capacity"].items()) {
           v["certified_tflops"] = v["certified_tflops"].get<double>() * 2;
         }
       }},
      {"certification removed", [](json &r) { r.erase("certification"); }},
  };
  for (const auto &t : tampers) {
    auto report = decode_report(out());
    t.edit(report);
    const auto forged = dir_ / "forged.json";
    write_signed(report, key, forged);
    a = audit(forged);
    EXPECT_EQ(a.exit_code, 1) << t.name << "\n" << a.out << a.err;
    EXPECT_NE(a.out.find("certification.recompute"), std::string::npos) << t.name << "\n" << a.out;
  }
}

} // namespace
} // namespace suanli::test
