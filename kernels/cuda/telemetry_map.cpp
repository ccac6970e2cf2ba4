#include <kernels/cuda/telemetry_map.hpp>

#include <algorithm>
#include <array>
#include <cstring>

namespace suanli::cuda {
namespace {

struct reason_row {
  uint64_t nvml; // nvmlClocksEventReason* value (nvml.h)
  uint64_t sl;   // sl_throttle_reason bit
};

constexpr std::array<reason_row, 8> k_reasons{{
    {0x0000000000000002ull, SL_THROTTLE_CLOCK_SET},   // ApplicationsClocksSetting
    {0x0000000000000004ull, SL_THROTTLE_POWER_CAP},   // SwPowerCap
    {0x0000000000000008ull, SL_THROTTLE_HW_SLOWDOWN}, // HwSlowdown
    {0x0000000000000010ull, SL_THROTTLE_CLOCK_SET},   // SyncBoost
    {0x0000000000000020ull, SL_THROTTLE_THERMAL},     // SwThermalSlowdown
    {0x0000000000000040ull, SL_THROTTLE_THERMAL},     // HwThermalSlowdown
    {0x0000000000000080ull, SL_THROTTLE_HW_SLOWDOWN}, // HwPowerBrakeSlowdown
    {0x0000000000000100ull, SL_THROTTLE_CLOCK_SET},   // DisplayClockSetting
}};
constexpr uint64_t k_idle = 0x1; // GpuIdle

} // namespace

uint64_t throttle_from_nvml(uint64_t nvml_reasons) {
  uint64_t out = 0;
  uint64_t known = k_idle;
  for (const auto &row : k_reasons) {
    known |= row.nvml;
    if ((nvml_reasons & row.nvml) != 0) {
      out |= row.sl;
    }
  }
  if ((nvml_reasons & ~known) != 0) {
    out |= SL_THROTTLE_OTHER;
  }
  return out;
}

sl_status to_telemetry(const sensor_values &v, const std::string &note, sl_telemetry &out) {
  const uint32_t size = out.struct_size;
  std::memset(&out, 0, sizeof out);
  out.struct_size = size;
  if (v.sm_clock_mhz) {
    out.clock_mhz = *v.sm_clock_mhz;
    out.valid |= SL_TELEMETRY_CLOCK;
  }
  if (v.mem_clock_mhz) {
    out.mem_clock_mhz = *v.mem_clock_mhz;
    out.valid |= SL_TELEMETRY_MEM_CLOCK;
  }
  if (v.power_w) {
    out.power_w = *v.power_w;
    out.valid |= SL_TELEMETRY_POWER;
  }
  if (v.temperature_c) {
    out.temperature_c = *v.temperature_c;
    out.valid |= SL_TELEMETRY_TEMPERATURE;
  }
  if (v.energy_j) {
    out.energy_j = *v.energy_j;
    out.valid |= SL_TELEMETRY_ENERGY;
  }
  if (v.clock_events) {
    out.throttle = throttle_from_nvml(*v.clock_events);
    out.valid |= SL_TELEMETRY_THROTTLE;
  }
  const size_t n = std::min(note.size(), sizeof out.note - 1);
  std::memcpy(out.note, note.data(), n);
  out.note[n] = '\0';
  return out.valid != 0 ? SL_OK : SL_UNSUPPORTED;
}

} // namespace suanli::cuda
