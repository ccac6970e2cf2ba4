// [[attention]] tables: expansion, names, defaults, the shipped attention suite, and the
// unmasked-pair count that FLOPs rest on.
#include <bench/attention_problem.hpp>
#include <bench/suite.hpp>

#include "suite_support.hpp"

#include <gtest/gtest.h>

#include <set>

namespace {

using namespace suanli::bench;
using suite_test::case_names;
using suite_test::find_case;

const attention_problem &attn_of(const suite_case &c) {
  return std::get<attention_problem>(c.op);
}

TEST(SuiteAttention, ExpandsDtypesBatchesHeadsDimsShapesAndCausalInThatOrder) {
  const suite s = parse_suite(R"([suite]
name = "x"
[[attention]]
name = "pre"
dtypes = ["bf16", "fp32"]
batch = [1, 2]
heads = [{ q = 8, kv = 2 }, { q = 4 }]
head_dim = 64
seq = 16
shapes = [{ seq_q = 8, seq_kv = 32 }]
causal = [false, true]
)",
                              "x");
  ASSERT_EQ(s.cases.size(), 32U); // 2 dtypes x 2 batches x 2 heads x 1 dim x 2 shapes x 2 causal
  const std::vector<std::string> first{
      "attn.pre.bf16.b1_s16_h8kv2_d64",    "attn.pre.bf16.b1_s16_h8kv2_d64_causal",
      "attn.pre.bf16.b1_s8kv32_h8kv2_d64", "attn.pre.bf16.b1_s8kv32_h8kv2_d64_causal",
      "attn.pre.bf16.b1_s16_h4_d64",       "attn.pre.bf16.b1_s16_h4_d64_causal",
      "attn.pre.bf16.b1_s8kv32_h4_d64",    "attn.pre.bf16.b1_s8kv32_h4_d64_causal",
      "attn.pre.bf16.b2_s16_h8kv2_d64",
  };
  const auto names = case_names(s);
  EXPECT_EQ(std::vector<std::string>(names.begin(), names.begin() + 9), first);
  EXPECT_EQ(names.back(), "attn.pre.fp32.b2_s8kv32_h4_d64_causal");
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
  const auto &a = attn_of(s.cases[3]);
  EXPECT_EQ(a.precision, find_attention_precision("bf16"));
  EXPECT_EQ(a.batch, 1);
  EXPECT_EQ(a.seq_q, 8);
  EXPECT_EQ(a.seq_kv, 32);
  EXPECT_EQ(a.heads_q, 8);
  EXPECT_EQ(a.heads_kv, 2);
  EXPECT_EQ(a.head_dim_qk, 64);
  EXPECT_EQ(a.head_dim_v, 64);
  EXPECT_TRUE(a.causal);
  EXPECT_EQ(a.align, causal_alignment::bottom_right);
  EXPECT_EQ(a.causal_offset(), 24);
  EXPECT_EQ(a.layout, SL_LAYOUT_BSHD);
  EXPECT_FALSE(a.want_lse);
  EXPECT_EQ(attn_of(s.cases[4]).heads_kv, 4); // kv defaults to q
  EXPECT_EQ(s.cases[0].origin, "x:3:1");
}

TEST(SuiteAttention, OptionsReachTheProblemAndTheName) {
  const suite s = parse_suite(R"([suite]
name = "x"
[[attention]]
dtypes = ["fp16"]
heads_q = 12
heads_kv = 4
head_dim = [64, 128]
head_dim_v = 96
shapes = [{ seq_q = 100, seq_kv = 300 }]
causal = true
causal_align = "top_left"
layout = "bhsd"
lse = true
)",
                              "x");
  EXPECT_EQ(case_names(s),
            (std::vector<std::string>{"attn.fp16.b1_s100kv300_h12kv4_d64v96_causal_tl_bhsd",
                                      "attn.fp16.b1_s100kv300_h12kv4_d128v96_causal_tl_bhsd"}));
  const auto &a = attn_of(s.cases[1]);
  EXPECT_EQ(a.heads_q, 12);
  EXPECT_EQ(a.heads_kv, 4);
  EXPECT_EQ(a.head_dim_qk, 128);
  EXPECT_EQ(a.head_dim_v, 96);
  EXPECT_EQ(a.align, causal_alignment::top_left);
  EXPECT_EQ(a.causal_offset(), 0);
  EXPECT_EQ(a.layout, SL_LAYOUT_BHSD);
  EXPECT_TRUE(a.want_lse);
  // heads_q alone is MHA; a head dim no backend offers is still a valid suite case
  const suite mha = parse_suite("[suite]\nname = \"m\"\n[[attention]]\ndtypes = [\"fp32\"]\n"
                                "heads_q = 6\nhead_dim = 96\nseq = [7]\n",
                                "m");
  ASSERT_EQ(mha.cases.size(), 1U);
  EXPECT_EQ(mha.cases[0].name, "attn.fp32.b1_s7_h6_d96");
  EXPECT_EQ(attn_of(mha.cases[0]).heads_kv, 6);
}

TEST(SuiteAttention, PoliciesOverrideAndTablesRunInFileOrder) {
  const suite s = parse_suite(R"([suite]
name = "p"
[suite.measure]
max_time_s = 4
[[gemm]]
dtypes = ["fp32"]
square = [8]
[[attention]]
dtypes = ["fp32"]
heads_q = 2
head_dim = 8
seq = 4
measure = { max_time_s = 9, min_samples = 3 }
[[gemm]]
dtypes = ["bf16"]
square = [8]
[[attention]]
dtypes = ["bf16"]
heads_q = 2
head_dim = 8
seq = 4
[attention.measure]
warmup_s = 0
)",
                              "p");
  EXPECT_EQ(case_names(s), (std::vector<std::string>{"gemm.fp32.8x8x8", "attn.fp32.b1_s4_h2_d8",
                                                     "gemm.bf16.8x8x8", "attn.bf16.b1_s4_h2_d8"}));
  EXPECT_DOUBLE_EQ(s.cases[1].policy.max_time_s, 9.0);
  EXPECT_EQ(s.cases[1].policy.min_samples, 3);
  EXPECT_EQ(s.cases[1].origin, "p:8:1");
  EXPECT_DOUBLE_EQ(s.cases[3].policy.max_time_s, 4.0);
  EXPECT_DOUBLE_EQ(s.cases[3].policy.warmup_s, 0.0);
  EXPECT_EQ(s.cases[3].origin, "p:17:1");
}

// The unmasked-pair count (the FLOP convention's factor) against a direct count of the pairs
// (i, j) with j <= i + offset, offset = seq_kv - seq_q (bottom-right) or 0 (top-left), including
// seq_q > seq_kv where early query rows see no key at all.
TEST(SuiteAttention, UnmaskedPairsMatchABruteForceCount) {
  attention_problem a;
  a.precision = find_attention_precision("fp32");
  a.heads_q = a.heads_kv = 1;
  a.head_dim_qk = a.head_dim_v = 8;
  for (int64_t sq = 1; sq <= 24; ++sq) {
    for (int64_t skv = 1; skv <= 24; ++skv) {
      for (const bool causal : {false, true}) {
        for (const auto align : {causal_alignment::bottom_right, causal_alignment::top_left}) {
          a.seq_q = sq;
          a.seq_kv = skv;
          a.causal = causal;
          a.align = align;
          const int64_t offset = causal && align == causal_alignment::bottom_right ? skv - sq : 0;
          int64_t direct = 0, by_rows = 0;
          for (int64_t i = 0; i < sq; ++i) {
            int64_t row = 0;
            for (int64_t j = 0; j < skv; ++j) {
              row += !causal || j <= i + offset ? 1 : 0;
            }
            ASSERT_EQ(a.visible_keys(i), row) << a.shape_label() << " row " << i;
            direct += row;
            by_rows += a.visible_keys(i);
          }
          ASSERT_EQ(by_rows, direct);
          ASSERT_EQ(a.unmasked_pairs(), static_cast<double>(direct))
              << a.shape_label() << (align == causal_alignment::top_left ? " top_left" : "");
        }
      }
    }
  }
  // Long sequences: S (S + 1) / 2 pairs for a square causal mask, exact in double.
  a.causal = true;
  a.align = causal_alignment::bottom_right;
  a.seq_q = a.seq_kv = 16384;
  EXPECT_EQ(a.unmasked_pairs(), 16384.0 * 16385.0 / 2.0);
  a.batch = 2;
  a.heads_q = 32;
  a.heads_kv = 8;
  a.head_dim_qk = a.head_dim_v = 128;
  EXPECT_EQ(a.flops(), 2.0 * 2 * 32 * 256 * (16384.0 * 16385.0 / 2.0));
}

TEST(SuiteAttention, ShippedSuiteSweepsLengthsHeadDimsCausalAndModelShapes) {
  const auto path = std::filesystem::path(SUANLI_SOURCE_DIR) / "suites" / "attention.toml";
  const suite s = load_suite_file(path);
  EXPECT_EQ(s.name, "attention");
  ASSERT_EQ(s.cases.size(), 70U); // 2 GEMM + 2 dtypes x (2 GQA dims x 6 lengths + MHA x 5) x 2
  // the reference GEMM rates, same dtypes, first in the run
  EXPECT_EQ(s.cases[0].name, "gemm.fp32.4096x4096x4096");
  EXPECT_EQ(s.cases[1].name, "gemm.bf16.4096x4096x4096");
  struct shape {
    int64_t q, kv, d, longest;
  };
  const shape shapes[] = {{32, 8, 128, 16384}, {32, 8, 64, 16384}, {16, 16, 128, 8192}};
  size_t expected = 2;
  for (const char *dtype : {"fp32", "bf16"}) {
    for (const auto &sh : shapes) {
      for (int64_t len = 512; len <= sh.longest; len *= 2) {
        for (const bool causal : {false, true}) {
          attention_problem want;
          want.precision = find_attention_precision(dtype);
          want.seq_q = want.seq_kv = len;
          want.heads_q = sh.q;
          want.heads_kv = sh.kv;
          want.head_dim_qk = want.head_dim_v = sh.d;
          want.causal = causal;
          const suite_case &c =
              find_case(s, "attn." + std::string(dtype) + "." + want.shape_label());
          const auto &a = attn_of(c);
          EXPECT_EQ(a.to_desc().heads_kv, want.heads_kv) << c.name;
          EXPECT_EQ(a.flops(), want.flops()) << c.name;
          EXPECT_EQ(a.layout, SL_LAYOUT_BSHD);
          EXPECT_EQ(a.batch, 1);
          // long cases: one warm-up call, a 10 s cap, at least 3 samples unless capped
          if (len >= 8192) {
            EXPECT_DOUBLE_EQ(c.policy.warmup_s, 0.0) << c.name;
            EXPECT_DOUBLE_EQ(c.policy.max_time_s, 10.0) << c.name;
            EXPECT_EQ(c.policy.min_samples, 3) << c.name;
          } else {
            EXPECT_DOUBLE_EQ(c.policy.max_time_s, s.policy.max_time_s) << c.name;
          }
          ++expected;
        }
      }
    }
  }
  EXPECT_EQ(s.cases.size(), expected);
}

} // namespace
