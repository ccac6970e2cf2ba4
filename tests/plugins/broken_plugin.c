/* A deliberately broken backend for the tests of `suanli plugin check`. It wraps the real CPU
 * plugin (its path is the compile definition SUANLI_CPU_PLUGIN) and forwards its table, with one
 * mutation chosen by the environment variable SUANLI_BROKEN when the table is built:
 *   wrong_gemm   after every successful gemm_run, element (m/2, n/2) of batch entry 0 of C has
 *                bit 6 of its most significant byte flipped (a wrong result);
 *   no_reason    attention_plan_create answers SL_UNSUPPORTED and last_error then gives "";
 *   crash        fill dereferences NULL (SIGSEGV);
 *   hang         stream_sync never returns;
 *   version_lie  the table claims ABI 1.2 but its struct_size is that of the ABI 1.0 table;
 *   link_index   device_link answers SL_OK for device indices that do not exist.
 * Unset or empty: a faithful forwarder. Any other value makes init fail with the reason.
 *
 * last_error must give the reason of the last non-OK status on a context, so every call that
 * takes a context goes through a wrapper that forgets an earlier "no reason" refusal on it. */
#include <kernels/abi/suanli_backend.h>

#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef SUANLI_CPU_PLUGIN
#error "SUANLI_CPU_PLUGIN must name the real CPU plugin to wrap"
#endif

enum mutation { NONE, WRONG_GEMM, NO_REASON, CRASH, HANG, VERSION_LIE, LINK_INDEX, UNKNOWN };

static sl_backend_api table;       /* what suanli_backend_entry returns */
static const sl_backend_api *real; /* the CPU plugin's table; NULL when it is not loaded */
static enum mutation mutation;
static char load_error[1024]; /* why real is NULL, or why the mutation is unknown */
static char version[256];     /* "<real version>+broken(<mutation>)" */
static _Thread_local const sl_context *refused; /* context whose last answer has no reason */

static void forget_refusal(const sl_context *ctx) {
  if (refused == ctx) {
    refused = NULL;
  }
}

/* Lifecycle and errors. */
static sl_status broken_init(const sl_init_options *options, sl_context **ctx) {
  if (real == NULL || mutation == UNKNOWN) {
    if (ctx != NULL) {
      *ctx = NULL;
    }
    return SL_DEVICE_ERROR;
  }
  return real->init(options, ctx);
}

static void broken_finalize(sl_context *ctx) {
  forget_refusal(ctx);
  if (real != NULL) {
    real->finalize(ctx);
  }
}

static const char *broken_last_error(const sl_context *ctx) {
  if (real == NULL || (ctx == NULL && mutation == UNKNOWN)) {
    return load_error;
  }
  if (ctx != NULL && ctx == refused) {
    return ""; /* no_reason: unsupported without a reason */
  }
  return real->last_error(ctx);
}

/* link_index: every pair is answered, existing or not (self for a == b). */
static sl_status broken_device_link(sl_context *ctx, int32_t a, int32_t b, sl_device_link *out) {
  forget_refusal(ctx);
  if (out == NULL || out->struct_size < sizeof *out) {
    return real->device_link(ctx, a, b, out);
  }
  memset(out, 0, sizeof *out);
  out->struct_size = (uint32_t)sizeof *out;
  out->kind = a == b ? SL_LINK_SELF : SL_LINK_UNKNOWN;
  snprintf(out->name, sizeof out->name, "%s", a == b ? "X" : "");
  return SL_OK;
}

/* wrong_gemm: the plans and their descriptors, to find element (m/2, n/2) of C. */
typedef struct plan_record {
  const sl_gemm_plan *plan;
  int32_t device;
  sl_gemm_desc desc;
} plan_record;
static plan_record plans[256];

static sl_status broken_gemm_plan_create(sl_context *ctx, int32_t device, const sl_gemm_desc *desc,
                                         sl_gemm_plan **plan, uint64_t *workspace_bytes) {
  forget_refusal(ctx);
  const sl_status s = real->gemm_plan_create(ctx, device, desc, plan, workspace_bytes);
  if (s == SL_OK && mutation == WRONG_GEMM && plan != NULL && *plan != NULL) {
    for (size_t i = 0; i < sizeof plans / sizeof plans[0]; ++i) {
      if (plans[i].plan == NULL) {
        plans[i].plan = *plan;
        plans[i].device = device;
        plans[i].desc = *desc;
        break;
      }
    }
  }
  return s;
}

static sl_status broken_gemm_plan_destroy(sl_context *ctx, sl_gemm_plan *plan) {
  forget_refusal(ctx);
  for (size_t i = 0; i < sizeof plans / sizeof plans[0]; ++i) {
    if (plans[i].plan == plan) {
      plans[i].plan = NULL;
    }
  }
  return real->gemm_plan_destroy(ctx, plan);
}

static sl_status broken_gemm_run(sl_context *ctx, sl_gemm_plan *plan, sl_stream *stream,
                                 const void *a, const void *b, void *c, void *workspace) {
  forget_refusal(ctx);
  sl_status s = real->gemm_run(ctx, plan, stream, a, b, c, workspace);
  const plan_record *rec = NULL;
  for (size_t i = 0; i < sizeof plans / sizeof plans[0] && s == SL_OK; ++i) {
    if (plans[i].plan == plan) {
      rec = &plans[i];
    }
  }
  if (rec == NULL || (s = real->stream_sync(ctx, stream)) != SL_OK) {
    return s;
  }
  const size_t size = sl_dtype_size(rec->desc.c_type);
  unsigned char element[8];
  unsigned char *at =
      (unsigned char *)c + (size_t)((rec->desc.m / 2) * rec->desc.ldc + rec->desc.n / 2) * size;
  if (size == 0 || size > sizeof element ||
      (s = real->memcpy_d2h(ctx, rec->device, element, at, size)) != SL_OK) {
    return s;
  }
  element[size - 1] ^= 0x40; /* an exponent bit of a float, bit 30/14/6 of an integer */
  return real->memcpy_h2d(ctx, rec->device, at, element, size);
}

/* no_reason */
static sl_status broken_attention_plan_create(sl_context *ctx, int32_t device,
                                              const sl_attention_desc *desc,
                                              sl_attention_plan **plan, uint64_t *workspace) {
  (void)device;
  (void)desc;
  (void)workspace;
  if (plan != NULL) {
    *plan = NULL;
  }
  refused = ctx;
  return SL_UNSUPPORTED;
}

/* crash */
/* The crash must be a real SIGSEGV, also in the sanitizer build (tools/sanitize_test.sh), where
 * UBSan would otherwise stop at the NULL store first. */
__attribute__((no_sanitize("undefined"))) static sl_status
broken_fill(sl_context *ctx, sl_stream *stream, void *dst, sl_dtype dtype, uint64_t count,
            uint64_t seed, sl_fill_kind kind) {
  (void)ctx;
  (void)stream;
  (void)dst;
  (void)dtype;
  (void)count;
  (void)seed;
  (void)kind;
  volatile int *volatile nowhere = NULL; /* volatile: neither known NULL nor a dead store */
  *nowhere = 1;
  return SL_OK;
}

/* hang */
static sl_status broken_stream_sync(sl_context *ctx, sl_stream *stream) {
  (void)ctx;
  (void)stream;
  static volatile int forever = 1; /* volatile: the loop cannot be proved to end */
  while (forever) {
    pause();
  }
  return SL_INTERNAL_ERROR;
}

/* Everything else: forwarded unchanged (after forgetting a refusal on the context). */
#define FORWARD(fn, params, args)                                                                  \
  static sl_status forward_##fn params {                                                           \
    if (real == NULL) {                                                                            \
      return SL_INTERNAL_ERROR;                                                                    \
    }                                                                                              \
    forget_refusal(ctx);                                                                           \
    return real->fn args;                                                                          \
  }

/* (clang-format would read `sl_context *ctx` in a macro argument as a product) */
/* clang-format off */
FORWARD(library_versions, (sl_context *ctx, char *buf, size_t size), (ctx, buf, size))
FORWARD(device_count, (sl_context *ctx, int32_t *count), (ctx, count))
FORWARD(device_props, (sl_context *ctx, int32_t device, sl_device_props *props),
        (ctx, device, props))
FORWARD(mem_alloc, (sl_context *ctx, int32_t device, uint64_t bytes, void **ptr),
        (ctx, device, bytes, ptr))
FORWARD(mem_free, (sl_context *ctx, int32_t device, void *ptr), (ctx, device, ptr))
FORWARD(memcpy_h2d, (sl_context *ctx, int32_t device, void *dst, const void *src, uint64_t bytes),
        (ctx, device, dst, src, bytes))
FORWARD(memcpy_d2h, (sl_context *ctx, int32_t device, void *dst, const void *src, uint64_t bytes),
        (ctx, device, dst, src, bytes))
FORWARD(stream_create, (sl_context *ctx, int32_t device, sl_stream **stream),
        (ctx, device, stream))
FORWARD(stream_destroy, (sl_context *ctx, sl_stream *stream), (ctx, stream))
FORWARD(stream_sync, (sl_context *ctx, sl_stream *stream), (ctx, stream))
FORWARD(event_create, (sl_context *ctx, int32_t device, sl_event **event), (ctx, device, event))
FORWARD(event_destroy, (sl_context *ctx, sl_event *event), (ctx, event))
FORWARD(event_record, (sl_context *ctx, sl_event *event, sl_stream *stream), (ctx, event, stream))
FORWARD(event_elapsed_ns,
        (sl_context *ctx, const sl_event *start, const sl_event *end, uint64_t *elapsed_ns),
        (ctx, start, end, elapsed_ns))
FORWARD(fill,
        (sl_context *ctx, sl_stream *stream, void *dst, sl_dtype dtype, uint64_t count,
         uint64_t seed, sl_fill_kind kind),
        (ctx, stream, dst, dtype, count, seed, kind))
FORWARD(gemm_plan_create,
        (sl_context *ctx, int32_t device, const sl_gemm_desc *desc, sl_gemm_plan **plan,
         uint64_t *workspace_bytes),
        (ctx, device, desc, plan, workspace_bytes))
FORWARD(gemm_run,
        (sl_context *ctx, sl_gemm_plan *plan, sl_stream *stream, const void *a, const void *b,
         void *c, void *workspace),
        (ctx, plan, stream, a, b, c, workspace))
FORWARD(gemm_plan_destroy, (sl_context *ctx, sl_gemm_plan *plan), (ctx, plan))
FORWARD(gemm_plan_describe, (sl_context *ctx, const sl_gemm_plan *plan, char *buf, size_t size),
        (ctx, plan, buf, size))
FORWARD(rated_peak,
        (sl_context *ctx, int32_t device, sl_dtype dtype, double *flops, char *source,
         size_t size),
        (ctx, device, dtype, flops, source, size))
FORWARD(measure_peak,
        (sl_context *ctx, int32_t device, sl_dtype dtype, double *flops, char *method,
         size_t size),
        (ctx, device, dtype, flops, method, size))
FORWARD(attention_plan_create,
        (sl_context *ctx, int32_t device, const sl_attention_desc *desc, sl_attention_plan **plan,
         uint64_t *workspace_bytes),
        (ctx, device, desc, plan, workspace_bytes))
FORWARD(attention_forward,
        (sl_context *ctx, sl_attention_plan *plan, sl_stream *stream, const void *q, const void *k,
         const void *v, void *o, float *lse, void *workspace),
        (ctx, plan, stream, q, k, v, o, lse, workspace))
FORWARD(attention_plan_destroy, (sl_context *ctx, sl_attention_plan *plan), (ctx, plan))
FORWARD(attention_plan_describe,
        (sl_context *ctx, const sl_attention_plan *plan, char *buf, size_t size),
        (ctx, plan, buf, size))
FORWARD(comm_unique_id_size, (sl_context *ctx, uint64_t *bytes), (ctx, bytes))
FORWARD(comm_unique_id, (sl_context *ctx, void *id, uint64_t bytes), (ctx, id, bytes))
FORWARD(comm_init,
        (sl_context *ctx, int32_t device, int32_t rank, int32_t nranks, const void *id,
         uint64_t bytes, sl_comm **comm),
        (ctx, device, rank, nranks, id, bytes, comm))
FORWARD(comm_destroy, (sl_context *ctx, sl_comm *comm), (ctx, comm))
FORWARD(collective_check, (sl_context *ctx, const sl_comm *comm, const sl_collective_desc *desc),
        (ctx, comm, desc))
FORWARD(collective_run,
        (sl_context *ctx, sl_comm *comm, const sl_collective_desc *desc, const void *send,
         void *recv, sl_stream *stream),
        (ctx, comm, desc, send, recv, stream))
/* clang-format on */

/* Point every function the real plugin offers (or, when it is not loaded, every function) at
 * its wrapper; a function the real plugin leaves NULL stays NULL, and the rest of the table (e.g.
 * a telemetry entry of a later minor) is the real plugin's own. */
static void install(int all) {
#define INSTALL(fn, wrapper)                                                                       \
  if (all || table.fn != NULL) {                                                                   \
    table.fn = wrapper;                                                                            \
  }
#define INSTALL_FORWARD(fn) INSTALL(fn, forward_##fn)
  INSTALL(init, broken_init)
  INSTALL(finalize, broken_finalize)
  INSTALL(last_error, broken_last_error)
  INSTALL_FORWARD(library_versions)
  INSTALL_FORWARD(device_count)
  INSTALL_FORWARD(device_props)
  INSTALL_FORWARD(mem_alloc)
  INSTALL_FORWARD(mem_free)
  INSTALL_FORWARD(memcpy_h2d)
  INSTALL_FORWARD(memcpy_d2h)
  INSTALL_FORWARD(stream_create)
  INSTALL_FORWARD(stream_destroy)
  INSTALL(stream_sync, mutation == HANG ? broken_stream_sync : forward_stream_sync)
  INSTALL_FORWARD(event_create)
  INSTALL_FORWARD(event_destroy)
  INSTALL_FORWARD(event_record)
  INSTALL_FORWARD(event_elapsed_ns)
  INSTALL(fill, mutation == CRASH ? broken_fill : forward_fill)
  INSTALL(gemm_plan_create,
          mutation == WRONG_GEMM ? broken_gemm_plan_create : forward_gemm_plan_create)
  INSTALL(gemm_run, mutation == WRONG_GEMM ? broken_gemm_run : forward_gemm_run)
  INSTALL(gemm_plan_destroy,
          mutation == WRONG_GEMM ? broken_gemm_plan_destroy : forward_gemm_plan_destroy)
  INSTALL_FORWARD(gemm_plan_describe)
  INSTALL_FORWARD(rated_peak)
  INSTALL_FORWARD(measure_peak)
  INSTALL(attention_plan_create,
          mutation == NO_REASON ? broken_attention_plan_create : forward_attention_plan_create)
  INSTALL_FORWARD(attention_forward)
  INSTALL_FORWARD(attention_plan_destroy)
  INSTALL_FORWARD(attention_plan_describe)
  INSTALL_FORWARD(comm_unique_id_size)
  INSTALL_FORWARD(comm_unique_id)
  INSTALL_FORWARD(comm_init)
  INSTALL_FORWARD(comm_destroy)
  INSTALL_FORWARD(collective_check)
  INSTALL_FORWARD(collective_run)
  if (mutation == LINK_INDEX && table.device_link != NULL) {
    table.device_link = broken_device_link;
  }
#undef INSTALL_FORWARD
#undef INSTALL
}

static enum mutation parse_mutation(const char *text) {
  static const struct {
    const char *name;
    enum mutation m;
  } names[] = {
      {"wrong_gemm", WRONG_GEMM},   {"no_reason", NO_REASON},  {"crash", CRASH}, {"hang", HANG},
      {"version_lie", VERSION_LIE}, {"link_index", LINK_INDEX}};
  if (text == NULL || text[0] == '\0') {
    return NONE;
  }
  for (size_t i = 0; i < sizeof names / sizeof names[0]; ++i) {
    if (strcmp(text, names[i].name) == 0) {
      return names[i].m;
    }
  }
  return UNKNOWN;
}

/* Load the real plugin; on failure leave real NULL and say why in load_error. */
static const sl_backend_api *load_real(void) {
  void *handle = dlopen(SUANLI_CPU_PLUGIN, RTLD_NOW | RTLD_LOCAL); /* kept: the table is in it */
  if (handle == NULL) {
    const char *why = dlerror();
    snprintf(load_error, sizeof load_error, "broken: cannot load %s: %s", SUANLI_CPU_PLUGIN,
             why != NULL ? why : "dlopen failed");
    return NULL;
  }
  void *sym = dlsym(handle, SL_ENTRY_SYMBOL);
  sl_entry_fn entry = NULL;
  memcpy(&entry, &sym, sizeof entry); /* object to function pointer, as POSIX allows */
  const sl_backend_api *api = entry != NULL ? entry() : NULL;
  if (api == NULL || api->abi_major != SL_ABI_MAJOR || api->struct_size > sizeof table) {
    snprintf(load_error, sizeof load_error, "broken: %s is not a backend of ABI %d.x",
             SUANLI_CPU_PLUGIN, SL_ABI_MAJOR);
    return NULL;
  }
  return api;
}

SL_EXPORT const sl_backend_api *suanli_backend_entry(void) {
  static int built = 0;
  if (built) {
    return &table;
  }
  built = 1;
  const char *chosen = getenv("SUANLI_BROKEN");
  mutation = parse_mutation(chosen);
  real = load_real();
  if (real != NULL) {
    memcpy(&table, real, real->struct_size);
  } else {
    table.struct_size = sizeof table;
    table.abi_major = SL_ABI_MAJOR;
    table.abi_minor = SL_ABI_MINOR;
  }
  if (mutation == UNKNOWN) {
    snprintf(load_error, sizeof load_error,
             "SUANLI_BROKEN=%s is not a mutation (wrong_gemm, no_reason, crash, hang, "
             "version_lie, link_index, or empty for none)",
             chosen);
  }
  snprintf(version, sizeof version, "%s+broken(%s)",
           real != NULL && real->version != NULL ? real->version : "unloaded",
           chosen != NULL && chosen[0] != '\0' ? chosen : "none");
  table.name = "broken";
  table.version = version;
  install(real == NULL);
  if (mutation == VERSION_LIE) {
    table.abi_minor = 2;
    table.struct_size = (uint32_t)(offsetof(sl_backend_api, measure_peak) + sizeof(void *));
  }
  return &table;
}
