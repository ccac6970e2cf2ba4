// telemetry_read: NVML's sensors of the device at the CUDA device's PCI bus id. Thread-safe
// (NVML and cudaDeviceGetPCIBusId are); reasons go to out->note, never to the context's error.

#include <kernels/cuda/api.hpp>
#include <kernels/cuda/context.hpp>
#include <kernels/cuda/telemetry_map.hpp>

#include <cstring>
#include <exception>

namespace suanli::cuda {
namespace {

sl_status read_sensors(sl_context *ctx, int32_t device, sl_telemetry *out) {
  if (ctx == nullptr || device < 0 || device >= ctx->devices) {
    to_telemetry({},
                 ctx == nullptr
                     ? "telemetry_read: context is NULL"
                     : "telemetry_read: device " + std::to_string(device) + " does not exist",
                 *out);
    return SL_INVALID_ARGUMENT;
  }
  char bus[32] = {};
  if (const cudaError_t err = cudaDeviceGetPCIBusId(bus, sizeof bus, device); err != cudaSuccess) {
    to_telemetry({}, "telemetry_read: cudaDeviceGetPCIBusId: " + cuda_text(err), *out);
    return SL_DEVICE_ERROR;
  }
  const nvml_reading r = ctx->nvml.read(bus);
  const sensor_values v{r.sm_clock_mhz,  r.mem_clock_mhz, r.power_w,
                        r.temperature_c, r.energy_j,      r.clock_events};
  return to_telemetry(v, r.note, *out);
}

} // namespace

sl_status telemetry_read(sl_context *ctx, int32_t device, sl_telemetry *out) {
  if (out == nullptr || out->struct_size < sizeof(sl_telemetry)) {
    return SL_INVALID_ARGUMENT; // no room for a reason: the host broke the struct_size rule
  }
  try {
    return read_sensors(ctx, device, out);
  } catch (const std::exception &e) {
    to_telemetry({}, std::string("telemetry_read: ") + e.what(), *out);
    return SL_INTERNAL_ERROR;
  }
}

} // namespace suanli::cuda
