#pragma once
// NVML's sensor reading translated into the ABI's sl_telemetry (host-side logic, unit-tested
// without a GPU).

#include <kernels/abi/suanli_backend.h>

#include <cstdint>
#include <optional>
#include <string>

namespace suanli::cuda {

/// nvmlClocksEventReason* bits as sl_throttle_reason bits. Idle (0x1) is not throttling and
/// maps to nothing; sync boost and display clock settings count as SL_THROTTLE_CLOCK_SET.
[[nodiscard]] uint64_t throttle_from_nvml(uint64_t nvml_reasons);

/// The fields of one NVML reading, as nvml_reading holds them.
struct sensor_values {
  std::optional<uint32_t> sm_clock_mhz;  ///< [MHz]
  std::optional<uint32_t> mem_clock_mhz; ///< [MHz]
  std::optional<double> power_w;         ///< [W]
  std::optional<double> temperature_c;   ///< [degC]
  std::optional<double> energy_j;        ///< [J]
  std::optional<uint64_t> clock_events;  ///< nvmlClocksEventReason* bits
};

/// Fill out (struct_size already set by the host) from v; note is the reason for missing
/// fields. SL_OK when at least one field was read, SL_UNSUPPORTED otherwise.
sl_status to_telemetry(const sensor_values &v, const std::string &note, sl_telemetry &out);

} // namespace suanli::cuda
