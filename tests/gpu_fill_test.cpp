// CUDA plugin: the device fill writes exactly the host generator's values, in every dtype.

#include "gpu_plugin.hpp"

#include <kernels/cuda/fill_encode.hpp>

#include <cmath>
#include <cstring>

namespace suanli::gpu_test {
namespace {

struct fill_dtype {
  const char *name;
  sl_dtype dtype;
};

constexpr fill_dtype k_dtypes[] = {{"fp64", SL_DTYPE_FP64},         {"fp32", SL_DTYPE_FP32},
                                   {"tf32", SL_DTYPE_TF32},         {"fp16", SL_DTYPE_FP16},
                                   {"bf16", SL_DTYPE_BF16},         {"fp8_e4m3", SL_DTYPE_FP8_E4M3},
                                   {"fp8_e5m2", SL_DTYPE_FP8_E5M2}, {"int8", SL_DTYPE_INT8},
                                   {"uint8", SL_DTYPE_UINT8},       {"int32", SL_DTYPE_INT32}};

class gpu_fill : public ::testing::TestWithParam<fill_dtype> {};

TEST_P(gpu_fill, equals_the_host_generator_bit_for_bit) {
  SUANLI_REQUIRE_GPU();
  const sl_dtype dtype = GetParam().dtype;
  const size_t size = sl_dtype_size(dtype);
  constexpr uint64_t count = 1'000'003; // not a multiple of the block size
  constexpr uint64_t seed = 0x1234abcdull;
  context ctx;
  buffer buf(ctx, count * size);
  ASSERT_EQ(api().fill(ctx.get(), nullptr, buf.data(), dtype, count, seed, SL_FILL_UNIFORM), SL_OK)
      << ctx.error();
  const std::vector<unsigned char> host = buf.copy();
  int64_t bits_differ = 0, values_differ = 0;
  for (uint64_t i = 0; i < count; ++i) {
    const uint64_t want_bits = suanli::cuda::encode_value(sl_fill_value(seed, i, dtype), dtype);
    uint64_t got_bits = 0;
    std::memcpy(&got_bits, host.data() + i * size, size); // little-endian low bytes
    bits_differ += got_bits != (size == 8 ? want_bits : want_bits & ((1ull << (8 * size)) - 1));
    values_differ += decode(host.data(), dtype, i) != sl_fill_value(seed, i, dtype);
  }
  EXPECT_EQ(bits_differ, 0);
  EXPECT_EQ(values_differ, 0);
}

INSTANTIATE_TEST_SUITE_P(dtypes, gpu_fill, ::testing::ValuesIn(k_dtypes),
                         [](const ::testing::TestParamInfo<fill_dtype> &param_info) {
                           return std::string(param_info.param.name);
                         });

TEST(gpu_fill_errors, rejects_ranges_dtypes_and_kinds) {
  SUANLI_REQUIRE_GPU();
  context ctx;
  buffer buf(ctx, 1024);
  const auto &p = api();
  EXPECT_EQ(p.fill(ctx.get(), nullptr, buf.data(), SL_DTYPE_FP32, 257, 1, SL_FILL_UNIFORM),
            SL_INVALID_ARGUMENT)
      << "257 fp32 elements do not fit in 1024 bytes";
  EXPECT_NE(ctx.error().find("not inside a block"), std::string::npos) << ctx.error();
  int host_array[4] = {};
  EXPECT_EQ(p.fill(ctx.get(), nullptr, host_array, SL_DTYPE_INT32, 4, 1, SL_FILL_UNIFORM),
            SL_INVALID_ARGUMENT);
  EXPECT_EQ(p.fill(ctx.get(), nullptr, buf.data(), SL_DTYPE_INVALID, 4, 1, SL_FILL_UNIFORM),
            SL_INVALID_ARGUMENT);
  EXPECT_EQ(
      p.fill(ctx.get(), nullptr, buf.data(), SL_DTYPE_FP32, 4, 1, static_cast<sl_fill_kind>(1)),
      SL_UNSUPPORTED);
  EXPECT_EQ(p.fill(ctx.get(), nullptr, buf.data(), SL_DTYPE_FP32, 0, 1, SL_FILL_UNIFORM), SL_OK);
}

} // namespace
} // namespace suanli::gpu_test
