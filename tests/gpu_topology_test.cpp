// The CUDA plugin's device_link mapping (kernels/cuda/topology_map), no GPU needed: NVML's
// common ancestor levels, NVLink counting (direct and through NVSwitches), NVLink rates and
// the "NV<n>" labels.

#include <kernels/cuda/topology_map.hpp>

#include <gtest/gtest.h>

#include <string>

namespace suanli::cuda {
namespace {

sl_device_link mapped(std::optional<int> level, uint32_t nvlinks, double per_link) {
  sl_device_link out{};
  out.struct_size = sizeof out;
  out.links = 99; // to_device_link zeroes what it does not set
  to_device_link(level, nvlinks, per_link, out);
  return out;
}

gpu_nvlinks gpu(const std::string &bus, int cc_major) {
  gpu_nvlinks g;
  g.bus_id = bus;
  g.cc_major = cc_major;
  return g;
}

void add_links(gpu_nvlinks &g, int count, int remote_type, const std::string &remote,
               unsigned version) {
  for (int i = 0; i < count; ++i) {
    g.active.push_back({remote_type, remote, version});
  }
}

TEST(gpu_topology, pci_bus_ids_match_across_domain_width_and_case) {
  EXPECT_TRUE(same_pci_device("0000:19:00.0", "00000000:19:00.0"));
  EXPECT_TRUE(same_pci_device("0000:3b:00.0", "00000000:3B:00.0"));
  EXPECT_FALSE(same_pci_device("0000:19:00.0", "0000:1a:00.0"));
  EXPECT_FALSE(same_pci_device("0000:19:00.0", "0000:19:00.1"));
  EXPECT_FALSE(same_pci_device("", "0000:19:00.0"));
  EXPECT_FALSE(same_pci_device("0000:19:00", "0000:19:00"));
  EXPECT_FALSE(same_pci_device("zz:19:00.0", "zz:19:00.0"));
}

TEST(gpu_topology, pcie_levels_map_to_the_nvidia_smi_labels) {
  const struct {
    int level;
    sl_link_kind kind;
    const char *name;
  } cases[] = {{nvml_topology_internal, SL_LINK_PCIE_SWITCH, "PIX"},
               {nvml_topology_single, SL_LINK_PCIE_SWITCH, "PIX"},
               {nvml_topology_multiple, SL_LINK_PCIE_SWITCH, "PXB"},
               {nvml_topology_hostbridge, SL_LINK_PCIE_HOST_BRIDGE, "PHB"},
               {nvml_topology_node, SL_LINK_NUMA_NODE, "NODE"},
               {nvml_topology_system, SL_LINK_SYSTEM, "SYS"}};
  for (const auto &c : cases) {
    const auto l = mapped(c.level, 0, 25.0);
    EXPECT_EQ(l.kind, c.kind) << c.name;
    EXPECT_STREQ(l.name, c.name);
    EXPECT_EQ(l.links, 0u);
    EXPECT_EQ(l.bandwidth_gb_s, 0.0); // PCIe bandwidth is not claimed
    EXPECT_EQ(l.struct_size, sizeof(sl_device_link));
  }
  EXPECT_EQ(mapped(std::nullopt, 0, 0).kind, SL_LINK_UNKNOWN);
  EXPECT_EQ(mapped(35, 0, 0).kind, SL_LINK_UNKNOWN); // a level this plugin does not know
  EXPECT_STREQ(mapped(std::nullopt, 0, 0).name, "");
}

TEST(gpu_topology, nvlinks_win_over_the_pcie_path_and_are_named_nv_n) {
  const auto l = mapped(nvml_topology_system, 18, 25.0);
  EXPECT_EQ(l.kind, SL_LINK_SCALE_UP);
  EXPECT_EQ(l.links, 18u);
  EXPECT_DOUBLE_EQ(l.bandwidth_gb_s, 450.0); // H100 SXM: 900 GB/s bidirectional
  EXPECT_STREQ(l.name, "NV18");
  const auto unknown_rate = mapped(nvml_topology_node, 2, 0.0);
  EXPECT_STREQ(unknown_rate.name, "NV2");
  EXPECT_EQ(unknown_rate.bandwidth_gb_s, 0.0);
}

TEST(gpu_topology, nvlink_rates_per_version_per_direction) {
  EXPECT_EQ(nvlink_gb_s_per_direction(1, 6), 20.0);  // 1.0, P100
  EXPECT_EQ(nvlink_gb_s_per_direction(2, 7), 25.0);  // 2.0, V100
  EXPECT_EQ(nvlink_gb_s_per_direction(4, 8), 25.0);  // 3.0, A100
  EXPECT_EQ(nvlink_gb_s_per_direction(6, 9), 25.0);  // 4.0, H100
  EXPECT_EQ(nvlink_gb_s_per_direction(7, 10), 50.0); // 5.0, B200
  EXPECT_EQ(nvlink_gb_s_per_direction(7, 9), 25.0);  // 5.0 reported on an H100: NVLink 4
  EXPECT_EQ(nvlink_gb_s_per_direction(0, 9), 0.0);
  EXPECT_EQ(nvlink_gb_s_per_direction(42, 10), 0.0);
}

TEST(gpu_topology, direct_nvlinks_are_counted_between_the_two_gpus_only) {
  auto a = gpu("0000:19:00.0", 8), b = gpu("0000:1a:00.0", 8), c = gpu("0000:3b:00.0", 8);
  add_links(a, 4, nvml_remote_gpu, "00000000:1A:00.0", 4);
  add_links(a, 2, nvml_remote_gpu, "00000000:3B:00.0", 4);
  add_links(b, 4, nvml_remote_gpu, "00000000:19:00.0", 4);
  add_links(c, 2, nvml_remote_not_asked, "00000000:19:00.0", 4);
  EXPECT_EQ(nvlinks_between(a, b), 4u);
  EXPECT_EQ(nvlinks_between(b, a), 4u);
  EXPECT_EQ(nvlinks_between(a, c), 2u);
  EXPECT_EQ(nvlinks_between(c, a), 2u);
  EXPECT_EQ(nvlinks_between(b, c), 0u);
  EXPECT_DOUBLE_EQ(nvlink_gb_s_between(a, b), 25.0);
}

TEST(gpu_topology, nvswitch_links_join_every_pair_of_switched_gpus) {
  // HGX H100: each GPU's 18 links go to NVSwitches, none to another GPU.
  auto a = gpu("0000:19:00.0", 9), b = gpu("0000:3b:00.0", 9), pcie = gpu("0000:5d:00.0", 9);
  add_links(a, 18, nvml_remote_switch, "00000000:C1:00.0", 7);
  add_links(b, 18, nvml_remote_switch, "00000000:C2:00.0", 6);
  EXPECT_EQ(nvlinks_between(a, b), 18u);
  EXPECT_EQ(nvlinks_between(a, pcie), 0u);
  EXPECT_DOUBLE_EQ(nvlink_gb_s_between(a, b), 25.0);
  const auto l = mapped(nvml_topology_system, nvlinks_between(a, b), nvlink_gb_s_between(a, b));
  EXPECT_STREQ(l.name, "NV18");
  EXPECT_DOUBLE_EQ(l.bandwidth_gb_s, 450.0);
}

} // namespace
} // namespace suanli::cuda
