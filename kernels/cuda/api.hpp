#pragma once
// The plugin's implementations of the sl_backend_api calls, one group per source file.
// Attention (cuDNN's fused SDPA, attention.cpp) is declared in attention.hpp; its entries are
// NULL when the plugin was built without cuDNN's header.

#include <kernels/abi/suanli_backend.h>

namespace suanli::cuda {

// lifecycle.cpp
/// Create a context: count devices (an error with the reason when no driver or device is
/// usable), load NVML when present.
sl_status init(const sl_init_options *options, sl_context **ctx);
/// Destroy ctx and every allocation, stream, event and plan it still owns.
void finalize(sl_context *ctx);
/// Last reason on ctx, or this thread's reason when ctx is NULL.
const char *last_error(const sl_context *ctx);
/// "CUDA runtime=...;CUDA driver=...;NVIDIA driver=...;cuBLASLt=...;NVML=...;NCCL=...;cuDNN=..."
/// plus, per device, "gpuN.ecc" and "gpuN.power_limit" (fields sl_device_props has no room for).
/// NCCL is loaded here if no collective loaded it yet; "NCCL=unavailable: <why>" where it is
/// absent (likewise cuDNN).
sl_status library_versions(sl_context *ctx, char *buf, size_t buf_size);

// device.cpp
/// cudaGetDeviceCount at init.
sl_status device_count(sl_context *ctx, int32_t *count);
/// CUDA runtime properties with NVML's serial, VBIOS and clocks; honours props->struct_size.
sl_status device_props(sl_context *ctx, int32_t device, sl_device_props *props);

// memory.cpp
/// cudaMalloc, tracked per context.
sl_status mem_alloc(sl_context *ctx, int32_t device, uint64_t bytes, void **ptr);
/// cudaFree of a block from mem_alloc.
sl_status mem_free(sl_context *ctx, int32_t device, void *ptr);
/// Synchronous cudaMemcpy host -> device.
sl_status memcpy_h2d(sl_context *ctx, int32_t device, void *dst, const void *src, uint64_t bytes);
/// Synchronous cudaMemcpy device -> host.
sl_status memcpy_d2h(sl_context *ctx, int32_t device, void *dst, const void *src, uint64_t bytes);

// stream.cpp
/// A blocking CUDA stream.
sl_status stream_create(sl_context *ctx, int32_t device, sl_stream **stream);
/// Destroy a stream.
sl_status stream_destroy(sl_context *ctx, sl_stream *stream);
/// cudaStreamSynchronize.
sl_status stream_sync(sl_context *ctx, sl_stream *stream);
/// A CUDA event with timing.
sl_status event_create(sl_context *ctx, int32_t device, sl_event **event);
/// Destroy an event.
sl_status event_destroy(sl_context *ctx, sl_event *event);
/// cudaEventRecord on stream (NULL: the device's default stream).
sl_status event_record(sl_context *ctx, sl_event *event, sl_stream *stream);
/// cudaEventElapsedTime between two recorded events [ns].
sl_status event_elapsed_ns(sl_context *ctx, const sl_event *start, const sl_event *end,
                           uint64_t *elapsed_ns);

// fill.cpp
/// A device kernel writing sl_fill_value(seed, i, dtype) in dtype's bits, on stream.
sl_status fill(sl_context *ctx, sl_stream *stream, void *dst, sl_dtype dtype, uint64_t count,
               uint64_t seed, sl_fill_kind kind);

// gemm.cpp
/// Validate desc, build the cuBLASLt descriptors, time the heuristic's top candidates.
sl_status gemm_plan_create(sl_context *ctx, int32_t device, const sl_gemm_desc *desc,
                           sl_gemm_plan **plan, uint64_t *workspace_bytes);
/// Enqueue cublasLtMatmul with the chosen algorithm on stream.
sl_status gemm_run(sl_context *ctx, sl_gemm_plan *plan, sl_stream *stream, const void *a,
                   const void *b, void *c, void *workspace);
/// Destroy a plan.
sl_status gemm_plan_destroy(sl_context *ctx, sl_gemm_plan *plan);
/// The chosen algorithm (id, tile, stages, cluster, split-K, ...) and how it was chosen.
sl_status gemm_plan_describe(sl_context *ctx, const sl_gemm_plan *plan, char *buf, size_t buf_size);

// peak.cpp
/// SL_UNSUPPORTED: GPU rated peaks come from the device database.
sl_status rated_peak(sl_context *ctx, int32_t device, sl_dtype dtype, double *flops_per_s,
                     char *source, size_t source_size);
/// Best rate of an 8192^3 cuBLASLt GEMM of the dtype [FLOP/s], with the method.
sl_status measure_peak(sl_context *ctx, int32_t device, sl_dtype dtype, double *flops_per_s,
                       char *method, size_t method_size);

// collective_comm.cpp (NCCL through dlopen: SL_UNSUPPORTED naming libnccl.so.2 where absent)
/// sizeof(ncclUniqueId) [bytes].
sl_status comm_unique_id_size(sl_context *ctx, uint64_t *bytes);
/// ncclGetUniqueId into id (bytes must be sizeof(ncclUniqueId)); called on rank 0.
sl_status comm_unique_id(sl_context *ctx, void *id, uint64_t bytes);
/// cudaSetDevice(device), then ncclCommInitRank (blocks until all nranks have joined).
sl_status comm_init(sl_context *ctx, int32_t device, int32_t rank, int32_t nranks, const void *id,
                    uint64_t bytes, sl_comm **comm);
/// ncclCommDestroy (ncclCommAbort after an asynchronous error), then forget the handle.
sl_status comm_destroy(sl_context *ctx, sl_comm *comm);

// collective_check.cpp
/// Local validation of desc (operation, dtype, reduction, root, count); no NCCL call.
sl_status collective_check(sl_context *ctx, const sl_comm *comm, const sl_collective_desc *desc);

// collective_run.cpp
/// Enqueue one NCCL collective on stream (NULL: the legacy default stream), asynchronously;
/// send and recv are mem_alloc memory on the communicator's device.
sl_status collective_run(sl_context *ctx, sl_comm *comm, const sl_collective_desc *desc,
                         const void *send, void *recv, sl_stream *stream);

// telemetry.cpp
/// NVML's SM and memory clocks, power, temperature, energy counter and clock event reasons of
/// the device; thread-safe, reasons in out->note (never last_error).
sl_status telemetry_read(sl_context *ctx, int32_t device, sl_telemetry *out);

} // namespace suanli::cuda
