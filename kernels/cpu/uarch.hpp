#pragma once
// The floating-point datapath of a core, table-driven by vendor, family and model.

#include <kernels/cpu/cpu_info.hpp>

#include <cstdint>
#include <string>

namespace suanli::cpu {

/// Vector arithmetic pipes of one core.
struct fma_datapath {
  std::string name;           ///< microarchitecture, e.g. "Zen4"
  uint32_t pipes = 2;         ///< FMA pipes (or mul + add pipes) per core
  uint32_t width_bits = 128;  ///< width of one pipe [bits]
  uint32_t flop_per_lane = 2; ///< per lane per pipe per cycle: 2 for FMA, 1 for mul/add pipes
  std::string note;           ///< e.g. "AVX-512 runs on 256-bit pipes"

  /// fp64 FLOP per cycle per core.
  uint32_t fp64_flop_per_cycle() const { return pipes * (width_bits / 64) * flop_per_lane; }
  /// e.g. "2 FMA pipes x 8 fp32 lanes x 2" for lane_bits 32.
  std::string formula(uint32_t lane_bits, const char *lane_type) const;
};

/// Datapath of the host's cores, from the microarchitecture table; widths are capped to what the
/// kernel reports as enabled (a hypervisor may hide AVX-512).
fma_datapath classify_datapath(const cpu_info &cpu);

} // namespace suanli::cpu
