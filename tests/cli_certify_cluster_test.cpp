// `suanli run --challenge --platform-key --claims` under mpirun: the one cluster report embeds
// the challenge and the claims, every rank uses the challenge's nonce, and an expired challenge
// stops every rank with exit 2 before anything runs.
#include "cli_cluster_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <thread>

namespace suanli::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class cli_certify_cluster : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fresh_dir("certify_cluster");
    for (const char *name : {"platform", "provider"}) {
      ASSERT_EQ(run_suanli("keygen --out " + quoted((dir_ / name).string())).exit_code, 0);
    }
  }
  void TearDown() override {
    if (!HasFailure()) {
      fs::remove_all(dir_);
    }
  }
  cli_result issue(const std::string &valid, const fs::path &out) const {
    return run_suanli("challenge issue --key " + quoted((dir_ / "platform.key").string()) +
                      " --scope provider=acme,cluster=bj-01 --valid " + valid + " --out " +
                      quoted(out.string()));
  }
  cli_result run(const fs::path &challenge, const std::string &extra, const fs::path &out) const {
    return run_mpi(2,
                   "run --suite " + quoted(cluster_data("cluster_fit.toml")) +
                       " --threads 1 --key " + quoted((dir_ / "provider.key").string()) +
                       " --challenge " + quoted(challenge.string()) + " --platform-key " +
                       quoted((dir_ / "platform.pub").string()) + " --out " + quoted(out.string()) +
                       extra,
                   dir_);
  }
  fs::path dir_;
};

TEST_F(cli_certify_cluster, the_cluster_report_embeds_the_challenge_and_the_claims) {
  const auto ch = dir_ / "ch.json";
  ASSERT_EQ(issue("1h", ch).exit_code, 0);
  // The CPU backend's model, as a single-process run reports it, claimed in upper case.
  const auto single = dir_ / "single.json";
  ASSERT_EQ(run_suanli("run --suite '" + cli_data("tiny.toml") + "' --threads 1 --challenge " +
                       quoted(ch.string()) + " --out " + quoted(single.string()))
                .exit_code,
            0);
  std::string model = predicate_of(single)["backends"][0]["devices"][0]["model"];
  for (auto &c : model) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  const auto claims = dir_ / "claims.toml";
  spit(claims, "provider = \"acme\"\ncluster = \"bj-01\"\nnodes = 1\n[[devices]]\nmodel = \"" +
                   model + "\"\ncount_per_node = 2\ndense_tflops = { fp32 = 1.5 }\n");
  const auto out = dir_ / "cluster.json";
  const auto r = run(ch, " --claims " + quoted(claims.string()), out);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto p = predicate_of(out);
  ASSERT_TRUE(p.contains("cluster")) << "not a cluster report";
  const auto envelope = json::parse(slurp(ch));
  EXPECT_EQ(p["challenge"]["envelope"], envelope);
  EXPECT_EQ(p["run"]["nonce"], p["challenge"]["nonce"]);
  EXPECT_EQ(p["run"]["nonce_source"], "challenge");
  EXPECT_EQ(p["challenge"]["platform_keyid"], envelope["signatures"][0]["keyid"]);
  EXPECT_EQ(p["claims"]["devices"][0]["model"], model);
  EXPECT_EQ(p["claims"]["devices"][0]["count_per_node"], 2);
  EXPECT_EQ(schema_problem(p, dir_), "");
}

TEST_F(cli_certify_cluster, an_expired_challenge_stops_every_rank_with_one_message) {
  const auto ch = dir_ / "old.json";
  ASSERT_EQ(issue("1s", ch).exit_code, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  const auto out = dir_ / "late.json";
  const auto r = run(ch, "", out);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(occurrences(r.err, "expired at"), 1u) << r.err;
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(cli_certify_cluster, a_link_below_the_claim_fails_the_cluster_but_not_its_node) {
  // The CPU's model from a single-process run; the claim asks 1 PB/s of interconnect and
  // 1 PFLOP/s of fp32, which two ranks on loopback cannot deliver.
  const auto single = dir_ / "single.json";
  ASSERT_EQ(run_suanli("run --suite '" + cli_data("tiny.toml") + "' --threads 1 --out " +
                       quoted(single.string()))
                .exit_code,
            0);
  const std::string model = predicate_of(single)["backends"][0]["devices"][0]["model"];
  const auto claims = dir_ / "claims.toml";
  spit(claims, "provider = \"acme\"\ncluster = \"bj-01\"\nnodes = 1\ninterconnect_gbps = 1e6\n"
               "[cluster_pflops]\nfp32 = 1.0\n[[devices]]\nmodel = \"" +
                   model + "\"\ncount_per_node = 1\ndense_tflops = { fp32 = 0.001 }\n");
  const auto out = dir_ / "certified.json";
  const auto r =
      run_mpi(2,
              "run --suite " + quoted(cluster_data("certify_cluster_tiny.toml")) +
                  " --threads 1 --key " + quoted((dir_ / "provider.key").string()) + " --claims " +
                  quoted(claims.string()) + " --out " + quoted(out.string()),
              dir_);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("NOT CERTIFIED"), std::string::npos) << r.out;
  const auto p = predicate_of(out);
  const auto &c = p["certification"];
  EXPECT_EQ(c["verdict"], "NOT CERTIFIED");
  ASSERT_EQ(c["nodes"].size(), 1u);
  EXPECT_EQ(c["nodes"][0]["verdict"], "CERTIFIED") << c["nodes"][0]["reasons"];
  ASSERT_EQ(c["reasons"].size(), 2u) << c["reasons"]; // the sweep's link, and the capacity
  EXPECT_EQ(occurrences(c["reasons"].dump(), "min_link_fraction: all_reduce fp32"), 1u);
  EXPECT_EQ(occurrences(c["reasons"].dump(), "min_capacity_fraction: certified fp32"), 1u);
  // Capacity: the one verified device's lower CI bound of its fp32 GEMM.
  const auto &gemm = p["nodes"][0]["cases"][0];
  EXPECT_DOUBLE_EQ(c["capacity"]["fp32"]["certified_tflops"].get<double>(),
                   gemm["metrics"]["gflops_ci_low"].get<double>() / 1e3);
  EXPECT_EQ(c["capacity"]["fp32"]["claimed_cluster_pflops"], 1.0);
  EXPECT_EQ(schema_problem(p, dir_), "");
}

} // namespace
} // namespace suanli::test
