// How many buffer sets a cold case rotates over (kernels/host/timed_case.hpp).
#include <kernels/host/timed_case.hpp>

#include <gtest/gtest.h>

namespace suanli::host {
namespace {

TEST(buffer_sets_for, warm_is_one_set) {
  EXPECT_EQ(buffer_sets_for(0, 1000, 0), 1u);
  EXPECT_EQ(buffer_sets_for(-1, 1000, 1 << 30), 1u);
}

TEST(buffer_sets_for, enough_other_sets_to_cover_the_cold_bytes) {
  EXPECT_EQ(buffer_sets_for(1000, 1000, 0), 2u); // one other set of 1000 bytes
  EXPECT_EQ(buffer_sets_for(1001, 1000, 0), 3u);
  EXPECT_EQ(buffer_sets_for(1 << 30, 12 << 20, 0), 87u); // 1 GiB / 12 MiB = 85.3 -> 86 others
}

TEST(buffer_sets_for, capped_by_half_the_memory_and_the_set_limit) {
  EXPECT_EQ(buffer_sets_for(1 << 30, 100 << 20, 1000u << 20), 5u); // 500 MiB / 100 MiB
  EXPECT_EQ(buffer_sets_for(1 << 30, 800 << 20, 1000u << 20), 1u); // not even two fit
  EXPECT_EQ(buffer_sets_for(int64_t{1} << 40, 64, 0), max_buffer_sets);
}

} // namespace
} // namespace suanli::host
