/* Suanli backend C ABI, version 1.
 *
 * The only file a vendor needs. A backend is a shared library that exports one symbol,
 * SL_ENTRY_SYMBOL, returning a table of function pointers (sl_backend_api). Rules:
 *  - The table starts with struct_size and the ABI major/minor. Fields are append-only: a minor
 *    version adds fields at the end, a major version breaks. The host refuses another major and
 *    reads only the fields that struct_size covers.
 *  - Every call returns an sl_status. SL_UNSUPPORTED is a normal answer, not a failure; the
 *    reason is available from last_error(). A NULL function pointer means unsupported.
 *  - The host owns every buffer and workspace (allocated through mem_alloc); the plugin owns
 *    opaque contexts, plans, streams and events, each with its destroy call.
 *  - All matrices are row-major. Dimensions, leading dimensions and strides count elements.
 *  - Strings in property structs are inline NUL-terminated arrays, never pointers.
 *
 * Threading: one context is used by one host thread at a time. last_error() is per context.
 * The one exception is telemetry_read (ABI 1.3): the host may call it from a sampling thread
 * while another thread uses the context, so it must be thread-safe, must not touch the state
 * last_error() reports, and gives its reasons in sl_telemetry.note instead.
 *
 * Table size on LP64, by minor: 1.0 216 bytes, 1.1 248, 1.2 296, 1.3 304, 1.4 312.
 */
#ifndef SUANLI_BACKEND_H
#define SUANLI_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SL_ABI_MAJOR 1 /**< breaking changes bump this; the host refuses another major */
/* Minor versions: 1 attention, 2 collectives, 3 telemetry, 4 device links (append-only
 * additions). */
#define SL_ABI_MINOR 4                         /**< append-only additions bump this */
#define SL_ENTRY_SYMBOL "suanli_backend_entry" /**< the one exported symbol */

#if defined(_WIN32)
#define SL_EXPORT __declspec(dllexport)
#else
#define SL_EXPORT __attribute__((visibility("default")))
#endif

/** Status of every call. */
typedef enum sl_status {
  SL_OK = 0,
  SL_UNSUPPORTED = 1,      /**< a normal answer: the operation, dtype or shape is not offered */
  SL_INVALID_ARGUMENT = 2, /**< the caller broke a precondition */
  SL_OUT_OF_MEMORY = 3,    /**< an allocation failed */
  SL_DEVICE_ERROR = 4,     /**< the device or its runtime failed */
  SL_INTERNAL_ERROR = 5    /**< a bug in the plugin */
} sl_status;

/** Element types. Accumulator types are named separately in descriptors. */
typedef enum sl_dtype {
  SL_DTYPE_INVALID = 0,
  SL_DTYPE_FP64 = 1,
  SL_DTYPE_FP32 = 2,
  SL_DTYPE_TF32 = 3, /**< fp32 storage computed in TF32; never used silently for fp32 */
  SL_DTYPE_FP16 = 4,
  SL_DTYPE_BF16 = 5,
  SL_DTYPE_FP8_E4M3 = 6,
  SL_DTYPE_FP8_E5M2 = 7,
  SL_DTYPE_INT8 = 8,
  SL_DTYPE_UINT8 = 9,
  SL_DTYPE_INT32 = 10
} sl_dtype;

/** Device property flags. */
enum {
  SL_DEVICE_HOST_TIMED = 1u << 0,      /**< no device timers: the host times around a sync */
  SL_DEVICE_HOST_ADDRESSABLE = 1u << 1 /**< device memory is ordinary host memory */
};

typedef struct sl_context sl_context;               /**< opaque per-init state of a plugin */
typedef struct sl_stream sl_stream;                 /**< opaque in-order work queue on one device */
typedef struct sl_event sl_event;                   /**< opaque timestamp marker on a stream */
typedef struct sl_gemm_plan sl_gemm_plan;           /**< opaque prepared GEMM */
typedef struct sl_attention_plan sl_attention_plan; /**< opaque prepared attention (ABI 1.1) */
typedef struct sl_comm sl_comm;                     /**< opaque communicator over ranks (ABI 1.2) */

/** Options given to init. Zero means "the plugin's default" for every field. */
typedef struct sl_init_options {
  uint32_t struct_size; /**< sizeof(sl_init_options) as the host built it */
  int32_t threads;      /**< host threads a CPU backend may use; 0 = all cores */
} sl_init_options;

/** Identity and capacity of one device. Unknown strings are empty, unknown numbers 0. */
typedef struct sl_device_props {
  uint32_t struct_size;       /**< sizeof(sl_device_props) as the host built it */
  uint32_t flags;             /**< SL_DEVICE_* bits */
  char vendor[64];            /**< e.g. "AMD", "NVIDIA", "Huawei" */
  char model[128];            /**< marketing name, e.g. "AMD EPYC 9654" */
  char uuid[64];              /**< stable unique identity where the platform has one */
  char serial[64];            /**< board serial number */
  char pci_bus_id[32];        /**< domain:bus:device.function */
  char driver_version[64];    /**< kernel driver / runtime version */
  char firmware_version[64];  /**< VBIOS, firmware or microcode */
  char arch[64];              /**< architecture or ISA, e.g. "sm_90", "avx512" */
  uint64_t memory_bytes;      /**< memory usable for buffers [bytes] */
  uint32_t compute_units;     /**< SMs, AI cores, or CPU cores used */
  uint32_t clock_mhz_current; /**< current compute clock [MHz] */
  uint32_t clock_mhz_max;     /**< maximum compute clock [MHz] */
  uint32_t reserved;
} sl_device_props;

/** A (strided-batched) GEMM: C[b] = alpha * op(A[b]) * op(B[b]) + beta * C[b], row-major.
 *  op(A) is m x k, op(B) is k x n, C is m x n. With trans_a, A is stored k x m. */
typedef struct sl_gemm_desc {
  uint32_t struct_size;  /**< sizeof(sl_gemm_desc) as the host built it */
  sl_dtype a_type;       /**< element type of A */
  sl_dtype b_type;       /**< element type of B */
  sl_dtype c_type;       /**< element type of C (output) */
  sl_dtype compute_type; /**< accumulator type (FP32 for bf16/fp16, INT32 for int8, TF32...) */
  int32_t trans_a;       /**< 0: A stored m x k; 1: A stored k x m */
  int32_t trans_b;       /**< 0: B stored k x n; 1: B stored n x k */
  int64_t m, n, k;       /**< problem dimensions [elements] */
  int64_t lda, ldb, ldc; /**< leading dimensions (row pitch) [elements] */
  int64_t batch;         /**< batch count, >= 1 */
  int64_t stride_a, stride_b, stride_c; /**< distance between batch entries [elements] */
  double alpha, beta;                   /**< scalars */
} sl_gemm_desc;

/** Bits of sl_telemetry.valid: which fields hold a reading (ABI 1.3). */
typedef enum sl_telemetry_field {
  SL_TELEMETRY_CLOCK = 1u << 0,       /**< clock_mhz */
  SL_TELEMETRY_MEM_CLOCK = 1u << 1,   /**< mem_clock_mhz */
  SL_TELEMETRY_POWER = 1u << 2,       /**< power_w */
  SL_TELEMETRY_TEMPERATURE = 1u << 3, /**< temperature_c */
  SL_TELEMETRY_ENERGY = 1u << 4,      /**< energy_j */
  SL_TELEMETRY_THROTTLE = 1u << 5     /**< throttle */
} sl_telemetry_field;

/** Bits of sl_telemetry.throttle: why the clock is held below its maximum at the reading
 *  (idle is not throttling). NVML's clock event reasons, Ascend DSMI's and Cambricon cnmon's
 *  map onto these; anything else is SL_THROTTLE_OTHER. */
typedef enum sl_throttle_reason {
  SL_THROTTLE_POWER_CAP = 1u << 0,   /**< software power cap (power limit reached) */
  SL_THROTTLE_THERMAL = 1u << 1,     /**< temperature (software or hardware thermal slowdown) */
  SL_THROTTLE_HW_SLOWDOWN = 1u << 2, /**< hardware slowdown: power brake, PSU, other hardware */
  SL_THROTTLE_CLOCK_SET = 1u << 3,   /**< clocks set low by an application or administrator */
  SL_THROTTLE_OTHER = 1u << 4        /**< a reason none of the above names */
} sl_throttle_reason;

/** One reading of a device's sensors (ABI 1.3). The host sets struct_size; the plugin sets
 *  `valid` to the fields it could read and says in note why others are missing. */
typedef struct sl_telemetry {
  uint32_t struct_size;   /**< sizeof(sl_telemetry) as the host built it */
  uint32_t valid;         /**< sl_telemetry_field bits */
  uint32_t clock_mhz;     /**< current compute clock (SM, AI core, CPU core mean) [MHz] */
  uint32_t mem_clock_mhz; /**< current memory clock [MHz] */
  double power_w;         /**< power draw of the device (board or package) now [W] */
  double temperature_c;   /**< hottest die sensor [degC] */
  double energy_j;        /**< energy counter [J]: monotonic, from an arbitrary origin */
  uint64_t throttle;      /**< sl_throttle_reason bits active now */
  char note[256];         /**< why fields are missing, or why the call failed */
} sl_telemetry;

/** Kinds of path between two devices of one node (ABI 1.4), nearest first. The PCIe kinds are
 *  nvidia-smi topo -m's PIX/PXB, PHB, NODE and SYS. */
typedef enum sl_link_kind {
  SL_LINK_SELF = 0,             /**< a == b */
  SL_LINK_SCALE_UP = 1,         /**< a vendor device-to-device fabric: NVLink, HCCS, MLU-Link,
                                     XPU-Link, Infinity Fabric (directly or through its switch) */
  SL_LINK_PCIE_SWITCH = 2,      /**< PCIe switches only (PIX: one switch, PXB: several) */
  SL_LINK_PCIE_HOST_BRIDGE = 3, /**< through one PCIe host bridge (PHB) */
  SL_LINK_NUMA_NODE = 4,        /**< across host bridges within one NUMA node (NODE) */
  SL_LINK_SYSTEM = 5,           /**< across NUMA nodes / sockets: the SMP interconnect (SYS) */
  SL_LINK_UNKNOWN = 6           /**< the plugin cannot tell */
} sl_link_kind;

/** The path between two devices of one node (ABI 1.4). The host sets struct_size; the plugin
 *  keeps it, zeroes the rest and fills the fields it knows. */
typedef struct sl_device_link {
  uint32_t struct_size;  /**< sizeof(sl_device_link) as the host built it */
  sl_link_kind kind;     /**< the best path between the two devices */
  uint32_t links;        /**< SCALE_UP: fabric links between them (e.g. 18 NVLinks); else 0 */
  uint32_t reserved;     /**< 0 */
  double bandwidth_gb_s; /**< rated bandwidth of the path, per direction [GB/s = 1e9 B/s]; 0 =
                              unknown */
  char name[32];         /**< short label: "X" (self), "NV18", "HCCS", "PIX", "PHB", "SYS"... */
} sl_device_link;

/** Fill distributions. Only SL_FILL_UNIFORM exists in v1.0. */
typedef enum sl_fill_kind {
  SL_FILL_UNIFORM = 0 /**< sl_fill_value(): small exactly-representable values, see below */
} sl_fill_kind;

/** Memory layouts of attention tensors (all tightly packed, innermost dimension last). */
typedef enum sl_attention_layout {
  SL_LAYOUT_BSHD = 0, /**< [batch][seq][heads][head_dim] */
  SL_LAYOUT_BHSD = 1  /**< [batch][heads][seq][head_dim] */
} sl_attention_layout;

/** Scaled dot-product attention forward (ABI 1.1):
 *    O[b,h,i,:] = sum_j softmax_j(scale * Q[b,h,i,:] . K[b,g,j,:]) V[b,g,j,:]
 *  over the keys j that query i may see, with g = h / (heads_q / heads_kv) (MHA, GQA, MQA).
 *  Causal: query i sees key j iff j <= i + causal_offset (0 aligns the top-left corners of the
 *  score matrix; seq_kv - seq_q aligns the bottom-right, as FlashAttention >= 2.1 does). A query
 *  that sees no key has O = 0 and LSE = -inf. Q, K, V and O share `layout`; Q and O have
 *  heads_q heads, K and V heads_kv; LSE (optional) is fp32 [batch][heads_q][seq_q], the natural
 *  log of sum_j exp(scale * q.k_j). */
typedef struct sl_attention_desc {
  uint32_t struct_size;  /**< sizeof(sl_attention_desc) as the host built it */
  sl_dtype qkv_type;     /**< element type of Q, K and V */
  sl_dtype o_type;       /**< element type of O */
  sl_dtype compute_type; /**< accumulator type (FP32) */
  int32_t layout;        /**< sl_attention_layout */
  int32_t causal;        /**< 0 or 1 */
  int64_t batch;         /**< >= 1 */
  int64_t seq_q, seq_kv; /**< sequence lengths [tokens], >= 1 */
  int64_t heads_q;       /**< query (and output) heads */
  int64_t heads_kv;      /**< key/value heads; divides heads_q */
  int64_t head_dim_qk;   /**< head dimension of Q and K */
  int64_t head_dim_v;    /**< head dimension of V and O */
  int64_t causal_offset; /**< see above; ignored unless causal */
  double softmax_scale;  /**< multiplies Q.K; the host passes 1/sqrt(head_dim_qk) by default */
  int32_t want_lse;      /**< 1: write LSE */
  int32_t reserved;      /**< 0 */
} sl_attention_desc;

/** Collective operations (ABI 1.2), with NCCL's buffer conventions. `count` is in elements:
 *    ALL_REDUCE      send count, recv count
 *    ALL_GATHER      send count, recv nranks*count (rank r's block at r*count)
 *    REDUCE_SCATTER  send nranks*count, recv count (rank r receives block r of the reduction)
 *    ALL_TO_ALL      send nranks*count, recv nranks*count (block j goes to rank j)
 *    BROADCAST       send count (read on root only), recv count
 *    REDUCE          send count, recv count (written on root only)
 *    SENDRECV        send count to rank (r+1) % nranks, recv count from rank (r-1+n) % nranks
 *  In place (NCCL's rule): ALL_REDUCE, BROADCAST, REDUCE with send == recv; ALL_GATHER with
 *  send == recv + rank*count; REDUCE_SCATTER with recv == send + rank*count. ALL_TO_ALL and
 *  SENDRECV are out of place only. */
typedef enum sl_collective_op {
  SL_COLL_ALL_REDUCE = 0,
  SL_COLL_ALL_GATHER = 1,
  SL_COLL_REDUCE_SCATTER = 2,
  SL_COLL_ALL_TO_ALL = 3,
  SL_COLL_BROADCAST = 4,
  SL_COLL_REDUCE = 5,
  SL_COLL_SENDRECV = 6
} sl_collective_op;

/** Reductions of ALL_REDUCE, REDUCE_SCATTER and REDUCE (NONE for the other operations). */
typedef enum sl_reduce_op {
  SL_REDUCE_NONE = 0,
  SL_REDUCE_SUM = 1,
  SL_REDUCE_PROD = 2,
  SL_REDUCE_MIN = 3,
  SL_REDUCE_MAX = 4
} sl_reduce_op;

/** One collective call (ABI 1.2). */
typedef struct sl_collective_desc {
  uint32_t struct_size; /**< sizeof(sl_collective_desc) as the host built it */
  int32_t op;           /**< sl_collective_op */
  sl_dtype dtype;       /**< element type of both buffers */
  int32_t reduce;       /**< sl_reduce_op; SL_REDUCE_NONE unless the operation reduces */
  int32_t root;         /**< BROADCAST and REDUCE: the root rank; otherwise 0 */
  int32_t reserved;     /**< 0 */
  uint64_t count;       /**< elements, as the table above defines per operation */
} sl_collective_desc;

/** The function table. Obtain it through SL_ENTRY_SYMBOL. */
typedef struct sl_backend_api {
  uint32_t struct_size; /**< sizeof(sl_backend_api) as the plugin built it */
  uint16_t abi_major;   /**< SL_ABI_MAJOR the plugin was built with */
  uint16_t abi_minor;   /**< SL_ABI_MINOR the plugin was built with */
  const char *name;     /**< short backend name, e.g. "cpu", "cuda" (static storage) */
  const char *version;  /**< plugin version string (static storage) */

  /* Lifecycle and errors */
  /** Create a context. On failure *ctx may be NULL; last_error(NULL) gives the reason. */
  sl_status (*init)(const sl_init_options *options, sl_context **ctx);
  /** Destroy a context and everything still owned by it. */
  void (*finalize)(sl_context *ctx);
  /** Human-readable reason for the last non-OK status on ctx (ctx may be NULL after init). */
  const char *(*last_error)(const sl_context *ctx);
  /** Versions of the libraries the plugin uses, as "name=version;name=version". */
  sl_status (*library_versions)(sl_context *ctx, char *buf, size_t buf_size);

  /* Devices */
  /** Number of devices; 0 with SL_OK when none is present. */
  sl_status (*device_count)(sl_context *ctx, int32_t *count);
  /** Properties of one device; the plugin honours props->struct_size. */
  sl_status (*device_props)(sl_context *ctx, int32_t device, sl_device_props *props);

  /* Memory (host owns the buffers) */
  sl_status (*mem_alloc)(sl_context *ctx, int32_t device, uint64_t bytes, void **ptr);
  sl_status (*mem_free)(sl_context *ctx, int32_t device, void *ptr);
  /** Synchronous copies between host memory and device memory. */
  sl_status (*memcpy_h2d)(sl_context *ctx, int32_t device, void *dst, const void *src,
                          uint64_t bytes);
  sl_status (*memcpy_d2h)(sl_context *ctx, int32_t device, void *dst, const void *src,
                          uint64_t bytes);

  /* Streams and events (in-order queues; device timestamps) */
  sl_status (*stream_create)(sl_context *ctx, int32_t device, sl_stream **stream);
  sl_status (*stream_destroy)(sl_context *ctx, sl_stream *stream);
  sl_status (*stream_sync)(sl_context *ctx, sl_stream *stream);
  sl_status (*event_create)(sl_context *ctx, int32_t device, sl_event **event);
  sl_status (*event_destroy)(sl_context *ctx, sl_event *event);
  /** Record a timestamp when all work queued before it on stream has completed. */
  sl_status (*event_record)(sl_context *ctx, sl_event *event, sl_stream *stream);
  /** Elapsed device time between two recorded events, after both completed [ns]. */
  sl_status (*event_elapsed_ns)(sl_context *ctx, const sl_event *start, const sl_event *end,
                                uint64_t *elapsed_ns);

  /* Deterministic fill: element i of dst becomes sl_fill_value(seed, i, dtype) */
  sl_status (*fill)(sl_context *ctx, sl_stream *stream, void *dst, sl_dtype dtype, uint64_t count,
                    uint64_t seed, sl_fill_kind kind);

  /* GEMM */
  /** Prepare a GEMM. SL_UNSUPPORTED with a reason when the combination is not offered. */
  sl_status (*gemm_plan_create)(sl_context *ctx, int32_t device, const sl_gemm_desc *desc,
                                sl_gemm_plan **plan, uint64_t *workspace_bytes);
  /** Enqueue one GEMM on stream; buffers are device memory from mem_alloc. */
  sl_status (*gemm_run)(sl_context *ctx, sl_gemm_plan *plan, sl_stream *stream, const void *a,
                        const void *b, void *c, void *workspace);
  sl_status (*gemm_plan_destroy)(sl_context *ctx, sl_gemm_plan *plan);
  /** Describe the implementation chosen for a plan (kernel, algorithm) into buf. */
  sl_status (*gemm_plan_describe)(sl_context *ctx, const sl_gemm_plan *plan, char *buf,
                                  size_t buf_size);

  /* Peaks (optional) */
  /** Rated peak of a device for a GEMM dtype [FLOP/s], with how it was derived in source. */
  sl_status (*rated_peak)(sl_context *ctx, int32_t device, sl_dtype dtype, double *flops_per_s,
                          char *source, size_t source_size);
  /** Max-achievable rate measured by a plugin microkernel for a dtype [FLOP/s]. */
  sl_status (*measure_peak)(sl_context *ctx, int32_t device, sl_dtype dtype, double *flops_per_s,
                            char *method, size_t method_size);

  /* Attention (ABI 1.1; the host reads these only when struct_size covers them) */
  /** Prepare an attention forward. SL_UNSUPPORTED with a reason (e.g. an unsupported head
   *  dimension) when the combination is not offered. */
  sl_status (*attention_plan_create)(sl_context *ctx, int32_t device, const sl_attention_desc *desc,
                                     sl_attention_plan **plan, uint64_t *workspace_bytes);
  /** Enqueue one forward pass; lse may be NULL unless the plan wants it. */
  sl_status (*attention_forward)(sl_context *ctx, sl_attention_plan *plan, sl_stream *stream,
                                 const void *q, const void *k, const void *v, void *o, float *lse,
                                 void *workspace);
  sl_status (*attention_plan_destroy)(sl_context *ctx, sl_attention_plan *plan);
  /** Describe the implementation chosen for a plan into buf. */
  sl_status (*attention_plan_describe)(sl_context *ctx, const sl_attention_plan *plan, char *buf,
                                       size_t buf_size);
  /* Collectives (ABI 1.2). Bootstrap: rank 0 creates a unique id, the host sends its bytes to
   * every rank (over MPI), then every rank calls comm_init with the same id; comm_init may block
   * until all nranks have joined. A collective is enqueued on a stream like any other work and
   * must be called by every rank of the communicator in the same order. */
  /** Size of this backend's unique id [bytes] (at most 4096). */
  sl_status (*comm_unique_id_size)(sl_context *ctx, uint64_t *bytes);
  /** Create a fresh unique id into id (bytes from comm_unique_id_size); called on rank 0. */
  sl_status (*comm_unique_id)(sl_context *ctx, void *id, uint64_t bytes);
  /** Join the communicator named by id as `rank` of `nranks`, using `device`. */
  sl_status (*comm_init)(sl_context *ctx, int32_t device, int32_t rank, int32_t nranks,
                         const void *id, uint64_t bytes, sl_comm **comm);
  /** Leave and destroy a communicator. */
  sl_status (*comm_destroy)(sl_context *ctx, sl_comm *comm);
  /** SL_OK when the communicator offers desc (operation, dtype, reduction, count, root);
   *  SL_UNSUPPORTED with a reason otherwise. Local: no communication. */
  sl_status (*collective_check)(sl_context *ctx, const sl_comm *comm,
                                const sl_collective_desc *desc);
  /** Enqueue one collective on stream; send and recv are device memory from mem_alloc. */
  sl_status (*collective_run)(sl_context *ctx, sl_comm *comm, const sl_collective_desc *desc,
                              const void *send, void *recv, sl_stream *stream);
  /* Telemetry (ABI 1.3, optional). */
  /** Read the device's sensors into out (see sl_telemetry). Thread-safe (see Threading above);
   *  SL_UNSUPPORTED with out->note when the device has no readable sensor at all. */
  sl_status (*telemetry_read)(sl_context *ctx, int32_t device, sl_telemetry *out);
  /* Device links (ABI 1.4, optional). */
  /** The path between devices a and b of this node into out (see sl_device_link); the answer
   *  is symmetric. SL_INVALID_ARGUMENT for an index outside [0, device_count), SL_UNSUPPORTED
   *  with a reason when the plugin cannot tell the topology at all. */
  sl_status (*device_link)(sl_context *ctx, int32_t a, int32_t b, sl_device_link *out);
} sl_backend_api;

/** Type of the entry symbol. */
typedef const sl_backend_api *(*sl_entry_fn)(void);

/** Short name of a status. */
static inline const char *sl_status_name(sl_status s) {
  switch (s) {
  case SL_OK: return "ok";
  case SL_UNSUPPORTED: return "unsupported";
  case SL_INVALID_ARGUMENT: return "invalid argument";
  case SL_OUT_OF_MEMORY: return "out of memory";
  case SL_DEVICE_ERROR: return "device error";
  case SL_INTERNAL_ERROR: return "internal error";
  }
  return "unknown status";
}

/* ------------------------------------------------------------------------------------------
 * The counter-based generator. Host and plugins must produce bit-identical values, so it is
 * defined here. Element i of a tensor with seed s has the 64 random bits sl_fill_bits(s, i);
 * its value is a signed integer from the top bits, scaled into [-1, 1) for floating types
 * (integer types keep the integer), with as many significant bits as the storage type holds
 * (so inputs are exact, and running a GEMM in a narrower type than asked, e.g. fp32 as bf16
 * or tf32, changes its result and is caught):
 *   fp64: ((bits >> 38) - 2^25) / 2^25   (26 significant bits: products exact in fp64)
 *   fp32, tf32: ((bits >> 44) - 2^19) / 2^19   (20 bits; tf32 is stored as fp32)
 *   fp16: ((bits >> 53) - 2^10) / 2^10   (11 bits)
 *   bf16: ((bits >> 56) - 2^7) / 2^7   (8 bits)
 *   fp8 e4m3 / e5m2: ((bits >> 60) - 8) / 8   (exact in both)
 *   int8, int32: (bits >> 56) - 128; uint8: bits >> 56.
 * ---------------------------------------------------------------------------------------- */

/* Lets CUDA and HIP device code call the generator (one definition for host and device). */
#if defined(__CUDACC__) || defined(__HIPCC__)
#define SL_HOST_DEVICE __host__ __device__
#else
#define SL_HOST_DEVICE
#endif

/** splitmix64 finaliser. */
static inline SL_HOST_DEVICE uint64_t sl_mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBull;
  x ^= x >> 31;
  return x;
}

/** 64 random bits of element i under seed. */
static inline SL_HOST_DEVICE uint64_t sl_fill_bits(uint64_t seed, uint64_t i) {
  return sl_mix64(sl_mix64(seed) + (i + 1) * 0x9E3779B97F4A7C15ull);
}

/** The value of element i under seed for dtype, as a double (exact in that dtype's storage
 *  format; tf32 is stored as fp32). */
static inline SL_HOST_DEVICE double sl_fill_value(uint64_t seed, uint64_t i, sl_dtype dtype) {
  const uint64_t bits = sl_fill_bits(seed, i);
  switch (dtype) {
  case SL_DTYPE_FP64: return (double)((int64_t)(bits >> 38) - (1ll << 25)) / 33554432.0;
  case SL_DTYPE_FP32:
  case SL_DTYPE_TF32: return (double)((int64_t)(bits >> 44) - (1ll << 19)) / 524288.0;
  case SL_DTYPE_FP16: return (double)((int)(bits >> 53) - 1024) / 1024.0;
  case SL_DTYPE_FP8_E4M3:
  case SL_DTYPE_FP8_E5M2: return (double)((int)(bits >> 60) - 8) / 8.0;
  case SL_DTYPE_INT8:
  case SL_DTYPE_INT32: return (double)((int)(bits >> 56) - 128);
  case SL_DTYPE_UINT8: return (double)(bits >> 56);
  default: return (double)((int)(bits >> 56) - 128) / 128.0; /* bf16 */
  }
}

/** Size of one element [bytes]; 0 for SL_DTYPE_INVALID. */
static inline size_t sl_dtype_size(sl_dtype dtype) {
  switch (dtype) {
  case SL_DTYPE_FP64: return 8;
  case SL_DTYPE_FP32:
  case SL_DTYPE_TF32:
  case SL_DTYPE_INT32: return 4;
  case SL_DTYPE_FP16:
  case SL_DTYPE_BF16: return 2;
  case SL_DTYPE_FP8_E4M3:
  case SL_DTYPE_FP8_E5M2:
  case SL_DTYPE_INT8:
  case SL_DTYPE_UINT8: return 1;
  default: return 0;
  }
}

/** The entry symbol every plugin exports. */
SL_EXPORT const sl_backend_api *suanli_backend_entry(void);

#ifdef __cplusplus
}
#endif

#endif /* SUANLI_BACKEND_H */
