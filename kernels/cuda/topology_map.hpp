#pragma once
// NVML's view of the path between two GPUs translated into the ABI's sl_device_link (ABI 1.4).
// Pure host-side logic, unit-tested without a GPU: nvml.cpp gathers the values, this file
// decides the kind, link count, bandwidth and label.

#include <kernels/abi/suanli_backend.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace suanli::cuda {

/// nvmlGpuTopologyLevel_t values (nvml.h).
enum nvml_topology_level : int {
  nvml_topology_internal = 0,    ///< NVML_TOPOLOGY_INTERNAL: the same board
  nvml_topology_single = 10,     ///< NVML_TOPOLOGY_SINGLE: one PCIe switch (PIX)
  nvml_topology_multiple = 20,   ///< NVML_TOPOLOGY_MULTIPLE: several PCIe switches (PXB)
  nvml_topology_hostbridge = 30, ///< NVML_TOPOLOGY_HOSTBRIDGE: one host bridge (PHB)
  nvml_topology_node = 40,       ///< NVML_TOPOLOGY_NODE: host bridges of one NUMA node (NODE)
  nvml_topology_system = 50      ///< NVML_TOPOLOGY_SYSTEM: across NUMA nodes (SYS)
};

/// nvmlIntNvLinkDeviceType_t values (nvml.h): what sits at the far end of an NVLink.
enum nvml_nvlink_remote : int {
  nvml_remote_not_asked = -1, ///< nvmlDeviceGetNvLinkRemoteDeviceType is absent
  nvml_remote_gpu = 0,        ///< NVML_NVLINK_DEVICE_TYPE_GPU
  nvml_remote_ibmnpu = 1,     ///< NVML_NVLINK_DEVICE_TYPE_IBMNPU
  nvml_remote_switch = 2,     ///< NVML_NVLINK_DEVICE_TYPE_SWITCH (NVSwitch)
  nvml_remote_unknown = 0xFF  ///< NVML_NVLINK_DEVICE_TYPE_UNKNOWN
};

/// Links NVML walks per GPU (NVML_NVLINK_MAX_LINKS in nvml.h since the Hopper drivers).
constexpr unsigned k_nvml_nvlink_max_links = 18;

/// One active NVLink of a GPU as NVML reports it.
struct nvlink_end {
  int remote_type = nvml_remote_not_asked; ///< nvml_nvlink_remote
  std::string remote_bus_id;               ///< nvmlPciInfo_t.busId of the far end
  unsigned version = 0;                    ///< nvmlDeviceGetNvLinkVersion; 0 unknown
};

/// The active NVLinks of one GPU.
struct gpu_nvlinks {
  std::string bus_id;             ///< the GPU's own PCI bus id
  int cc_major = 0;               ///< compute capability major (9 Hopper, 10 Blackwell)
  std::vector<nvlink_end> active; ///< links whose state is active
};

/// True when two PCI bus ids name the same device: "0000:19:00.0" and "00000000:19:00.0"
/// agree (domain width and hex case are ignored). Malformed ids never match.
[[nodiscard]] bool same_pci_device(std::string_view a, std::string_view b);

/// NVLinks between two GPUs: direct links (the larger count of the two sides), plus
/// min(links of a to NVSwitches, links of b to NVSwitches) when both reach switches.
[[nodiscard]] uint32_t nvlinks_between(const gpu_nvlinks &a, const gpu_nvlinks &b);

/// Rated bandwidth of one NVLink, per direction [GB/s], from nvmlNvlinkVersion_t: 1.0 20;
/// 2.0, 2.2, 3.0, 3.1, 4.0 25; 5.0 50 (Hopper, cc 9, always 25). 0 when unknown.
[[nodiscard]] double nvlink_gb_s_per_direction(unsigned nvml_version, int cc_major);

/// The slower per-link rate of two GPUs' first active links [GB/s]; 0 when unknown.
[[nodiscard]] double nvlink_gb_s_between(const gpu_nvlinks &a, const gpu_nvlinks &b);

/// Fill out (struct_size kept, the rest zeroed) for two different GPUs: SCALE_UP "NV<n>" with
/// n * per_link_gb_s when nvlinks > 0, else the PCIe kind of the common ancestor level (PIX,
/// PXB, PHB, NODE, SYS), else UNKNOWN.
void to_device_link(std::optional<int> ancestor_level, uint32_t nvlinks, double per_link_gb_s,
                    sl_device_link &out);

} // namespace suanli::cuda
