// The one exported symbol: the function table of the CUDA backend.

#include <kernels/cuda/api.hpp>
#include <kernels/cuda/attention.hpp>
#include <kernels/cuda/topology.hpp>

#ifndef SUANLI_CUDA_VERSION
#define SUANLI_CUDA_VERSION "unknown"
#endif

namespace {

const sl_backend_api k_api = {
    sizeof(sl_backend_api),
    SL_ABI_MAJOR,
    SL_ABI_MINOR,
    "cuda",
    SUANLI_CUDA_VERSION,
    suanli::cuda::init,
    suanli::cuda::finalize,
    suanli::cuda::last_error,
    suanli::cuda::library_versions,
    suanli::cuda::device_count,
    suanli::cuda::device_props,
    suanli::cuda::mem_alloc,
    suanli::cuda::mem_free,
    suanli::cuda::memcpy_h2d,
    suanli::cuda::memcpy_d2h,
    suanli::cuda::stream_create,
    suanli::cuda::stream_destroy,
    suanli::cuda::stream_sync,
    suanli::cuda::event_create,
    suanli::cuda::event_destroy,
    suanli::cuda::event_record,
    suanli::cuda::event_elapsed_ns,
    suanli::cuda::fill,
    suanli::cuda::gemm_plan_create,
    suanli::cuda::gemm_run,
    suanli::cuda::gemm_plan_destroy,
    suanli::cuda::gemm_plan_describe,
    suanli::cuda::rated_peak,
    suanli::cuda::measure_peak,
#ifdef SUANLI_CUDA_CUDNN
    // Attention (ABI 1.1): cuDNN's fused attention, libcudnn.so.9 loaded at the first plan.
    suanli::cuda::attention_plan_create,
    suanli::cuda::attention_forward,
    suanli::cuda::attention_plan_destroy,
    suanli::cuda::attention_plan_describe,
#else
    // Attention (ABI 1.1): built without cuDNN's header; NULL reports unsupported.
    nullptr,
    nullptr,
    nullptr,
    nullptr,
#endif
    // Collectives (ABI 1.2): NCCL, loaded with dlopen at first use (unsupported where absent).
    suanli::cuda::comm_unique_id_size,
    suanli::cuda::comm_unique_id,
    suanli::cuda::comm_init,
    suanli::cuda::comm_destroy,
    suanli::cuda::collective_check,
    suanli::cuda::collective_run,
    // Telemetry (ABI 1.3): NVML.
    suanli::cuda::telemetry_read,
    // Device links (ABI 1.4): NVLink and PCIe paths from NVML.
    suanli::cuda::device_link,
};

} // namespace

extern "C" SL_EXPORT const sl_backend_api *suanli_backend_entry(void) {
  return &k_api;
}
