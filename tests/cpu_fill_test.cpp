// CPU plugin: fill reproduces sl_fill_value bit-exactly for every dtype it offers.

#include "cpu_plugin.hpp"

namespace suanli::cpu_test {
namespace {

class cpu_fill : public ::testing::TestWithParam<sl_dtype> {};

TEST_P(cpu_fill, equals_sl_fill_value) {
  const sl_dtype dtype = GetParam();
  context ctx;
  constexpr uint64_t count = 100003; // large enough for the parallel path, odd
  constexpr uint64_t seed = 0x5eedu;
  buffer out(ctx, count * sl_dtype_size(dtype));
  ASSERT_EQ(api().fill(ctx.get(), nullptr, out.data(), dtype, count, seed, SL_FILL_UNIFORM), SL_OK)
      << ctx.error();
  uint64_t wrong = 0;
  for (uint64_t i = 0; i < count; ++i) {
    wrong += decode(out.data(), dtype, i) != sl_fill_value(seed, i, dtype) ? 1 : 0;
  }
  EXPECT_EQ(wrong, 0u);
}

INSTANTIATE_TEST_SUITE_P(dtypes, cpu_fill,
                         ::testing::Values(SL_DTYPE_FP64, SL_DTYPE_FP32, SL_DTYPE_TF32,
                                           SL_DTYPE_BF16, SL_DTYPE_FP16, SL_DTYPE_INT8,
                                           SL_DTYPE_UINT8, SL_DTYPE_INT32));

TEST(cpu_fill_errors, fp8_and_unknown_kinds_are_unsupported_with_a_reason) {
  context ctx;
  buffer out(ctx, 64);
  EXPECT_EQ(api().fill(ctx.get(), nullptr, out.data(), SL_DTYPE_FP8_E4M3, 64, 1, SL_FILL_UNIFORM),
            SL_UNSUPPORTED);
  EXPECT_NE(ctx.error().find("fp8"), std::string::npos) << ctx.error();
  EXPECT_EQ(api().fill(ctx.get(), nullptr, out.data(), SL_DTYPE_FP32, 16, 1,
                       static_cast<sl_fill_kind>(1)),
            SL_UNSUPPORTED);
  EXPECT_FALSE(ctx.error().empty());
  EXPECT_EQ(api().fill(ctx.get(), nullptr, nullptr, SL_DTYPE_FP32, 16, 1, SL_FILL_UNIFORM),
            SL_INVALID_ARGUMENT);
}

} // namespace
} // namespace suanli::cpu_test
