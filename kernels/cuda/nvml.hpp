#pragma once
// NVML through dlopen("libnvidia-ml.so.1"): never linked, so the plugin loads where the driver
// (which ships NVML) is absent. Each query answers empty / 0 when NVML or the field is missing.

#include <kernels/cuda/topology_map.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace suanli::cuda {

/// What NVML says about one device; empty strings and 0 where unknown.
struct nvml_device_info {
  std::string serial;            ///< board serial number
  std::string vbios;             ///< VBIOS version
  uint32_t sm_clock_mhz = 0;     ///< current SM clock [MHz]
  uint32_t sm_clock_max_mhz = 0; ///< maximum SM clock [MHz]
  int ecc_enabled = -1;          ///< current ECC mode: 1 on, 0 off, -1 unknown
  uint32_t power_limit_mw = 0;   ///< enforced power limit [mW]
};

/// One reading of a device's sensors; a field is set only when NVML answered for it.
struct nvml_reading {
  std::optional<uint32_t> sm_clock_mhz;  ///< current SM clock [MHz]
  std::optional<uint32_t> mem_clock_mhz; ///< current memory clock [MHz]
  std::optional<double> power_w;         ///< power draw [W] (nvmlDeviceGetPowerUsage)
  std::optional<double> temperature_c;   ///< GPU die temperature [degC]
  std::optional<double> energy_j;        ///< energy since the driver loaded [J]
  std::optional<uint64_t> clock_events;  ///< nvmlClocksEventReason* bits
  std::string note;                      ///< why nothing could be read
};

/// The NVML library, loaded and initialised at construction when present.
class nvml {
public:
  nvml();
  ~nvml();
  nvml(const nvml &) = delete;
  nvml &operator=(const nvml &) = delete;

  /// True when libnvidia-ml.so.1 was loaded and nvmlInit_v2 succeeded.
  [[nodiscard]] bool available() const { return handle_ != nullptr; }
  /// Why NVML is unavailable (empty when available).
  [[nodiscard]] const std::string &note() const { return note_; }
  /// Driver version, e.g. "580.159.04" (empty when unknown).
  [[nodiscard]] std::string driver_version() const;
  /// NVML library version, e.g. "13.580.159.04" (empty when unknown).
  [[nodiscard]] std::string library_version() const;
  /// Fields of the device with this UUID ("GPU-xxxxxxxx-..."); all unknown when not found.
  [[nodiscard]] nvml_device_info device(const std::string &uuid) const;
  /// Sensors of the device at this PCI bus id ("0000:17:00.0"); thread-safe (NVML is).
  [[nodiscard]] nvml_reading read(const std::string &pci_bus_id) const;
  /// The active NVLinks of the GPU at this PCI bus id: links 0..17 through
  /// nvmlDeviceGetNvLinkState, ...RemoteDeviceType, ...RemotePciInfo_v2 and ...Version (none on
  /// a GPU without NVLink). nullopt with why when NVML does not know the device.
  [[nodiscard]] std::optional<gpu_nvlinks> nvlinks(const std::string &pci_bus_id,
                                                   std::string &why) const;
  /// nvmlDeviceGetTopologyCommonAncestor of two GPUs (an nvml_topology_level); nullopt with
  /// why when NVML cannot say.
  [[nodiscard]] std::optional<int>
  common_ancestor(const std::string &bus_a, const std::string &bus_b, std::string &why) const;

private:
  void *handle_ = nullptr; ///< dlopen handle; NULL when NVML is unavailable
  std::string note_;
};

} // namespace suanli::cuda
