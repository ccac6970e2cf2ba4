// CPU plugin attention: results against a naive fp64 reference across dtypes, head dims, causal
// alignments, GQA/MQA, odd and unequal sequence lengths, batches, layouts and ISA levels.

#include "cpu_attention.hpp"

#include <cmath>
#include <cstdlib>

namespace suanli::cpu_test {
namespace {

constexpr sl_dtype f32 = SL_DTYPE_FP32;
constexpr sl_dtype b16 = SL_DTYPE_BF16;
constexpr int32_t bshd = SL_LAYOUT_BSHD;
constexpr int32_t bhsd = SL_LAYOUT_BHSD;

void expect_matches_reference(const attention_outcome &r, const attention_case &c) {
  ASSERT_EQ(r.status, SL_OK) << r.reason;
  EXPECT_NE(r.describe.find("flash-attention"), std::string::npos) << r.describe;
  EXPECT_EQ(r.checked, c.batch * c.heads_q * c.seq_q * c.d);
  EXPECT_EQ(r.wrong, 0) << "max |O error| " << r.max_error << " (" << r.describe << ")";
  EXPECT_EQ(r.wrong_lse, 0) << "max |LSE error| " << r.max_lse_error << " (" << r.describe << ")";
}

class cpu_attention : public ::testing::TestWithParam<attention_case> {};

TEST_P(cpu_attention, matches_the_fp64_reference) {
  const attention_case &c = GetParam();
  context ctx;
  const attention_outcome r = run_attention(ctx, c);
  expect_matches_reference(r, c);
}

std::string case_name(const ::testing::TestParamInfo<attention_case> &info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(
    shapes, cpu_attention,
    ::testing::Values(
        // name, dtype, layout, causal, batch, seq_q, seq_kv, heads_q, heads_kv, d, offset
        attention_case{"fp32_d64", f32, bshd, 0, 2, 129, 129, 4, 2, 64, 0},
        attention_case{"fp32_d64_causal", f32, bhsd, 1, 2, 129, 129, 4, 2, 64, 0},
        attention_case{"fp32_d128", f32, bhsd, 0, 2, 129, 129, 4, 2, 128, 0},
        attention_case{"fp32_d128_causal", f32, bshd, 1, 2, 129, 129, 4, 2, 128, 0},
        attention_case{"fp32_d256", f32, bshd, 0, 1, 129, 129, 2, 2, 256, 0},
        attention_case{"fp32_d256_causal", f32, bhsd, 1, 1, 129, 129, 2, 2, 256, 0},
        attention_case{"bf16_d64", b16, bhsd, 0, 2, 129, 129, 4, 2, 64, 0},
        attention_case{"bf16_d64_causal", b16, bshd, 1, 2, 129, 129, 4, 2, 64, 0},
        attention_case{"bf16_d128", b16, bshd, 0, 2, 129, 129, 4, 2, 128, 0},
        attention_case{"bf16_d128_causal", b16, bhsd, 1, 2, 129, 129, 4, 2, 128, 0},
        attention_case{"bf16_d256", b16, bhsd, 0, 1, 129, 129, 2, 2, 256, 0},
        attention_case{"bf16_d256_causal", b16, bshd, 1, 1, 129, 129, 2, 2, 256, 0},
        attention_case{"gqa_8_2_bf16", b16, bshd, 0, 1, 200, 200, 8, 2, 128, 0},
        attention_case{"gqa_8_2_fp32_causal", f32, bhsd, 1, 1, 200, 200, 8, 2, 64, 0},
        attention_case{"mqa_fp32_causal", f32, bshd, 1, 1, 37, 37, 8, 1, 64, 0},
        attention_case{"mqa_bf16", b16, bhsd, 0, 2, 37, 37, 8, 1, 128, 0},
        attention_case{"one_query_one_key", f32, bshd, 0, 1, 1, 1, 1, 1, 64, 0},
        attention_case{"one_query_one_key_causal_bf16", b16, bhsd, 1, 1, 1, 1, 2, 1, 256, 0},
        attention_case{"short_q_long_kv_top_left", f32, bshd, 1, 2, 37, 200, 2, 1, 64, 0},
        attention_case{"short_q_long_kv_bottom_right", f32, bhsd, 1, 2, 37, 200, 2, 1, 64, 163},
        attention_case{"short_q_long_kv_bottom_right_bf16", b16, bshd, 1, 1, 37, 200, 4, 2, 128,
                       163},
        attention_case{"long_q_short_kv_top_left", f32, bshd, 1, 1, 200, 37, 2, 2, 128, 0},
        // -163: rows 0..162 see no key (O = 0, LSE = -inf)
        attention_case{"long_q_short_kv_bottom_right", f32, bhsd, 1, 2, 200, 37, 2, 1, 128, -163},
        attention_case{"long_q_short_kv_bottom_right_bf16", b16, bshd, 1, 1, 200, 37, 4, 2, 64,
                       -163},
        attention_case{"offset_beyond_kv_is_not_causal", f32, bshd, 1, 1, 70, 90, 2, 2, 64, 1000},
        attention_case{"offset_before_every_key", f32, bhsd, 1, 1, 70, 90, 2, 2, 64, -1000},
        attention_case{"keys_one", f32, bhsd, 0, 1, 129, 1, 2, 2, 128, 0},
        attention_case{"many_kv_tiles", f32, bshd, 0, 1, 65, 1000, 1, 1, 64, 0},
        attention_case{"many_kv_tiles_causal_bf16", b16, bhsd, 1, 1, 300, 1000, 1, 1, 64, 700}),
    case_name);

TEST(cpu_attention_rows, that_see_no_key_are_zero_with_lse_minus_infinity) {
  const attention_case c{"", f32, bshd, 1, 1, 100, 20, 2, 1, 64, -50};
  context ctx;
  const attention_outcome r = run_attention(ctx, c);
  expect_matches_reference(r, c);
  EXPECT_EQ(r.empty_rows, 2 * 50); // rows 0..49 of both heads
  for (int64_t h = 0; h < 2; ++h) {
    for (int64_t i = 0; i < 50; ++i) {
      EXPECT_EQ(r.lse[h * 100 + i], -INFINITY);
      for (int64_t x = 0; x < 64; ++x) {
        ASSERT_EQ(r.o[attention_index(bshd, 0, i, h, x, 100, 2, 64)], 0.0);
      }
    }
  }
}

// Every ISA level, forced through SUANLI_CPU_ISA, on the hardest shapes (levels the CPU lacks
// fall back to the next one down, so this runs everywhere).
struct isa_case {
  const char *isa;
  sl_dtype dtype;
};

void PrintTo(const isa_case &c, std::ostream *os) {
  *os << c.isa << (c.dtype == f32 ? " fp32" : " bf16");
}

std::string isa_case_name(const ::testing::TestParamInfo<isa_case> &param) {
  return std::string(param.param.isa) + "_" + (param.param.dtype == f32 ? "fp32" : "bf16");
}

class cpu_attention_isa : public ::testing::TestWithParam<isa_case> {};

TEST_P(cpu_attention_isa, matches_the_fp64_reference) {
  const isa_case &p = GetParam();
  const scoped_env env("SUANLI_CPU_ISA", p.isa);
  context ctx;
  const attention_case cases[] = {
      {"", p.dtype, bshd, 1, 2, 200, 37, 4, 2, 128, -163},
      {"", p.dtype, bhsd, 1, 1, 37, 200, 8, 1, 64, 163},
      {"", p.dtype, bshd, 0, 1, 129, 70, 2, 2, 256, 0},
  };
  for (const attention_case &c : cases) {
    const attention_outcome r = run_attention(ctx, c);
    expect_matches_reference(r, c);
    if (std::string(p.isa) == "portable") {
      EXPECT_NE(r.describe.find("portable"), std::string::npos) << r.describe;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(levels, cpu_attention_isa,
                         ::testing::Values(isa_case{"portable", f32}, isa_case{"portable", b16},
                                           isa_case{"avx2", f32}, isa_case{"avx2", b16},
                                           isa_case{"avx512f", f32}, isa_case{"avx512f", b16},
                                           isa_case{"avx512_bf16", f32},
                                           isa_case{"avx512_bf16", b16}),
                         isa_case_name);

TEST(cpu_attention_threads, results_do_not_depend_on_the_thread_count) {
  const attention_case c{"", b16, bshd, 1, 2, 150, 150, 4, 2, 64, 0};
  context one(1), two(2);
  const attention_outcome a = run_attention(one, c);
  const attention_outcome b = run_attention(two, c);
  ASSERT_EQ(a.status, SL_OK) << a.reason;
  ASSERT_EQ(b.status, SL_OK) << b.reason;
  EXPECT_EQ(a.o, b.o);
  EXPECT_EQ(a.lse, b.lse);
}

} // namespace
} // namespace suanli::cpu_test
