// The shipped suites and the valid forms of the suite schema.
#include <bench/sha256.hpp>
#include <bench/suite.hpp>

#include "suite_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

namespace {

using namespace suanli::bench;
using suite_test::find_case;

const std::filesystem::path suites_dir = std::filesystem::path(SUANLI_SOURCE_DIR) / "suites";

const gemm_problem &gemm_of(const suite_case &c) {
  return std::get<gemm_problem>(c.op);
}

std::string file_bytes(const std::filesystem::path &p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(SuiteFiles, QuickHasEveryPrecisionOneTransposedOneBatchedAndTwoAttentionCases) {
  const suite s = load_suite_file(suites_dir / "quick.toml");
  EXPECT_EQ(s.name, "quick");
  EXPECT_FALSE(s.description.empty());
  ASSERT_EQ(s.cases.size(), 14U);
  std::map<std::string, int> per_dtype;
  int transposed = 0, batched = 0, attention = 0;
  for (const auto &c : s.cases) {
    EXPECT_DOUBLE_EQ(c.policy.max_time_s, 2.0);
    if (const auto *a = std::get_if<attention_problem>(&c.op)) {
      ++attention;
      EXPECT_LE(a->flops(), 1e9) << c.name; // small: well under a second per call
      continue;
    }
    const auto &g = gemm_of(c);
    ++per_dtype[std::string(g.precision->name)];
    transposed += g.trans_a || g.trans_b ? 1 : 0;
    batched += g.batch > 1 ? 1 : 0;
    EXPECT_GE(std::min({g.m, g.n, g.k}), 512) << c.name;
    EXPECT_LE(std::max({g.m, g.n, g.k}), 1024) << c.name;
  }
  for (const char *d : {"fp32", "bf16", "fp16", "int8", "fp64"}) {
    EXPECT_GE(per_dtype[d], 2) << d;
  }
  EXPECT_EQ(transposed, 1);
  EXPECT_EQ(batched, 1);
  EXPECT_EQ(attention, 2);
  EXPECT_TRUE(gemm_of(find_case(s, "gemm.fp32.1024x1024x1024_NT")).trans_b);
  EXPECT_EQ(gemm_of(find_case(s, "gemm.bf16.512x512x512b8")).batch, 8);
  // grouped-query attention, 8 query heads over 2 key/value heads, d = 64, S = 256
  const auto &fp32 = std::get<attention_problem>(find_case(s, "attn.fp32.b1_s256_h8kv2_d64").op);
  const auto &bf16 =
      std::get<attention_problem>(find_case(s, "attn.bf16.b1_s256_h8kv2_d64_causal").op);
  EXPECT_FALSE(fp32.causal);
  EXPECT_TRUE(bf16.causal);
  for (const auto *a : {&fp32, &bf16}) {
    EXPECT_EQ(a->seq_q, 256);
    EXPECT_EQ(a->seq_kv, 256);
    EXPECT_EQ(a->heads_q, 8);
    EXPECT_EQ(a->heads_kv, 2);
    EXPECT_EQ(a->head_dim_qk, 64);
    EXPECT_EQ(a->head_dim_v, 64);
    EXPECT_EQ(a->batch, 1);
  }
  EXPECT_EQ(bf16.precision, find_attention_precision("bf16"));
  // short policy: the whole suite stays far below a minute even when every case hits its cap
  EXPECT_DOUBLE_EQ(s.policy.warmup_s, 0.05);
  EXPECT_EQ(s.policy.min_samples, 5);
  EXPECT_DOUBLE_EQ(s.policy.min_time_s, 0.2);
  EXPECT_DOUBLE_EQ(s.policy.target_rel_ci, 0.05);
  EXPECT_LE(static_cast<double>(s.cases.size()) * (s.policy.max_time_s + s.policy.warmup_s), 30.0);
}

TEST(SuiteFiles, QuickRecordsPathHashAndOrigins) {
  const auto path = suites_dir / "quick.toml";
  const suite s = load_suite_file(path);
  EXPECT_EQ(s.path, path);
  EXPECT_EQ(s.sha256, sha256_hex(file_bytes(path)));
  EXPECT_EQ(s.sha256.size(), 64U);
  // the first [[gemm]] header of quick.toml is on line 17
  EXPECT_EQ(s.cases.front().origin, path.string() + ":17:1");
  EXPECT_EQ(s.cases.front().name, "gemm.fp32.512x512x512");
}

TEST(SuiteFiles, GemmHasSquareSweepsAndLlamaProjections) {
  const suite s = load_suite_file(suites_dir / "gemm.toml");
  EXPECT_EQ(s.name, "gemm");
  ASSERT_EQ(s.cases.size(), 110U); // 5 dtypes x 6 squares + 2 models x 4 layers x 5 tokens x 2
  const measure_policy standard;
  for (const auto &c : s.cases) {
    EXPECT_DOUBLE_EQ(c.policy.max_time_s, standard.max_time_s);
    EXPECT_DOUBLE_EQ(c.policy.target_rel_ci, standard.target_rel_ci);
  }
  for (const char *d : {"fp32", "bf16", "fp16", "int8", "fp64"}) {
    for (int n : {256, 512, 1024, 2048, 4096, 8192}) {
      const std::string dim = std::to_string(n);
      const auto &g =
          gemm_of(find_case(s, "gemm." + std::string(d) + "." + dim + "x" + dim + "x" + dim));
      EXPECT_EQ(g.m, n);
      EXPECT_EQ(g.k, n);
    }
  }
  struct layer {
    const char *name;
    int64_t n, k;
  };
  const layer layers[] = {{"llama3-8b.qkv", 6144, 4096},       {"llama3-8b.o", 4096, 4096},
                          {"llama3-8b.gate_up", 28672, 4096},  {"llama3-8b.down", 4096, 14336},
                          {"llama3-70b.qkv", 10240, 8192},     {"llama3-70b.o", 8192, 8192},
                          {"llama3-70b.gate_up", 57344, 8192}, {"llama3-70b.down", 8192, 28672}};
  for (const char *d : {"bf16", "fp32"}) {
    for (const auto &l : layers) {
      for (int t : {1, 16, 128, 1024, 8192}) {
        const auto &g = gemm_of(
            find_case(s, "gemm." + std::string(d) + "." + l.name + ".t" + std::to_string(t)));
        EXPECT_EQ(g.m, t);
        EXPECT_EQ(g.n, l.n);
        EXPECT_EQ(g.k, l.k);
        EXPECT_TRUE(g.trans_b); // y = x W^T, W stored out x in
      }
    }
  }
}

TEST(SuiteFiles, EveryShippedSuiteLoadsAndItsNameIsItsFileName) {
  for (const auto &entry : std::filesystem::directory_iterator(suites_dir)) {
    if (entry.path().extension() == ".toml") {
      const suite s = load_suite_file(entry.path());
      EXPECT_EQ(s.name, entry.path().stem().string());
      EXPECT_FALSE(s.cases.empty());
    }
  }
}

TEST(SuiteFiles, CertificationSuitesCarryTheirCriteriaAndSustainedPolicies) {
  const suite node = load_suite_file(suites_dir / "certify-node.toml");
  ASSERT_TRUE(node.criteria.has_value());
  EXPECT_TRUE(node.criteria->require_verified);
  EXPECT_TRUE(node.criteria->require_challenge);
  EXPECT_TRUE(node.criteria->require_claims);
  EXPECT_DOUBLE_EQ(node.criteria->min_sampled_s, 10.0);
  EXPECT_EQ(node.criteria->min_rated_fraction.size(), 6u);
  EXPECT_DOUBLE_EQ(node.criteria->min_rated_fraction.at("int8"), 0.4);
  EXPECT_FALSE(node.criteria->min_link_fraction.has_value());
  for (const auto &c : node.cases) {
    EXPECT_GE(c.policy.min_time_s, node.criteria->min_sampled_s) << c.name;
  }
  const suite cluster = load_suite_file(suites_dir / "certify-cluster.toml");
  ASSERT_TRUE(cluster.criteria.has_value());
  EXPECT_DOUBLE_EQ(cluster.criteria->min_link_fraction.value_or(0), 0.5);
  EXPECT_DOUBLE_EQ(cluster.criteria->min_capacity_fraction.value_or(0), 0.9);
  EXPECT_FALSE(load_suite_file(suites_dir / "quick.toml").criteria.has_value());
}

TEST(SuiteSchema, PoliciesOverrideInOrderAndAcceptIntegers) {
  const suite s = parse_suite(R"(
[suite]
name = "p"
[suite.measure]
max_time_s = 4
min_samples = 7

[[gemm]]
dtypes = ["fp32"]
square = [8]
measure = { max_time_s = 9.5, warmup_s = 0 }

[[gemm]]
dtypes = ["fp64"]
square = [8]
[gemm.measure]
target_rel_ci = 0.1
)",
                              "p.toml");
  ASSERT_EQ(s.cases.size(), 2U);
  EXPECT_DOUBLE_EQ(s.policy.max_time_s, 4.0);
  EXPECT_DOUBLE_EQ(s.cases[0].policy.max_time_s, 9.5);
  EXPECT_DOUBLE_EQ(s.cases[0].policy.warmup_s, 0.0);
  EXPECT_EQ(s.cases[0].policy.min_samples, 7);
  EXPECT_DOUBLE_EQ(s.cases[1].policy.max_time_s, 4.0);
  EXPECT_DOUBLE_EQ(s.cases[1].policy.target_rel_ci, 0.1);
  EXPECT_EQ(s.cases[1].origin, "p.toml:13:1");
  EXPECT_TRUE(s.path.empty());
  EXPECT_EQ(s.sha256.size(), 64U);
}

TEST(SuiteSchema, ExpandsDtypesThenShapesSquaresAndProjections) {
  const suite s = parse_suite(R"([suite]
name = "x"
[[gemm]]
name = "pre"
dtypes = ["bf16", "int8"]
shapes = [[2, 3, 4]]
square = [5]
tokens = [1, 16]
projections = [{ name = "m.qkv", n = 6, k = 7 }]
batch = 3
trans_a = true
lda = 32
ldb = 0
ldc = 10
)",
                              "x");
  std::vector<std::string> names;
  for (const auto &c : s.cases) {
    names.push_back(c.name);
  }
  const std::vector<std::string> expected{"gemm.pre.bf16.2x3x4b3_TN", "gemm.pre.bf16.5x5x5b3_TN",
                                          "gemm.pre.bf16.m.qkv.t1",   "gemm.pre.bf16.m.qkv.t16",
                                          "gemm.pre.int8.2x3x4b3_TN", "gemm.pre.int8.5x5x5b3_TN",
                                          "gemm.pre.int8.m.qkv.t1",   "gemm.pre.int8.m.qkv.t16"};
  EXPECT_EQ(names, expected);
  const auto &g = gemm_of(s.cases[3]);
  EXPECT_EQ(g.m, 16);
  EXPECT_EQ(g.n, 6);
  EXPECT_EQ(g.k, 7);
  EXPECT_EQ(g.batch, 3);
  EXPECT_TRUE(g.trans_a);
  EXPECT_FALSE(g.trans_b);
  EXPECT_EQ(g.lda, 32);
  EXPECT_EQ(g.ldc, 10);
  EXPECT_EQ(g.precision, find_gemm_precision("bf16"));
  EXPECT_EQ(s.cases[0].origin, "x:3:1");
}

} // namespace
