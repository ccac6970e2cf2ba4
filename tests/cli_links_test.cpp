// The link matrix end to end (ABI 1.4): `suanli devices` over a plugin with two linked devices
// prints an nvidia-smi-like matrix; over the CPU plugin, one line saying why there is none.

#include "cli_support.hpp"

#include <gtest/gtest.h>

#include <string>

namespace suanli::test {
namespace {

TEST(cli_links, two_linked_devices_print_a_matrix_with_a_legend) {
  const auto r = run_suanli(std::string("devices --backend-path '") + TWO_LINKED_PLUGIN + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("twolinked:0  "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("twolinked:1  "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  links\n"
                       "                 twolinked:0  twolinked:1\n"
                       "    twolinked:0  X            NV2\n"
                       "    twolinked:1  NV2          X\n"
                       "    NV2          scale_up, 2 links, 50 GB/s per direction\n"),
            std::string::npos)
      << r.out;
}

TEST(cli_links, an_abi_1_0_plugin_says_it_offers_no_topology_only_when_a_pair_exists) {
  const auto r = run_suanli(std::string("devices --backend-path '") + OLD_MINOR_PLUGIN + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("  links           none: 1 device, no pair to link\n"), std::string::npos)
      << r.out;
}

} // namespace
} // namespace suanli::test
