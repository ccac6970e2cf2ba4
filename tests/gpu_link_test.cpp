// The CUDA plugin's device_link (ABI 1.4) on the machine's GPUs: self, symmetry, the NVML
// answer for every pair, and refused indices. Skips with the plugin's reason without a GPU.

#include "gpu_plugin.hpp"

#include <cmath>
#include <cstdio>
#include <cstring>

namespace suanli::gpu_test {
namespace {

sl_status ask(const context &ctx, int32_t a, int32_t b, sl_device_link &out) {
  out = {};
  out.struct_size = sizeof out;
  return api().device_link(ctx.get(), a, b, &out);
}

int32_t device_count(const context &ctx) {
  int32_t n = 0;
  EXPECT_EQ(api().device_count(ctx.get(), &n), SL_OK) << ctx.error();
  return n;
}

TEST(gpu_link, the_table_offers_device_link) {
  EXPECT_NE(api().device_link, nullptr);
}

TEST(gpu_link, a_gpu_is_linked_to_itself) {
  SUANLI_REQUIRE_GPU();
  context ctx;
  sl_device_link l{};
  for (int32_t d = 0; d < device_count(ctx); ++d) {
    ASSERT_EQ(ask(ctx, d, d, l), SL_OK) << ctx.error();
    EXPECT_EQ(l.kind, SL_LINK_SELF);
    EXPECT_STREQ(l.name, "X");
  }
}

TEST(gpu_link, every_pair_is_answered_the_same_both_ways_or_unsupported_with_a_reason) {
  SUANLI_REQUIRE_GPU();
  context ctx;
  const int32_t n = device_count(ctx);
  if (n < 2) {
    GTEST_SKIP() << "one GPU: no pair to link";
  }
  for (int32_t a = 0; a < n; ++a) {
    for (int32_t b = a + 1; b < n; ++b) {
      sl_device_link ab{}, ba{};
      const sl_status s = ask(ctx, a, b, ab);
      const std::string why = ctx.error();
      ASSERT_EQ(ask(ctx, b, a, ba), s);
      if (s == SL_UNSUPPORTED) {
        EXPECT_FALSE(why.empty());
        continue;
      }
      ASSERT_EQ(s, SL_OK) << why;
      EXPECT_NE(ab.kind, SL_LINK_SELF);
      EXPECT_EQ(ab.kind, ba.kind);
      EXPECT_EQ(ab.links, ba.links);
      EXPECT_EQ(ab.bandwidth_gb_s, ba.bandwidth_gb_s);
      EXPECT_STREQ(ab.name, ba.name);
      EXPECT_TRUE(std::isfinite(ab.bandwidth_gb_s) && ab.bandwidth_gb_s >= 0);
      if (ab.kind == SL_LINK_SCALE_UP) {
        EXPECT_GT(ab.links, 0u);
        EXPECT_EQ(std::string(ab.name), "NV" + std::to_string(ab.links));
      }
      std::printf("gpu %d - gpu %d: %s, %u links, %.0f GB/s per direction\n", a, b, ab.name,
                  ab.links, ab.bandwidth_gb_s);
    }
  }
}

TEST(gpu_link, indices_outside_the_devices_are_invalid_with_a_reason) {
  SUANLI_REQUIRE_GPU();
  context ctx;
  const int32_t n = device_count(ctx);
  sl_device_link l{};
  for (const auto &[a, b] : {std::pair{-1, 0}, std::pair{0, n}, std::pair{n, n}}) {
    EXPECT_EQ(ask(ctx, a, b, l), SL_INVALID_ARGUMENT) << a << "," << b;
    EXPECT_NE(ctx.error().find("does not exist"), std::string::npos) << ctx.error();
  }
  EXPECT_EQ(api().device_link(ctx.get(), 0, 0, nullptr), SL_INVALID_ARGUMENT);
}

} // namespace
} // namespace suanli::gpu_test
