// device_count and device_props: the CUDA runtime's view, completed by NVML where present.

#include <kernels/cuda/api.hpp>
#include <kernels/cuda/context.hpp>
#include <kernels/cuda/inventory_text.hpp>

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace suanli::cuda {

namespace {

template <size_t N> void put(char (&field)[N], const std::string &text) {
  std::snprintf(field, N, "%s", text.c_str());
}

} // namespace

sl_status device_count(sl_context *ctx, int32_t *count) {
  if (ctx == nullptr || count == nullptr) {
    return fail(ctx, SL_INVALID_ARGUMENT, "device_count: context or count pointer is NULL");
  }
  *count = ctx->devices;
  return SL_OK;
}

sl_status device_props(sl_context *ctx, int32_t device, sl_device_props *props) {
  if (const sl_status s = use_device(ctx, device, "device_props"); s != SL_OK) {
    return s;
  }
  if (props == nullptr || props->struct_size < 2 * sizeof(uint32_t)) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                "device_props: props is NULL or its struct_size is below 8 bytes");
  }
  return guarded(ctx, "device_props", [&] {
    cudaDeviceProp p{};
    if (const cudaError_t err = cudaGetDeviceProperties(&p, device); err != cudaSuccess) {
      return cuda_fail(ctx, err, "device_props", "cudaGetDeviceProperties");
    }
    size_t free_bytes = 0, total_bytes = 0;
    if (const cudaError_t err = cudaMemGetInfo(&free_bytes, &total_bytes); err != cudaSuccess) {
      return cuda_fail(ctx, err, "device_props", "cudaMemGetInfo");
    }
    unsigned char uuid[16];
    std::memcpy(uuid, p.uuid.bytes, sizeof uuid);
    const std::string uuid_text = gpu_uuid_text(uuid);
    const nvml_device_info info = ctx->nvml.device(uuid_text);
    int driver = 0;
    cudaDriverGetVersion(&driver);
    int clock_khz = 0;
    cudaDeviceGetAttribute(&clock_khz, cudaDevAttrClockRate, device);

    sl_device_props full{};
    full.flags = 0; // device events time the work; memory is not host-addressable
    put(full.vendor, "NVIDIA");
    put(full.model, p.name);
    put(full.uuid, uuid_text);
    put(full.serial, info.serial);
    put(full.pci_bus_id, pci_bus_id_text(p.pciDomainID, p.pciBusID, p.pciDeviceID));
    const std::string nvidia = ctx->nvml.driver_version();
    put(full.driver_version, (nvidia.empty() ? std::string() : nvidia + " ") + "(CUDA " +
                                 cuda_version_text(driver) + ")");
    put(full.firmware_version, info.vbios.empty() ? std::string() : "VBIOS " + info.vbios);
    put(full.arch, arch_text(p.major, p.minor));
    full.memory_bytes = free_bytes;
    full.compute_units = static_cast<uint32_t>(p.multiProcessorCount);
    full.clock_mhz_current = info.sm_clock_mhz;
    full.clock_mhz_max = info.sm_clock_max_mhz != 0 ? info.sm_clock_max_mhz
                                                    : static_cast<uint32_t>(clock_khz / 1000);
    // Copy only what the caller's struct holds; struct_size then says how much was filled.
    const size_t bytes = std::min<size_t>(props->struct_size, sizeof full);
    full.struct_size = static_cast<uint32_t>(bytes);
    std::memcpy(props, &full, bytes);
    return SL_OK;
  });
}

} // namespace suanli::cuda
