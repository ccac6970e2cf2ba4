// CPU plugin: GEMM against a naive double reference over odd shapes, all transposes, padded
// leading dimensions, batches and scalars; unsupported and invalid descriptors.

#include "cpu_plugin.hpp"

#include <cmath>

namespace suanli::cpu_test {
namespace {

struct dtypes {
  const char *name;
  sl_dtype a, b, c, compute;
  double alpha, beta; // for the padded, batched layout (exact in every output type)
};

constexpr dtypes k_fp32{"fp32",        SL_DTYPE_FP32, SL_DTYPE_FP32, SL_DTYPE_FP32,
                        SL_DTYPE_FP32, 1.5,           -0.75};
constexpr dtypes k_bf16{"bf16",        SL_DTYPE_BF16, SL_DTYPE_BF16, SL_DTYPE_BF16,
                        SL_DTYPE_FP32, 1.5,           -0.75};
constexpr dtypes k_fp16{"fp16",        SL_DTYPE_FP16, SL_DTYPE_FP16, SL_DTYPE_FP16,
                        SL_DTYPE_FP32, 1.5,           -0.75};
constexpr dtypes k_int8{"int8", SL_DTYPE_UINT8, SL_DTYPE_INT8, SL_DTYPE_INT32, SL_DTYPE_INT32, 2.0,
                        -1.0};
constexpr dtypes k_fp64{"fp64",        SL_DTYPE_FP64, SL_DTYPE_FP64, SL_DTYPE_FP64,
                        SL_DTYPE_FP64, 1.5,           -0.75};

struct layout {
  const char *name;
  int32_t trans_a, trans_b;
  bool padded; // pad 3, batch 3, the dtype's alpha and beta; else dense, batch 1, 1 and 0
};

gemm_case make_case(const dtypes &t, const layout &l) {
  return {t.a,
          t.b,
          t.c,
          t.compute,
          37,
          53,
          29,
          l.trans_a,
          l.trans_b,
          l.padded ? 3 : 0,
          l.padded ? 3 : 1,
          l.padded ? t.alpha : 1.0,
          l.padded ? t.beta : 0.0};
}

constexpr layout k_layouts[] = {{"nn", 0, 0, false},
                                {"nt", 0, 1, false},
                                {"tn", 1, 0, false},
                                {"tt", 1, 1, false},
                                {"nn_padded_batch", 0, 0, true},
                                {"nt_padded_batch", 0, 1, true},
                                {"tn_padded_batch", 1, 0, true},
                                {"tt_padded_batch", 1, 1, true}};

class cpu_gemm : public ::testing::TestWithParam<std::tuple<dtypes, layout>> {};

TEST_P(cpu_gemm, matches_the_double_reference) {
  const auto &[t, l] = GetParam();
  context ctx;
  const gemm_outcome out = run_gemm(ctx, make_case(t, l));
  ASSERT_EQ(out.status, SL_OK) << out.reason;
  EXPECT_FALSE(out.describe.empty());
  EXPECT_EQ(out.checked, 37 * 53 * (l.padded ? 3 : 1));
  EXPECT_EQ(out.wrong, 0) << "max error " << out.max_error << " (" << out.describe << ")";
  EXPECT_EQ(out.padding_changed, 0) << "bytes of C outside the output were written";
}

INSTANTIATE_TEST_SUITE_P(
    shapes, cpu_gemm,
    ::testing::Combine(::testing::Values(k_fp32, k_bf16, k_int8, k_fp64),
                       ::testing::ValuesIn(k_layouts)),
    [](const ::testing::TestParamInfo<std::tuple<dtypes, layout>> &param_info) {
      return std::string(std::get<0>(param_info.param).name) + "_" +
             std::get<1>(param_info.param).name;
    });

TEST(cpu_gemm_dtypes, fp16_matches_or_is_unsupported_with_a_reason) {
  context ctx;
  for (const layout &l : {k_layouts[0], k_layouts[7]}) {
    const gemm_outcome out = run_gemm(ctx, make_case(k_fp16, l));
    if (out.status == SL_UNSUPPORTED) {
      EXPECT_NE(out.reason.find("fp16"), std::string::npos) << out.reason;
      continue;
    }
    ASSERT_EQ(out.status, SL_OK) << out.reason;
    EXPECT_EQ(out.wrong, 0) << out.max_error;
  }
}

TEST(cpu_gemm_dtypes, tf32_fp8_and_mixed_combinations_are_unsupported_with_a_reason) {
  context ctx;
  const gemm_case tf32{
      SL_DTYPE_FP32, SL_DTYPE_FP32, SL_DTYPE_FP32, SL_DTYPE_TF32, 8, 8, 8, 0, 0, 0, 1, 1.0, 0.0};
  gemm_outcome out = run_gemm(ctx, tf32);
  EXPECT_EQ(out.status, SL_UNSUPPORTED);
  EXPECT_NE(out.reason.find("TF32"), std::string::npos) << out.reason;
  EXPECT_NE(out.reason.find("not silently substituted"), std::string::npos) << out.reason;

  gemm_case fp8 = tf32;
  fp8.a = fp8.b = SL_DTYPE_FP8_E4M3;
  fp8.compute = SL_DTYPE_FP32;
  out = run_gemm(ctx, fp8);
  EXPECT_EQ(out.status, SL_UNSUPPORTED);
  EXPECT_NE(out.reason.find("fp8"), std::string::npos) << out.reason;

  gemm_case mixed = tf32;
  mixed.a = SL_DTYPE_BF16;
  mixed.compute = SL_DTYPE_FP32;
  out = run_gemm(ctx, mixed);
  EXPECT_EQ(out.status, SL_UNSUPPORTED);
  EXPECT_NE(out.reason.find("a=bf16 b=fp32"), std::string::npos) << out.reason;
}

TEST(cpu_gemm_desc, invalid_descriptors_are_rejected_with_a_reason) {
  context ctx;
  const sl_gemm_desc good = make_desc({SL_DTYPE_FP32, SL_DTYPE_FP32, SL_DTYPE_FP32, SL_DTYPE_FP32,
                                       16, 16, 16, 0, 0, 0, 2, 1.0, 0.0});
  struct bad {
    const char *what;
    void (*edit)(sl_gemm_desc &);
  };
  const bad cases[] = {
      {"struct_size", [](sl_gemm_desc &d) { d.struct_size = 8; }},
      {"m", [](sl_gemm_desc &d) { d.m = 0; }},
      {"k", [](sl_gemm_desc &d) { d.k = -1; }},
      {"batch", [](sl_gemm_desc &d) { d.batch = 0; }},
      {"lda", [](sl_gemm_desc &d) { d.lda = 15; }},
      {"ldb", [](sl_gemm_desc &d) { d.trans_b = 1, d.ldb = 8; }},
      {"ldc", [](sl_gemm_desc &d) { d.ldc = 3; }},
      {"trans", [](sl_gemm_desc &d) { d.trans_a = 2; }},
      {"stride_c", [](sl_gemm_desc &d) { d.stride_c = 100; }},
      {"alpha", [](sl_gemm_desc &d) { d.alpha = NAN; }},
  };
  sl_gemm_plan *plan = nullptr;
  uint64_t ws = 0;
  for (const bad &c : cases) {
    sl_gemm_desc d = good;
    c.edit(d);
    EXPECT_EQ(api().gemm_plan_create(ctx.get(), 0, &d, &plan, &ws), SL_INVALID_ARGUMENT) << c.what;
    EXPECT_EQ(plan, nullptr);
    EXPECT_FALSE(ctx.error().empty()) << c.what;
  }
  EXPECT_EQ(api().gemm_plan_create(ctx.get(), 0, nullptr, &plan, &ws), SL_INVALID_ARGUMENT);
  EXPECT_NE(ctx.error().find("NULL"), std::string::npos) << ctx.error();
  ASSERT_EQ(api().gemm_plan_create(ctx.get(), 0, &good, &plan, &ws), SL_OK) << ctx.error();
  float x[16 * 16 * 2] = {};
  EXPECT_EQ(api().gemm_run(ctx.get(), plan, nullptr, x, nullptr, x, nullptr), SL_INVALID_ARGUMENT);
  EXPECT_EQ(api().gemm_plan_destroy(ctx.get(), plan), SL_OK);
}

TEST(cpu_gemm_desc, a_missing_workspace_is_rejected) {
  context ctx;
  const sl_gemm_desc d = make_desc({SL_DTYPE_BF16, SL_DTYPE_BF16, SL_DTYPE_BF16, SL_DTYPE_FP32, 37,
                                    53, 29, 0, 0, 0, 1, 1.0, 0.0});
  sl_gemm_plan *plan = nullptr;
  uint64_t ws = 0;
  ASSERT_EQ(api().gemm_plan_create(ctx.get(), 0, &d, &plan, &ws), SL_OK) << ctx.error();
  if (ws == 0) {
    GTEST_SKIP() << "this plan needs no workspace";
  }
  buffer a(ctx, 37 * 29 * 2), b(ctx, 29 * 53 * 2), c(ctx, 37 * 53 * 2);
  EXPECT_EQ(api().gemm_run(ctx.get(), plan, nullptr, a.data(), b.data(), c.data(), nullptr),
            SL_INVALID_ARGUMENT);
  EXPECT_NE(ctx.error().find("workspace"), std::string::npos) << ctx.error();
  EXPECT_EQ(api().gemm_plan_destroy(ctx.get(), plan), SL_OK);
}

} // namespace
} // namespace suanli::cpu_test
