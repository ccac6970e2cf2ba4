#pragma once
// The plugin's implementations of the sl_backend_api calls, one group per source file.

#include <kernels/abi/suanli_backend.h>

namespace suanli::cpu {

// lifecycle.cpp
/// Create a context: threads, fault-injection switch, probed CPU, oneDNN engine.
sl_status init(const sl_init_options *options, sl_context **ctx);
/// Destroy ctx and every allocation, stream, event and plan it still owns.
void finalize(sl_context *ctx);
/// Last reason on ctx, or this thread's reason when ctx is NULL.
const char *last_error(const sl_context *ctx);
/// "oneDNN=...;OpenBLAS=..." into buf.
sl_status library_versions(sl_context *ctx, char *buf, size_t buf_size);

// device.cpp
/// One device: the host CPU.
sl_status device_count(sl_context *ctx, int32_t *count);
/// Identity and capacity of the host CPU; honours props->struct_size.
sl_status device_props(sl_context *ctx, int32_t device, sl_device_props *props);
/// Device links (ABI 1.4): SELF for (0, 0); any other index is invalid (one device).
sl_status device_link(sl_context *ctx, int32_t a, int32_t b, sl_device_link *out);

// memory.cpp
/// Aligned host allocation (64 B, 2 MiB from 2 MiB up).
sl_status mem_alloc(sl_context *ctx, int32_t device, uint64_t bytes, void **ptr);
/// Free a block from mem_alloc.
sl_status mem_free(sl_context *ctx, int32_t device, void *ptr);
/// memcpy.
sl_status memcpy_h2d(sl_context *ctx, int32_t device, void *dst, const void *src, uint64_t bytes);
/// memcpy.
sl_status memcpy_d2h(sl_context *ctx, int32_t device, void *dst, const void *src, uint64_t bytes);

// stream.cpp
/// A synchronous stream.
sl_status stream_create(sl_context *ctx, int32_t device, sl_stream **stream);
/// Destroy a stream.
sl_status stream_destroy(sl_context *ctx, sl_stream *stream);
/// No-op: work has completed at enqueue.
sl_status stream_sync(sl_context *ctx, sl_stream *stream);
/// An unrecorded event.
sl_status event_create(sl_context *ctx, int32_t device, sl_event **event);
/// Destroy an event.
sl_status event_destroy(sl_context *ctx, sl_event *event);
/// Take a CLOCK_MONOTONIC timestamp.
sl_status event_record(sl_context *ctx, sl_event *event, sl_stream *stream);
/// end - start [ns]; both must be recorded, end not before start.
sl_status event_elapsed_ns(sl_context *ctx, const sl_event *start, const sl_event *end,
                           uint64_t *elapsed_ns);

// fill.cpp
/// dst[i] = sl_fill_value(seed, i, dtype) in dtype's bit pattern, OpenMP-parallel.
sl_status fill(sl_context *ctx, sl_stream *stream, void *dst, sl_dtype dtype, uint64_t count,
               uint64_t seed, sl_fill_kind kind);

// gemm.cpp
/// Validate desc and prepare a oneDNN matmul or an OpenBLAS dgemm plan.
sl_status gemm_plan_create(sl_context *ctx, int32_t device, const sl_gemm_desc *desc,
                           sl_gemm_plan **plan, uint64_t *workspace_bytes);
/// Run a plan synchronously on the calling thread.
sl_status gemm_run(sl_context *ctx, sl_gemm_plan *plan, sl_stream *stream, const void *a,
                   const void *b, void *c, void *workspace);
/// Destroy a plan.
sl_status gemm_plan_destroy(sl_context *ctx, sl_gemm_plan *plan);
/// Name of the implementation chosen for plan.
sl_status gemm_plan_describe(sl_context *ctx, const sl_gemm_plan *plan, char *buf, size_t buf_size);

// rated_peak.cpp
/// cores x max clock x FLOP/cycle of the microarchitecture [FLOP/s], with the formula.
sl_status rated_peak(sl_context *ctx, int32_t device, sl_dtype dtype, double *flops_per_s,
                     char *source, size_t source_size);

// attention.cpp (own flash-attention kernel: attention_*.cpp)
/// Validate desc, choose the kernels for the CPU's ISA, report the workspace.
sl_status attention_plan_create(sl_context *ctx, int32_t device, const sl_attention_desc *desc,
                                sl_attention_plan **plan, uint64_t *workspace_bytes);
/// Run the forward pass synchronously on the context's threads.
sl_status attention_forward(sl_context *ctx, sl_attention_plan *plan, sl_stream *stream,
                            const void *q, const void *k, const void *v, void *o, float *lse,
                            void *workspace);
/// Destroy a plan.
sl_status attention_plan_destroy(sl_context *ctx, sl_attention_plan *plan);
/// "suanli flash-attention fwd, <isa>, ..." for plan.
sl_status attention_plan_describe(sl_context *ctx, const sl_attention_plan *plan, char *buf,
                                  size_t buf_size);

// collective_comm.cpp (collectives over MPI; the host initializes MPI)
/// 32: the unique id is 32 random bytes.
sl_status comm_unique_id_size(sl_context *ctx, uint64_t *bytes);
/// 32 random bytes (getrandom) into id; needs no MPI.
sl_status comm_unique_id(sl_context *ctx, void *id, uint64_t bytes);
/// MPI_Comm_split of MPI_COMM_WORLD by a hash of id, collective over MPI_COMM_WORLD: every rank
/// of it calls comm_init with the same id. SL_DEVICE_ERROR when MPI is not initialized.
sl_status comm_init(sl_context *ctx, int32_t device, int32_t rank, int32_t nranks, const void *id,
                    uint64_t bytes, sl_comm **comm);
/// MPI_Comm_free and destroy comm.
sl_status comm_destroy(sl_context *ctx, sl_comm *comm);

// collective_check.cpp
/// Local validation of desc: op, dtype (fp32, fp16, bf16, fp64, int32, int8), reduction, root,
/// count (at most INT_MAX, MPI's int counts).
sl_status collective_check(sl_context *ctx, const sl_comm *comm, const sl_collective_desc *desc);

// collective_run.cpp
/// collective_check, then one synchronous MPI call with NCCL's buffer and in-place rules.
sl_status collective_run(sl_context *ctx, sl_comm *comm, const sl_collective_desc *desc,
                         const void *send, void *recv, sl_stream *stream);

// telemetry.cpp
/// Clock (cpufreq or /proc/cpuinfo), RAPL package energy and hwmon temperature, whichever
/// are readable; thread-safe, reasons in out->note (never last_error).
sl_status telemetry_read(sl_context *ctx, int32_t device, sl_telemetry *out);

// measure_peak.cpp
/// Rate of an FMA / dot-product microkernel on all threads [FLOP/s], with the method.
sl_status measure_peak(sl_context *ctx, int32_t device, sl_dtype dtype, double *flops_per_s,
                       char *method, size_t method_size);

} // namespace suanli::cpu
