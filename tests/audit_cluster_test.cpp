// `suanli audit` on a cluster report (mpirun, 3 ranks): a genuine one gives no error finding
// (its collectives' fitted sizes, algbw and busbw recompute exactly), and an inflated busbw is
// reported as metrics.busbw_mismatch.

#include "audit_corpus.hpp"
#include "cli_cluster_support.hpp"
#include "cli_support.hpp"

#include <reports/keys.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>

namespace suanli::test {
namespace {

using nlohmann::json;

// Rule ids of `suanli audit --json` output.
std::set<std::string> rules_of(const json &out) {
  std::set<std::string> ids;
  for (const auto &f : out["findings"]) {
    ids.insert(f["rule"].get<std::string>());
  }
  return ids;
}

TEST(audit_cluster, genuine_cluster_report_and_inflated_busbw) {
  const auto dir = fresh_dir("audit_cluster");
  ASSERT_EQ(run_suanli("keygen --out " + quoted((dir / "provider").string())).exit_code, 0);
  const auto report = dir / "cluster.json";
  const auto r =
      run_mpi(3,
              "run --suite " + quoted(cluster_data("cluster_fit.toml")) + " --threads 1 --key " +
                  quoted((dir / "provider.key").string()) + " --out " + quoted(report.string()),
              dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string trust = "audit --json --trust " + quoted((dir / "provider.pub").string());

  const auto genuine = run_suanli(trust + " " + quoted(report.string()));
  EXPECT_EQ(genuine.exit_code, 0) << genuine.out;
  const auto g = json::parse(genuine.out);
  EXPECT_EQ(g["errors"], 0) << g.dump(2);
  EXPECT_EQ(rules_of(g), std::set<std::string>{"suite.unknown_digest"});

  auto payload = decode_report(report);
  auto &m = payload["cases"][0]["metrics"];
  m["busbw_gbps"] = m["busbw_gbps"].get<double>() * 2;
  const auto tampered = dir / "busbw.json";
  write_signed(payload, reports::load_private_key(dir / "provider.key"), tampered);
  const auto t = run_suanli(trust + " " + quoted(tampered.string()));
  EXPECT_EQ(t.exit_code, 1);
  EXPECT_EQ(rules_of(json::parse(t.out)),
            (std::set<std::string>{"suite.unknown_digest", "metrics.busbw_mismatch"}));
  std::filesystem::remove_all(dir);
}

} // namespace
} // namespace suanli::test
