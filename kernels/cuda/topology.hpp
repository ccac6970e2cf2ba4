#pragma once
// device_link (ABI 1.4) of the CUDA plugin: NVLink and PCIe paths between local GPUs from NVML.

#include <kernels/abi/suanli_backend.h>

namespace suanli::cuda {

/// The path between GPUs a and b: SELF "X" for a == b; SCALE_UP "NV<n>" when NVLinks join
/// them (directly or through NVSwitches); else the PCIe path of NVML's common ancestor (PIX,
/// PXB, PHB, NODE, SYS). SL_UNSUPPORTED with the reason when NVML is unavailable.
sl_status device_link(sl_context *ctx, int32_t a, int32_t b, sl_device_link *out);

} // namespace suanli::cuda
