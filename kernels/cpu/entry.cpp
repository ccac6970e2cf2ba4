// The one exported symbol: the function table of the CPU backend.

#include <kernels/cpu/api.hpp>

#ifndef SUANLI_CPU_VERSION
#define SUANLI_CPU_VERSION "unknown"
#endif

namespace {

const sl_backend_api k_api = {
    sizeof(sl_backend_api),
    SL_ABI_MAJOR,
    SL_ABI_MINOR,
    "cpu",
    SUANLI_CPU_VERSION,
    suanli::cpu::init,
    suanli::cpu::finalize,
    suanli::cpu::last_error,
    suanli::cpu::library_versions,
    suanli::cpu::device_count,
    suanli::cpu::device_props,
    suanli::cpu::mem_alloc,
    suanli::cpu::mem_free,
    suanli::cpu::memcpy_h2d,
    suanli::cpu::memcpy_d2h,
    suanli::cpu::stream_create,
    suanli::cpu::stream_destroy,
    suanli::cpu::stream_sync,
    suanli::cpu::event_create,
    suanli::cpu::event_destroy,
    suanli::cpu::event_record,
    suanli::cpu::event_elapsed_ns,
    suanli::cpu::fill,
    suanli::cpu::gemm_plan_create,
    suanli::cpu::gemm_run,
    suanli::cpu::gemm_plan_destroy,
    suanli::cpu::gemm_plan_describe,
    suanli::cpu::rated_peak,
    suanli::cpu::measure_peak,
    suanli::cpu::attention_plan_create,
    suanli::cpu::attention_forward,
    suanli::cpu::attention_plan_destroy,
    suanli::cpu::attention_plan_describe,
    suanli::cpu::comm_unique_id_size,
    suanli::cpu::comm_unique_id,
    suanli::cpu::comm_init,
    suanli::cpu::comm_destroy,
    suanli::cpu::collective_check,
    suanli::cpu::collective_run,
    suanli::cpu::telemetry_read,
    suanli::cpu::device_link,
};

} // namespace

extern "C" SL_EXPORT const sl_backend_api *suanli_backend_entry(void) {
  return &k_api;
}
