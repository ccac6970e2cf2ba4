/* example.h: internal header of the example backend plugin (libsuanli-example.so).
 *
 * The example plugin is a SIMULATED ACCELERATOR in plain C11: "device memory" is host memory
 * that only the plugin touches, streams are in-order queues of commands that run when the host
 * synchronises, and events are CLOCK_MONOTONIC timestamps taken when a queue reaches them. It
 * implements every part of the Suanli backend ABI (kernels/abi/suanli_backend.h) so that a
 * vendor can copy it and replace the simulation, one function at a time, with calls into the
 * vendor's runtime. Every place where such a call belongs is marked "VENDOR:".
 *
 * Files, one concept each:
 *   example_entry.c        the exported table, init/finalize, errors, library versions
 *   example_device.c       device count, properties, telemetry (ABI 1.3), links (ABI 1.4)
 *   example_memory.c       mem_alloc/mem_free, copies, the allocation table and range checks
 *   example_stream.c       streams (command queues) and events (timestamps)
 *   example_fill.c         the deterministic fill (sl_fill_value in every dtype)
 *   example_gemm_check.c   GEMM descriptor validation (what is invalid, what is unsupported)
 *   example_gemm.c         GEMM plans and the fp32/fp64 kernels
 *   example_peak.c         rated_peak (unsupported) and measure_peak (a timed GEMM)
 *   example_attention_check.c  attention descriptor validation
 *   example_attention.c    attention forward plans and the fp32 kernel
 *   example_collectives.c  single-process communicators and collectives
 *
 * Threading (ABI rule): one context is used by one host thread at a time, so nothing here takes
 * a lock. The only process-wide state is the thread-local error of failed init calls and the
 * counter that makes communicator unique ids distinct. */
#ifndef SUANLI_EXAMPLE_H
#define SUANLI_EXAMPLE_H

/* clock_gettime and CLOCK_MONOTONIC are POSIX, not C11: ask for them before any system header.
 * Every .c file of the plugin includes this header first. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "suanli_backend.h"

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define EX_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define EX_PRINTF(fmt, args)
#endif

/* ---- Constants of the simulated device ---------------------------------------------------- */

/** Number of simulated devices. VENDOR: the count comes from aclrtGetDeviceCount,
 *  cnrtGetDeviceCount, xpu_device_count, hipGetDeviceCount, musaGetDeviceCount, mcGetDeviceCount.
 */
#define EX_DEVICE_COUNT 1

/** Simulated memory capacity of each device [bytes] (4 GiB); mem_alloc enforces it. */
#define EX_MEMORY_BYTES (UINT64_C(4) << 30)

/** Alignment of every allocation [bytes], as cudaMalloc/aclrtMalloc give at least. */
#define EX_ALIGNMENT_BYTES 256u

/** Capacity of the per-context error text [bytes]. */
#define EX_ERROR_BYTES 1024

/** Largest extent of any dimension or tensor [elements]; beyond this, byte sizes overflow. */
#define EX_MAX_EXTENT (INT64_C(1) << 52)

/** Size of a communicator unique id [bytes]: an 8-byte magic and 8 bytes of identity. */
#define EX_UNIQUE_ID_BYTES 16u

/* ---- Opaque handles of the ABI, as the plugin defines them ---------------------------------- */

/** One command in a stream's queue. Each operation allocates a larger struct whose first member
 *  is an ex_command (C-style inheritance) and fills in execute. An event marker has execute ==
 *  NULL and names the event it timestamps. */
typedef struct ex_command {
  struct ex_command *next;                    /**< next command in the queue */
  void (*execute)(const struct ex_command *); /**< runs the operation; NULL for an event marker */
  sl_event *event;                            /**< event marker: the event (NULL once destroyed) */
  uint64_t generation; /**< event marker: which event_record of that event this is */
} ex_command;

/** A stream: an in-order queue of commands, run by stream_sync and by calls that must see
 *  their results (copies, mem_free, work on the NULL stream). */
struct sl_stream {
  sl_stream *next;  /**< next stream of the context */
  int32_t device;   /**< device the stream belongs to */
  ex_command *head; /**< oldest queued command, NULL when idle */
  ex_command *tail; /**< newest queued command */
  uint64_t queued;  /**< commands in the queue */
};

/** State of an event. */
typedef enum ex_event_state {
  EX_EVENT_NEW = 0,     /**< never recorded */
  EX_EVENT_PENDING = 1, /**< recorded; its stream has not reached it yet */
  EX_EVENT_COMPLETE = 2 /**< the stream reached it: timestamp_ns is valid */
} ex_event_state;

/** An event: a timestamp marker placed in a stream by event_record. */
struct sl_event {
  sl_event *next;        /**< next event of the context */
  int32_t device;        /**< device the event belongs to */
  ex_event_state state;  /**< see ex_event_state */
  uint64_t generation;   /**< bumped by every event_record; only the latest marker counts */
  uint64_t timestamp_ns; /**< CLOCK_MONOTONIC when the queue reached the marker [ns] */
};

/** A prepared GEMM: the validated descriptor and a description of the kernel. */
struct sl_gemm_plan {
  sl_gemm_plan *next;    /**< next GEMM plan of the context */
  int32_t device;        /**< device the plan was made for */
  sl_gemm_desc desc;     /**< copy of the caller's descriptor */
  char description[256]; /**< what gemm_plan_describe returns */
};

/** A prepared attention forward. */
struct sl_attention_plan {
  sl_attention_plan *next;  /**< next attention plan of the context */
  int32_t device;           /**< device the plan was made for */
  sl_attention_desc desc;   /**< copy of the caller's descriptor (causal_offset clamped) */
  uint64_t workspace_bytes; /**< scratch the forward pass needs [bytes] */
  char description[256];    /**< what attention_plan_describe returns */
};

/** A communicator over nranks processes (always 1 on the example device). */
struct sl_comm {
  sl_comm *next;  /**< next communicator of the context */
  int32_t device; /**< device the communicator uses */
  int32_t rank;   /**< this process's rank */
  int32_t nranks; /**< ranks in the communicator */
};

/** One live block of simulated device memory. */
typedef struct ex_allocation {
  uintptr_t base; /**< first byte */
  uint64_t bytes; /**< size the caller asked for [bytes] */
  int32_t device; /**< device the block lives on */
} ex_allocation;

/** Everything one init owns. finalize frees all of it. */
struct sl_context {
  char error[EX_ERROR_BYTES];         /**< reason for the last non-OK status */
  ex_allocation *allocations;         /**< live blocks (unordered array) */
  size_t allocation_count;            /**< live blocks in use */
  size_t allocation_capacity;         /**< entries allocated in the array */
  uint64_t allocated_bytes;           /**< sum of live block sizes [bytes] */
  sl_stream *streams;                 /**< live streams (linked list) */
  sl_event *events;                   /**< live events */
  sl_gemm_plan *gemm_plans;           /**< live GEMM plans */
  sl_attention_plan *attention_plans; /**< live attention plans */
  sl_comm *comms;                     /**< live communicators */
};

/* ---- Errors and small helpers (example_entry.c) --------------------------------------------- */

/** Record a printf-formatted reason as the last error of ctx (of this thread when ctx is NULL)
 *  and return status. */
sl_status ex_fail(sl_context *ctx, sl_status status, const char *format, ...) EX_PRINTF(3, 4);

/** SL_OK when ctx is non-NULL, else SL_INVALID_ARGUMENT naming call. */
sl_status ex_need_context(sl_context *ctx, const char *call);

/** SL_OK when ctx is non-NULL and device is a valid index, else SL_INVALID_ARGUMENT. */
sl_status ex_check_device(sl_context *ctx, int32_t device, const char *call);

/** Copy text into buf (always NUL-terminated when buf_size > 0); SL_INVALID_ARGUMENT, with the
 *  text truncated, when it does not fit. */
sl_status ex_copy_text(sl_context *ctx, const char *text, char *buf, size_t buf_size,
                       const char *call);

/** Short name of a dtype ("fp32", ...); "unknown" outside the enum. */
const char *ex_dtype_name(sl_dtype dtype);

/** Current CLOCK_MONOTONIC time [ns]. */
uint64_t ex_monotonic_ns(void);

/* ---- Memory (example_memory.c) -------------------------------------------------------------- */

/** SL_OK when [ptr, ptr + bytes) lies inside one live block of ctx on device; otherwise
 *  SL_INVALID_ARGUMENT with a reason naming call and what (e.g. "A"). */
sl_status ex_check_range(sl_context *ctx, int32_t device, const void *ptr, uint64_t bytes,
                         const char *call, const char *what);

/** True when [a, a + a_bytes) and [b, b + b_bytes) share a byte. */
int ex_overlap(const void *a, uint64_t a_bytes, const void *b, uint64_t b_bytes);

/** Free every block of ctx (finalize). */
void ex_free_all_memory(sl_context *ctx);

/* ---- Streams (example_stream.c) ------------------------------------------------------------- */

/** SL_OK when stream is NULL (the default stream) or a live stream of ctx on device. */
sl_status ex_check_stream(sl_context *ctx, const sl_stream *stream, int32_t device,
                          const char *call);

/** The device of stream into *device (left unchanged for the NULL stream); SL_INVALID_ARGUMENT
 *  when stream is not a live stream of ctx. */
sl_status ex_stream_device(sl_context *ctx, const sl_stream *stream, int32_t *device,
                           const char *call);

/** Queue command on stream (checked with ex_check_stream). On the NULL stream every queue of
 *  ctx is drained first and the command runs before the call returns. Takes ownership of
 *  command (allocated with malloc/calloc) in every case. */
sl_status ex_enqueue(sl_context *ctx, sl_stream *stream, ex_command *command);

/** Run every queued command of every stream of ctx (device-wide synchronisation). */
void ex_drain_all(sl_context *ctx);

/** Free every stream and event of ctx, discarding queued work (finalize). */
void ex_free_all_streams(sl_context *ctx);

/* ---- Kernels shared between files ----------------------------------------------------------- */

/** Validate a GEMM descriptor (example_gemm_check.c): SL_OK, or SL_INVALID_ARGUMENT /
 *  SL_UNSUPPORTED with the reason recorded on ctx. */
sl_status ex_check_gemm_desc(sl_context *ctx, const sl_gemm_desc *desc);

/** Elements spanned by one batch entry of GEMM operand 'a', 'b' or 'c', all batch entries
 *  included: stride * (batch - 1) + (rows - 1) * ld + cols. Valid for a checked descriptor. */
uint64_t ex_gemm_operand_elems(const sl_gemm_desc *desc, char which);

/** Run one GEMM synchronously on memory of the calling thread (example_gemm.c); the descriptor
 *  must be checked and the dtypes fp32 or fp64. */
void ex_gemm_compute(const sl_gemm_desc *desc, const void *a, const void *b, void *c);

/** Validate an attention descriptor (example_attention_check.c): SL_OK, or
 *  SL_INVALID_ARGUMENT / SL_UNSUPPORTED with the reason recorded on ctx. */
sl_status ex_check_attention_desc(sl_context *ctx, const sl_attention_desc *desc);

/** Free every GEMM plan of ctx (finalize). */
void ex_free_all_gemm_plans(sl_context *ctx);

/** Free every attention plan of ctx (finalize). */
void ex_free_all_attention_plans(sl_context *ctx);

/** Free every communicator of ctx (finalize). */
void ex_free_all_comms(sl_context *ctx);

/* ---- The ABI functions, one per table entry (defined in the files above) -------------------- */

sl_status ex_init(const sl_init_options *options, sl_context **ctx);
void ex_finalize(sl_context *ctx);
const char *ex_last_error(const sl_context *ctx);
sl_status ex_library_versions(sl_context *ctx, char *buf, size_t buf_size);
sl_status ex_device_count(sl_context *ctx, int32_t *count);
sl_status ex_device_props(sl_context *ctx, int32_t device, sl_device_props *props);
sl_status ex_mem_alloc(sl_context *ctx, int32_t device, uint64_t bytes, void **ptr);
sl_status ex_mem_free(sl_context *ctx, int32_t device, void *ptr);
sl_status ex_memcpy_h2d(sl_context *ctx, int32_t device, void *dst, const void *src,
                        uint64_t bytes);
sl_status ex_memcpy_d2h(sl_context *ctx, int32_t device, void *dst, const void *src,
                        uint64_t bytes);
sl_status ex_stream_create(sl_context *ctx, int32_t device, sl_stream **stream);
sl_status ex_stream_destroy(sl_context *ctx, sl_stream *stream);
sl_status ex_stream_sync(sl_context *ctx, sl_stream *stream);
sl_status ex_event_create(sl_context *ctx, int32_t device, sl_event **event);
sl_status ex_event_destroy(sl_context *ctx, sl_event *event);
sl_status ex_event_record(sl_context *ctx, sl_event *event, sl_stream *stream);
sl_status ex_event_elapsed_ns(sl_context *ctx, const sl_event *start, const sl_event *end,
                              uint64_t *elapsed_ns);
sl_status ex_fill(sl_context *ctx, sl_stream *stream, void *dst, sl_dtype dtype, uint64_t count,
                  uint64_t seed, sl_fill_kind kind);
sl_status ex_gemm_plan_create(sl_context *ctx, int32_t device, const sl_gemm_desc *desc,
                              sl_gemm_plan **plan, uint64_t *workspace_bytes);
sl_status ex_gemm_run(sl_context *ctx, sl_gemm_plan *plan, sl_stream *stream, const void *a,
                      const void *b, void *c, void *workspace);
sl_status ex_gemm_plan_destroy(sl_context *ctx, sl_gemm_plan *plan);
sl_status ex_gemm_plan_describe(sl_context *ctx, const sl_gemm_plan *plan, char *buf,
                                size_t buf_size);
sl_status ex_rated_peak(sl_context *ctx, int32_t device, sl_dtype dtype, double *flops_per_s,
                        char *source, size_t source_size);
sl_status ex_measure_peak(sl_context *ctx, int32_t device, sl_dtype dtype, double *flops_per_s,
                          char *method, size_t method_size);
sl_status ex_attention_plan_create(sl_context *ctx, int32_t device, const sl_attention_desc *desc,
                                   sl_attention_plan **plan, uint64_t *workspace_bytes);
sl_status ex_attention_forward(sl_context *ctx, sl_attention_plan *plan, sl_stream *stream,
                               const void *q, const void *k, const void *v, void *o, float *lse,
                               void *workspace);
sl_status ex_attention_plan_destroy(sl_context *ctx, sl_attention_plan *plan);
sl_status ex_attention_plan_describe(sl_context *ctx, const sl_attention_plan *plan, char *buf,
                                     size_t buf_size);
sl_status ex_comm_unique_id_size(sl_context *ctx, uint64_t *bytes);
sl_status ex_comm_unique_id(sl_context *ctx, void *id, uint64_t bytes);
sl_status ex_comm_init(sl_context *ctx, int32_t device, int32_t rank, int32_t nranks,
                       const void *id, uint64_t bytes, sl_comm **comm);
sl_status ex_comm_destroy(sl_context *ctx, sl_comm *comm);
sl_status ex_collective_check(sl_context *ctx, const sl_comm *comm, const sl_collective_desc *desc);
sl_status ex_collective_run(sl_context *ctx, sl_comm *comm, const sl_collective_desc *desc,
                            const void *send, void *recv, sl_stream *stream);
#if SL_ABI_MINOR >= 3
sl_status ex_telemetry_read(sl_context *ctx, int32_t device, sl_telemetry *out);
#endif
#if SL_ABI_MINOR >= 4
sl_status ex_device_link(sl_context *ctx, int32_t a, int32_t b, sl_device_link *out);
#endif

#endif /* SUANLI_EXAMPLE_H */
