// device_link: NVML's view of the path between two GPUs (topology_map.cpp decides the answer).

#include <kernels/cuda/context.hpp>
#include <kernels/cuda/topology.hpp>
#include <kernels/cuda/topology_map.hpp>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

namespace suanli::cuda {
namespace {

// The PCI bus id of a CUDA device into bus, or the failure recorded on ctx.
sl_status bus_id_of(sl_context *ctx, int32_t device, std::string &bus) {
  char text[32] = {};
  if (const cudaError_t err = cudaDeviceGetPCIBusId(text, sizeof text, device);
      err != cudaSuccess) {
    return cuda_fail(ctx, err, "device_link", "cudaDeviceGetPCIBusId");
  }
  bus = text;
  return SL_OK;
}

// NVLinks of one GPU with its compute capability, or the reason NVML cannot say.
sl_status links_of(sl_context *ctx, int32_t device, const std::string &bus, gpu_nvlinks &out) {
  std::string why;
  auto links = ctx->nvml.nvlinks(bus, why);
  if (!links) {
    return fail(ctx, SL_UNSUPPORTED, "device_link: " + why);
  }
  out = std::move(*links);
  if (cudaDeviceGetAttribute(&out.cc_major, cudaDevAttrComputeCapabilityMajor, device) !=
      cudaSuccess) {
    (void)cudaGetLastError(); // unknown compute capability: the NVML version alone decides
    out.cc_major = 0;
  }
  return SL_OK;
}

sl_status pair_link(sl_context *ctx, int32_t a, int32_t b, sl_device_link &out) {
  if (!ctx->nvml.available()) {
    return fail(ctx, SL_UNSUPPORTED,
                "device_link: the topology comes from NVML, which is unavailable: " +
                    ctx->nvml.note());
  }
  std::string bus_a, bus_b;
  gpu_nvlinks links_a, links_b;
  const auto gather = [ctx](int32_t device, std::string &bus, gpu_nvlinks &links) {
    const sl_status s = bus_id_of(ctx, device, bus);
    return s != SL_OK ? s : links_of(ctx, device, bus, links);
  };
  if (const sl_status s = gather(a, bus_a, links_a); s != SL_OK) {
    return s;
  }
  if (const sl_status s = gather(b, bus_b, links_b); s != SL_OK) {
    return s;
  }
  std::string why;
  const auto level = ctx->nvml.common_ancestor(bus_a, bus_b, why);
  to_device_link(level, nvlinks_between(links_a, links_b), nvlink_gb_s_between(links_a, links_b),
                 out);
  return SL_OK;
}

} // namespace

sl_status device_link(sl_context *ctx, int32_t a, int32_t b, sl_device_link *out) {
  if (const sl_status s = check_device(ctx, a, "device_link"); s != SL_OK) {
    return s;
  }
  if (const sl_status s = check_device(ctx, b, "device_link"); s != SL_OK) {
    return s;
  }
  if (out == nullptr || out->struct_size < sizeof(sl_device_link)) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                "device_link: out is NULL or its struct_size is below sizeof(sl_device_link)");
  }
  return guarded(ctx, "device_link", [&] {
    sl_device_link full{};
    full.struct_size = static_cast<uint32_t>(sizeof full);
    if (a == b) {
      full.kind = SL_LINK_SELF;
      std::snprintf(full.name, sizeof full.name, "X");
    } else if (const sl_status s = pair_link(ctx, std::min(a, b), std::max(a, b), full);
               s != SL_OK) {
      return s;
    }
    std::memcpy(out, &full, sizeof full);
    return SL_OK;
  });
}

} // namespace suanli::cuda
