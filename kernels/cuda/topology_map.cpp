// NVML values -> sl_device_link (ABI 1.4).
//
// NVLink rates per link and direction, from NVIDIA's figures per GPU (bidirectional) divided by
// the GPU's link count and by two directions:
//   NVLink 1 (P100): 4 links, 160 GB/s  -> 20 GB/s
//   NVLink 2 (V100): 6 links, 300 GB/s  -> 25 GB/s
//   NVLink 3 (A100): 12 links, 600 GB/s -> 25 GB/s
//   NVLink 4 (H100): 18 links, 900 GB/s -> 25 GB/s
//     ("900 gigabytes/second (GB/s) bi-directional per GPU", NVIDIA Hopper architecture page,
//      https://www.nvidia.com/en-sg/technologies/hopper-architecture/)
//   NVLink 5 (B200): 18 links of 100 GB/s, 1.8 TB/s -> 50 GB/s ("up to 18 NVLink 100
//      gigabyte-per-second (GB/s) connections for a total bandwidth of 1.8 terabytes per
//      second", NVIDIA's NVLink and NVSwitch product text, seen quoted, not on nvidia.com).
// The P100/V100/A100 figures are NVIDIA's datasheet totals (160/300/600 GB/s), not re-checked
// here. Some drivers report NVML_NVLINK_VERSION_5_0 on H100 (public benchmark scripts
// special-case it): a compute capability 9 GPU is NVLink 4 whatever the version says.

#include <kernels/cuda/topology_map.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>

namespace suanli::cuda {
namespace {

// domain:bus:device.function as numbers; false when malformed.
bool parse_bus_id(std::string_view id, unsigned long (&out)[4]) {
  const char seps[] = {':', ':', '.', '\0'};
  for (int i = 0; i < 4; ++i) {
    const size_t end = seps[i] == '\0' ? id.size() : id.find(seps[i]);
    if (end == std::string_view::npos || end == 0) {
      return false;
    }
    const auto field = id.substr(0, end);
    const auto [ptr, ec] = std::from_chars(field.data(), field.data() + field.size(), out[i], 16);
    if (ec != std::errc{} || ptr != field.data() + field.size()) {
      return false;
    }
    id = end == id.size() ? std::string_view{} : id.substr(end + 1);
  }
  return true;
}

// Active links of `from` whose far end is the GPU `to`.
uint32_t direct_links(const gpu_nvlinks &from, const gpu_nvlinks &to) {
  return static_cast<uint32_t>(
      std::count_if(from.active.begin(), from.active.end(), [&](const nvlink_end &l) {
        return l.remote_type != nvml_remote_switch && same_pci_device(l.remote_bus_id, to.bus_id);
      }));
}

uint32_t switch_links(const gpu_nvlinks &g) {
  return static_cast<uint32_t>(std::count_if(g.active.begin(), g.active.end(), [](const auto &l) {
    return l.remote_type == nvml_remote_switch;
  }));
}

template <size_t N> void put(char (&field)[N], const char *text) {
  std::snprintf(field, N, "%s", text);
}

} // namespace

bool same_pci_device(std::string_view a, std::string_view b) {
  unsigned long x[4] = {}, y[4] = {};
  return parse_bus_id(a, x) && parse_bus_id(b, y) && std::equal(x, x + 4, y);
}

uint32_t nvlinks_between(const gpu_nvlinks &a, const gpu_nvlinks &b) {
  const uint32_t direct = std::max(direct_links(a, b), direct_links(b, a));
  const uint32_t via_switch = std::min(switch_links(a), switch_links(b));
  return direct + via_switch;
}

double nvlink_gb_s_per_direction(unsigned nvml_version, int cc_major) {
  if (nvml_version >= 1 && cc_major == 9) {
    return 25.0; // Hopper is NVLink 4, whatever the driver reports
  }
  switch (nvml_version) {
  case 1: return 20.0; // NVML_NVLINK_VERSION_1_0
  case 2:              // 2.0
  case 3:              // 2.2
  case 4:              // 3.0
  case 5:              // 3.1
  case 6: return 25.0; // 4.0
  case 7: return 50.0; // 5.0
  default: return 0.0;
  }
}

double nvlink_gb_s_between(const gpu_nvlinks &a, const gpu_nvlinks &b) {
  if (a.active.empty() || b.active.empty()) {
    return 0.0;
  }
  const double ra = nvlink_gb_s_per_direction(a.active.front().version, a.cc_major);
  const double rb = nvlink_gb_s_per_direction(b.active.front().version, b.cc_major);
  return ra > 0 && rb > 0 ? std::min(ra, rb) : 0.0;
}

void to_device_link(std::optional<int> ancestor_level, uint32_t nvlinks, double per_link_gb_s,
                    sl_device_link &out) {
  const uint32_t size = out.struct_size;
  std::memset(&out, 0, sizeof out);
  out.struct_size = size;
  if (nvlinks > 0) {
    out.kind = SL_LINK_SCALE_UP;
    out.links = nvlinks;
    out.bandwidth_gb_s = per_link_gb_s > 0 ? per_link_gb_s * nvlinks : 0.0;
    std::snprintf(out.name, sizeof out.name, "NV%u", static_cast<unsigned>(nvlinks));
    return;
  }
  switch (ancestor_level.value_or(-1)) {
  case nvml_topology_internal: // two GPUs of one board sit behind the board's own switch
  case nvml_topology_single:
    out.kind = SL_LINK_PCIE_SWITCH;
    put(out.name, "PIX");
    break;
  case nvml_topology_multiple:
    out.kind = SL_LINK_PCIE_SWITCH;
    put(out.name, "PXB");
    break;
  case nvml_topology_hostbridge:
    out.kind = SL_LINK_PCIE_HOST_BRIDGE;
    put(out.name, "PHB");
    break;
  case nvml_topology_node:
    out.kind = SL_LINK_NUMA_NODE;
    put(out.name, "NODE");
    break;
  case nvml_topology_system:
    out.kind = SL_LINK_SYSTEM;
    put(out.name, "SYS");
    break;
  default: out.kind = SL_LINK_UNKNOWN; break;
  }
}

} // namespace suanli::cuda
