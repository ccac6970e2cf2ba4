/* example_entry.c: the one exported symbol (the function table), the lifecycle (init,
 * finalize), errors (last_error and the helpers every call uses) and library versions. */
#include "example.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef SUANLI_EXAMPLE_VERSION
#define SUANLI_EXAMPLE_VERSION "1.0.0" /**< plugin version; CMake passes the project's */
#endif

/* Reason of the last failure while no context exists (init, or a call given ctx == NULL). One
 * per host thread, so that concurrent inits on different threads do not mix their reasons. */
static _Thread_local char g_thread_error[EX_ERROR_BYTES];

/* ---- Errors and helpers ------------------------------------------------------------------- */

sl_status ex_fail(sl_context *ctx, sl_status status, const char *format, ...) {
  char *out = ctx != NULL ? ctx->error : g_thread_error;
  va_list args;
  va_start(args, format);
  vsnprintf(out, EX_ERROR_BYTES, format, args);
  va_end(args);
  return status;
}

sl_status ex_need_context(sl_context *ctx, const char *call) {
  return ctx != NULL ? SL_OK : ex_fail(NULL, SL_INVALID_ARGUMENT, "%s: context is NULL", call);
}

sl_status ex_check_device(sl_context *ctx, int32_t device, const char *call) {
  if (ctx == NULL) {
    return ex_fail(NULL, SL_INVALID_ARGUMENT, "%s: context is NULL", call);
  }
  if (device < 0 || device >= EX_DEVICE_COUNT) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "%s: device %d does not exist (the example backend has %d device%s: 0 to %d)",
                   call, (int)device, EX_DEVICE_COUNT, EX_DEVICE_COUNT == 1 ? "" : "s",
                   EX_DEVICE_COUNT - 1);
  }
  return SL_OK;
}

sl_status ex_copy_text(sl_context *ctx, const char *text, char *buf, size_t buf_size,
                       const char *call) {
  if (buf == NULL || buf_size == 0) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT, "%s: output buffer is NULL or has 0 bytes", call);
  }
  const size_t length = strlen(text);
  snprintf(buf, buf_size, "%s", text);
  if (length >= buf_size) {
    return ex_fail(ctx, SL_INVALID_ARGUMENT,
                   "%s: output buffer of %zu bytes is too small for %zu bytes of text", call,
                   buf_size, length + 1);
  }
  return SL_OK;
}

const char *ex_dtype_name(sl_dtype dtype) {
  static const char *const names[] = {"invalid",  "fp64",     "fp32", "tf32",  "fp16", "bf16",
                                      "fp8_e4m3", "fp8_e5m2", "int8", "uint8", "int32"};
  const int i = (int)dtype;
  return i >= 0 && i < (int)(sizeof names / sizeof names[0]) ? names[i] : "unknown";
}

uint64_t ex_monotonic_ns(void) {
  /* VENDOR: device timestamps come from the device's events (ex_event_record); this host clock
   * only serves the simulation and measure_peak. */
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (uint64_t)now.tv_sec * UINT64_C(1000000000) + (uint64_t)now.tv_nsec;
}

/* ---- Lifecycle ------------------------------------------------------------------------------ */

sl_status ex_init(const sl_init_options *options, sl_context **ctx) {
  if (ctx == NULL) {
    return ex_fail(NULL, SL_INVALID_ARGUMENT, "init: ctx output pointer is NULL");
  }
  *ctx = NULL;
  /* Read only the fields the host's struct has (struct_size), so an older host still works. */
  if (options != NULL &&
      options->struct_size >= offsetof(sl_init_options, threads) + sizeof options->threads) {
    /* threads is meant for CPU backends; the simulated device runs on the calling thread and
     * ignores it, but a negative count is still a broken precondition. */
    if (options->threads < 0) {
      return ex_fail(NULL, SL_INVALID_ARGUMENT,
                     "init: threads = %d, expected >= 0 (0 = the backend's default)",
                     (int)options->threads);
    }
  }
  /* VENDOR: bring the runtime up here, once per context, and fail with a reason when it is
   * missing: aclInit(NULL) (Ascend), cnrtGetDeviceCount as a probe (Cambricon),
   * xpu_device_count (Kunlun), hipInit(0) (Hygon), musaGetDeviceCount (Moore Threads),
   * mcGetDeviceCount (MetaX). A runtime error is SL_DEVICE_ERROR with the runtime's own message
   * (aclGetRecentErrMsg, cnrtGetErrorStr, hipGetErrorString, ...). Keep per-context state in
   * sl_context: two contexts may live at once, and init/finalize may repeat in one process. */
  sl_context *created = calloc(1, sizeof *created);
  if (created == NULL) {
    return ex_fail(NULL, SL_OUT_OF_MEMORY, "init: cannot allocate the context");
  }
  *ctx = created;
  return SL_OK;
}

void ex_finalize(sl_context *ctx) {
  if (ctx == NULL) {
    return;
  }
  /* Queued work is discarded, as a device reset would; the host syncs before it finalizes.
   * VENDOR: destroy what the context still owns (streams, events, plans, executors,
   * communicators, memory), then aclrtResetDevice + aclFinalize on the last context (Ascend),
   * cnrtQueueDestroy/cnrtFree (Cambricon), xpu_stream_destroy/xpu_free (Kunlun), ... */
  ex_free_all_comms(ctx);
  ex_free_all_attention_plans(ctx);
  ex_free_all_gemm_plans(ctx);
  ex_free_all_streams(ctx);
  ex_free_all_memory(ctx);
  free(ctx);
}

const char *ex_last_error(const sl_context *ctx) {
  return ctx != NULL ? ctx->error : g_thread_error;
}

sl_status ex_library_versions(sl_context *ctx, char *buf, size_t buf_size) {
  if (ex_need_context(ctx, "library_versions") != SL_OK) {
    return SL_INVALID_ARGUMENT;
  }
  /* VENDOR: name every library whose version changes results or speed, as
   * "name=version;name=version": e.g. "CANN=8.0.RC3;aclnn=...;HCCL=..." from aclsysGetVersionStr
   * (Ascend), "CNRT=...;CNNL=...;CNCL=..." from cnrtGetLibVersion/cnnlGetLibVersion/
   * cnclGetLibVersion (Cambricon), "XPU runtime=...;BKCL=..." from xpu_get_runtime_version
   * (Kunlun), "DTK=...;hipBLASLt=...;RCCL=..." (Hygon). */
  return ex_copy_text(ctx,
                      "example-simulator=" SUANLI_EXAMPLE_VERSION " (C11 loops on the host thread)",
                      buf, buf_size, "library_versions");
}

/* ---- The exported table --------------------------------------------------------------------- */

/* Designated initializers: a field this plugin does not fill stays NULL, which the host reads
 * as "unsupported". struct_size is the size of the table this plugin was compiled with; the host
 * reads only the fields it covers. */
static const sl_backend_api g_api = {
    .struct_size = sizeof(sl_backend_api),
    .abi_major = SL_ABI_MAJOR,
    .abi_minor = SL_ABI_MINOR,
    .name = "example", /* VENDOR: "ascend", "cambricon", "kunlun", ... (what --backend takes) */
    .version = SUANLI_EXAMPLE_VERSION,
    .init = ex_init,
    .finalize = ex_finalize,
    .last_error = ex_last_error,
    .library_versions = ex_library_versions,
    .device_count = ex_device_count,
    .device_props = ex_device_props,
    .mem_alloc = ex_mem_alloc,
    .mem_free = ex_mem_free,
    .memcpy_h2d = ex_memcpy_h2d,
    .memcpy_d2h = ex_memcpy_d2h,
    .stream_create = ex_stream_create,
    .stream_destroy = ex_stream_destroy,
    .stream_sync = ex_stream_sync,
    .event_create = ex_event_create,
    .event_destroy = ex_event_destroy,
    .event_record = ex_event_record,
    .event_elapsed_ns = ex_event_elapsed_ns,
    .fill = ex_fill,
    .gemm_plan_create = ex_gemm_plan_create,
    .gemm_run = ex_gemm_run,
    .gemm_plan_destroy = ex_gemm_plan_destroy,
    .gemm_plan_describe = ex_gemm_plan_describe,
    .rated_peak = ex_rated_peak,
    .measure_peak = ex_measure_peak,
    .attention_plan_create = ex_attention_plan_create,
    .attention_forward = ex_attention_forward,
    .attention_plan_destroy = ex_attention_plan_destroy,
    .attention_plan_describe = ex_attention_plan_describe,
    .comm_unique_id_size = ex_comm_unique_id_size,
    .comm_unique_id = ex_comm_unique_id,
    .comm_init = ex_comm_init,
    .comm_destroy = ex_comm_destroy,
    .collective_check = ex_collective_check,
    .collective_run = ex_collective_run,
#if SL_ABI_MINOR >= 3
    .telemetry_read = ex_telemetry_read,
#endif
#if SL_ABI_MINOR >= 4
    .device_link = ex_device_link,
#endif
};

/** The entry symbol: the only symbol the plugin exports (see exports.map). */
SL_EXPORT const sl_backend_api *suanli_backend_entry(void) {
  return &g_api;
}
