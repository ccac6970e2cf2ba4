/* A test backend modelling a vendor collective library with a real restriction, as HCCL has:
 * no `prod` reduction for int8. It wraps the real plugin named by the environment variable
 * SUANLI_WRAPPED_PLUGIN (the CPU plugin in tests): its table is a copy of that plugin's, named
 * "restricted", with collective_check answering SL_UNSUPPORTED (with a reason) for int8 + prod,
 * and collective_run refusing the same combination; everything else goes to the real plugin.
 * When SUANLI_WRAPPED_PLUGIN is unset or cannot be loaded, init fails with the reason.
 *
 * last_error must give the reason of the last non-OK status on a context, so every call that
 * takes a context is forwarded through a wrapper that forgets an earlier refusal on it: the
 * refusal is reported by last_error only until the next call on that context. */
#include <kernels/abi/suanli_backend.h>

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char k_refusal[] = "restricted: prod is not offered for int8 (as in HCCL)";

static sl_backend_api table;          /* what suanli_backend_entry returns */
static const sl_backend_api *wrapped; /* the real plugin's table; NULL when it is not loaded */
static char load_error[1024];         /* why it is not loaded */
static char version[256];             /* "<real version>+restricted" */
static _Thread_local const sl_context *refused; /* context whose last failure is our refusal */

static void forget_refusal(const sl_context *ctx) {
  if (refused == ctx) {
    refused = NULL;
  }
}

static int is_restricted(const sl_collective_desc *d) {
  return d != NULL && d->dtype == SL_DTYPE_INT8 && d->reduce == SL_REDUCE_PROD;
}

/* Lifecycle: init fails with load_error when the real plugin is not loaded. */
static sl_status restricted_init(const sl_init_options *options, sl_context **ctx) {
  if (wrapped == NULL) {
    if (ctx != NULL) {
      *ctx = NULL;
    }
    return SL_DEVICE_ERROR;
  }
  return wrapped->init(options, ctx);
}

static void restricted_finalize(sl_context *ctx) {
  forget_refusal(ctx);
  if (wrapped != NULL) {
    wrapped->finalize(ctx);
  }
}

static const char *restricted_last_error(const sl_context *ctx) {
  if (wrapped == NULL) {
    return load_error;
  }
  if (ctx != NULL && ctx == refused) {
    return k_refusal;
  }
  return wrapped->last_error(ctx);
}

/* The restriction. */
static sl_status restricted_collective_check(sl_context *ctx, const sl_comm *comm,
                                             const sl_collective_desc *desc) {
  if (wrapped == NULL) {
    return SL_INTERNAL_ERROR;
  }
  if (is_restricted(desc)) {
    refused = ctx;
    return SL_UNSUPPORTED;
  }
  forget_refusal(ctx);
  return wrapped->collective_check(ctx, comm, desc);
}

static sl_status restricted_collective_run(sl_context *ctx, sl_comm *comm,
                                           const sl_collective_desc *desc, const void *send,
                                           void *recv, sl_stream *stream) {
  if (wrapped == NULL) {
    return SL_INTERNAL_ERROR;
  }
  if (is_restricted(desc)) {
    refused = ctx;
    return SL_UNSUPPORTED;
  }
  forget_refusal(ctx);
  return wrapped->collective_run(ctx, comm, desc, send, recv, stream);
}

/* Everything else: forwarded unchanged. */
#define FORWARD(fn, params, args)                                                                  \
  static sl_status forward_##fn params {                                                           \
    if (wrapped == NULL) {                                                                         \
      return SL_INTERNAL_ERROR;                                                                    \
    }                                                                                              \
    forget_refusal(ctx);                                                                           \
    return wrapped->fn args;                                                                       \
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
        (sl_context *ctx, int32_t device, sl_dtype dtype, double *flops_per_s, char *source,
         size_t source_size),
        (ctx, device, dtype, flops_per_s, source, source_size))
FORWARD(measure_peak,
        (sl_context *ctx, int32_t device, sl_dtype dtype, double *flops_per_s, char *method,
         size_t method_size),
        (ctx, device, dtype, flops_per_s, method, method_size))
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
/* clang-format on */

/* Point every function the real plugin offers (or, when it is not loaded, every function) at
 * its wrapper; a function the real plugin leaves NULL stays NULL. */
static void install(int all) {
#define INSTALL(fn, wrapper)                                                                       \
  if (all || table.fn != NULL) {                                                                   \
    table.fn = wrapper;                                                                            \
  }
  INSTALL(init, restricted_init)
  INSTALL(finalize, restricted_finalize)
  INSTALL(last_error, restricted_last_error)
  INSTALL(collective_check, restricted_collective_check)
  INSTALL(collective_run, restricted_collective_run)
#define INSTALL_FORWARD(fn) INSTALL(fn, forward_##fn)
  INSTALL_FORWARD(library_versions)
  INSTALL_FORWARD(device_count)
  INSTALL_FORWARD(device_props)
  INSTALL_FORWARD(mem_alloc)
  INSTALL_FORWARD(mem_free)
  INSTALL_FORWARD(memcpy_h2d)
  INSTALL_FORWARD(memcpy_d2h)
  INSTALL_FORWARD(stream_create)
  INSTALL_FORWARD(stream_destroy)
  INSTALL_FORWARD(stream_sync)
  INSTALL_FORWARD(event_create)
  INSTALL_FORWARD(event_destroy)
  INSTALL_FORWARD(event_record)
  INSTALL_FORWARD(event_elapsed_ns)
  INSTALL_FORWARD(fill)
  INSTALL_FORWARD(gemm_plan_create)
  INSTALL_FORWARD(gemm_run)
  INSTALL_FORWARD(gemm_plan_destroy)
  INSTALL_FORWARD(gemm_plan_describe)
  INSTALL_FORWARD(rated_peak)
  INSTALL_FORWARD(measure_peak)
  INSTALL_FORWARD(attention_plan_create)
  INSTALL_FORWARD(attention_forward)
  INSTALL_FORWARD(attention_plan_destroy)
  INSTALL_FORWARD(attention_plan_describe)
  INSTALL_FORWARD(comm_unique_id_size)
  INSTALL_FORWARD(comm_unique_id)
  INSTALL_FORWARD(comm_init)
  INSTALL_FORWARD(comm_destroy)
#undef INSTALL_FORWARD
#undef INSTALL
}

/* Load the real plugin; on failure leave wrapped NULL and say why in load_error. */
static const sl_backend_api *load_wrapped(void) {
  const char *path = getenv("SUANLI_WRAPPED_PLUGIN");
  if (path == NULL || path[0] == '\0') {
    snprintf(load_error, sizeof load_error,
             "SUANLI_WRAPPED_PLUGIN is not set; it must name the backend plugin this one wraps "
             "(e.g. libsuanli-cpu.so)");
    return NULL;
  }
  void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL); /* kept open: the table points into it */
  if (handle == NULL) {
    const char *why = dlerror();
    snprintf(load_error, sizeof load_error, "cannot load SUANLI_WRAPPED_PLUGIN=%s: %s", path,
             why != NULL ? why : "dlopen failed");
    return NULL;
  }
  void *sym = dlsym(handle, SL_ENTRY_SYMBOL);
  sl_entry_fn entry = NULL;
  memcpy(&entry, &sym, sizeof entry); /* object to function pointer, as POSIX allows */
  const sl_backend_api *api = entry != NULL ? entry() : NULL;
  if (api == NULL) {
    snprintf(load_error, sizeof load_error,
             "SUANLI_WRAPPED_PLUGIN=%s is not a suanli backend (no %s table)", path,
             SL_ENTRY_SYMBOL);
  } else if (api == &table) {
    snprintf(load_error, sizeof load_error,
             "SUANLI_WRAPPED_PLUGIN=%s names this restricted plugin itself", path);
    api = NULL;
  } else if (api->abi_major != SL_ABI_MAJOR || api->init == NULL || api->last_error == NULL) {
    snprintf(load_error, sizeof load_error,
             "SUANLI_WRAPPED_PLUGIN=%s speaks backend ABI %u.%u without init/last_error; this "
             "plugin wraps ABI %d.x",
             path, (unsigned)api->abi_major, (unsigned)api->abi_minor, SL_ABI_MAJOR);
    api = NULL;
  }
  return api;
}

/* The table is built at the first call (the host calls this once, from one thread). */
SL_EXPORT const sl_backend_api *suanli_backend_entry(void) {
  static int built = 0;
  if (built) {
    return &table;
  }
  built = 1; /* before loading: a plugin that wraps itself gets this table back, and is refused */
  table.struct_size = sizeof table;
  const sl_backend_api *api = load_wrapped();
  if (api != NULL) {
    memcpy(&table, api, api->struct_size < sizeof table ? api->struct_size : sizeof table);
    snprintf(version, sizeof version, "%s+restricted", api->version != NULL ? api->version : "");
    wrapped = api;
  } else {
    table.abi_minor = SL_ABI_MINOR;
    snprintf(version, sizeof version, "restricted (not loaded)");
  }
  table.struct_size =
      api != NULL && api->struct_size < sizeof table ? api->struct_size : (uint32_t)sizeof table;
  table.abi_major = SL_ABI_MAJOR;
  table.name = "restricted";
  table.version = version;
  install(api == NULL);
  return &table;
}
