/* A fault-injecting backend for the fault-injection tests of `suanli run` (docs/faults.md). It
 * wraps the real CPU plugin (compile definition SUANLI_CPU_PLUGIN) and forwards its table under
 * the name "fault", with one fault chosen by the environment when the table is built:
 *
 *   SUANLI_FAULT=<call>:<kind>[@<n>]   the fault fires at the n-th call of <call> (1-based,
 *                                      default 1) and at every later one
 *   SUANLI_FAULT_MARK=<file>           created when the fault first fires (tests wait on it)
 *
 *   init:fail                  init fails (SL_DEVICE_ERROR) with a reason
 *   mem_alloc:fail             mem_alloc answers SL_OUT_OF_MEMORY with a reason
 *   event_elapsed_ns:fail      the device timer fails (SL_DEVICE_ERROR)
 *   event_elapsed_ns:zero      the device timer answers 0 ns
 *   gemm_run:fail              gemm_run answers SL_DEVICE_ERROR
 *   gemm_run:hang              gemm_run never returns
 *   gemm_run:slow              gemm_run sleeps 100 ms, then runs
 *   gemm_run:crash             gemm_run writes through NULL (SIGSEGV)
 *   gemm_run:abort             gemm_run calls abort() (SIGABRT)
 *   gemm_run:wrong             gemm_run returns SL_OK without computing (C keeps stale data)
 *   measure_peak:hang          the peak microkernel never returns
 *   device_props:unterminated  model[] is filled to its end with no NUL
 *   name:long                  the table's name is 64 KiB long
 *   version:long               the table's version string is 64 KiB long
 *   last_error:unterminated    mem_alloc fails and last_error gives 64 KiB with no NUL,
 *                              line breaks included
 *   gemm_plan_describe:unterminated  the description fills the host's buffer with no NUL
 *
 * Unset or empty: a faithful forwarder. Anything else makes init fail, naming the faults. */
#include <kernels/abi/suanli_backend.h>

#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef SUANLI_CPU_PLUGIN
#error "SUANLI_CPU_PLUGIN must name the real CPU plugin to wrap"
#endif

enum kind { K_NONE, K_FAIL, K_ZERO, K_HANG, K_SLOW, K_CRASH, K_ABORT, K_WRONG, K_UNTERM, K_LONG };

static const struct {
  const char *spec; /* "<call>:<kind>" */
  const char *call;
  enum kind kind;
} faults[] = {
    {"init:fail", "init", K_FAIL},
    {"mem_alloc:fail", "mem_alloc", K_FAIL},
    {"event_elapsed_ns:fail", "event_elapsed_ns", K_FAIL},
    {"event_elapsed_ns:zero", "event_elapsed_ns", K_ZERO},
    {"gemm_run:fail", "gemm_run", K_FAIL},
    {"gemm_run:hang", "gemm_run", K_HANG},
    {"gemm_run:slow", "gemm_run", K_SLOW},
    {"gemm_run:crash", "gemm_run", K_CRASH},
    {"gemm_run:abort", "gemm_run", K_ABORT},
    {"gemm_run:wrong", "gemm_run", K_WRONG},
    {"measure_peak:hang", "measure_peak", K_HANG},
    {"device_props:unterminated", "device_props", K_UNTERM},
    {"name:long", "name", K_LONG},
    {"version:long", "version", K_LONG},
    {"last_error:unterminated", "mem_alloc", K_UNTERM},
    {"gemm_plan_describe:unterminated", "gemm_plan_describe", K_UNTERM},
};

static sl_backend_api table;       /* what suanli_backend_entry returns */
static const sl_backend_api *real; /* the CPU plugin's table; NULL when it is not loaded */
static const char *fault_call = "";
static enum kind fault_kind = K_NONE;
static long fault_from = 1;     /* the call count at which the fault starts firing */
static int unknown_fault;       /* SUANLI_FAULT names no fault */
static char load_error[1024];   /* why init refuses */
static char own_error[256];     /* reason of this layer's last failure; "" when none */
static char huge[65536];        /* 64 KiB of text, NUL only where the fault wants one */
static int reason_unterminated; /* last_error answers `huge` */

/* Counts a call of `call` and answers whether the fault fires now (creating the mark file the
 * first time). */
static int fires(const char *call) {
  static long count;
  static int marked;
  if (fault_kind == K_NONE || strcmp(call, fault_call) != 0 || ++count < fault_from) {
    return 0;
  }
  const char *mark = getenv("SUANLI_FAULT_MARK");
  if (!marked && mark != NULL && mark[0] != '\0') {
    const int fd = open(mark, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      close(fd);
    }
    marked = 1;
  }
  return 1;
}

/* Never returns. */
static void hang(void) {
  static volatile int forever = 1; /* volatile: the loop cannot be proved to end */
  while (forever) {
    pause();
  }
}

static sl_status refuse(sl_status status, const char *reason) {
  snprintf(own_error, sizeof own_error, "%s", reason);
  return status;
}

static const char *fault_last_error(const sl_context *ctx) {
  if (real == NULL || (ctx == NULL && load_error[0] != '\0')) {
    return load_error;
  }
  if (reason_unterminated) {
    return huge;
  }
  return own_error[0] != '\0' ? own_error : real->last_error(ctx);
}

static sl_status fault_init(const sl_init_options *options, sl_context **ctx) {
  if (real == NULL || unknown_fault || fires("init")) {
    if (real != NULL && !unknown_fault) {
      snprintf(load_error, sizeof load_error, "%s", "injected fault init:fail: the device is gone");
    }
    if (ctx != NULL) {
      *ctx = NULL;
    }
    return SL_DEVICE_ERROR;
  }
  return real->init(options, ctx);
}

static sl_status fault_device_props(sl_context *ctx, int32_t device, sl_device_props *props) {
  const sl_status s = real->device_props(ctx, device, props);
  if (s == SL_OK && fires("device_props") && props->struct_size >= sizeof *props) {
    memset(props->model, 'M', sizeof props->model); /* no NUL anywhere in model[] */
  }
  return s;
}

static sl_status fault_mem_alloc(sl_context *ctx, int32_t device, uint64_t bytes, void **ptr) {
  if (fires("mem_alloc")) {
    if (fault_kind == K_UNTERM) {
      reason_unterminated = 1;
      return SL_OUT_OF_MEMORY;
    }
    char why[128];
    snprintf(why, sizeof why, "injected fault mem_alloc:fail: %llu bytes refused",
             (unsigned long long)bytes);
    return refuse(SL_OUT_OF_MEMORY, why);
  }
  return real->mem_alloc(ctx, device, bytes, ptr);
}

static sl_status fault_event_elapsed_ns(sl_context *ctx, const sl_event *start, const sl_event *end,
                                        uint64_t *elapsed_ns) {
  const sl_status s = real->event_elapsed_ns(ctx, start, end, elapsed_ns);
  if (s != SL_OK || !fires("event_elapsed_ns")) {
    return s;
  }
  if (fault_kind == K_ZERO) {
    *elapsed_ns = 0;
    return SL_OK;
  }
  return refuse(SL_DEVICE_ERROR, "injected fault event_elapsed_ns:fail: the device timer failed");
}

/* Writes through NULL: a real SIGSEGV, also in the sanitizer build (tools/sanitize_test.sh),
 * where UBSan would otherwise stop at the NULL store first. */
__attribute__((no_sanitize("undefined"), noinline)) static void crash_through_null(void) {
  volatile int *volatile nowhere = NULL; /* volatile: neither known NULL nor a dead store */
  *nowhere = 1;
}
static sl_status fault_gemm_run(sl_context *ctx, sl_gemm_plan *plan, sl_stream *stream,
                                const void *a, const void *b, void *c, void *workspace) {
  if (fires("gemm_run")) {
    switch (fault_kind) {
    case K_FAIL: return refuse(SL_DEVICE_ERROR, "injected fault gemm_run:fail: the kernel failed");
    case K_HANG: hang(); return SL_INTERNAL_ERROR;
    case K_SLOW: {
      const struct timespec pause_100ms = {0, 100 * 1000 * 1000};
      nanosleep(&pause_100ms, NULL);
      break;
    }
    case K_CRASH: crash_through_null(); return SL_INTERNAL_ERROR;
    case K_ABORT: abort();
    case K_WRONG: return SL_OK; /* the work is skipped: C keeps what the host put there */
    default: break;
    }
  }
  return real->gemm_run(ctx, plan, stream, a, b, c, workspace);
}

static sl_status fault_measure_peak(sl_context *ctx, int32_t device, sl_dtype dtype,
                                    double *flops_per_s, char *method, size_t method_size) {
  if (fires("measure_peak")) {
    hang();
  }
  return real->measure_peak(ctx, device, dtype, flops_per_s, method, method_size);
}

static sl_status fault_gemm_plan_describe(sl_context *ctx, const sl_gemm_plan *plan, char *buf,
                                          size_t buf_size) {
  const sl_status s = real->gemm_plan_describe(ctx, plan, buf, buf_size);
  if (s == SL_OK && buf != NULL && buf_size > 0 && fires("gemm_plan_describe")) {
    memset(buf, 'D', buf_size); /* to the last byte, no NUL */
  }
  return s;
}

/* Parse SUANLI_FAULT; on an unknown value say which faults exist. */
static void choose_fault(const char *text) {
  if (text == NULL || text[0] == '\0') {
    return;
  }
  char spec[128];
  snprintf(spec, sizeof spec, "%s", text);
  char *at = strchr(spec, '@');
  if (at != NULL) {
    *at = '\0';
    char *end = NULL;
    fault_from = strtol(at + 1, &end, 10);
    unknown_fault = end == at + 1 || *end != '\0' || fault_from < 1;
  }
  for (size_t i = 0; i < sizeof faults / sizeof faults[0] && !unknown_fault; ++i) {
    if (strcmp(spec, faults[i].spec) == 0) {
      fault_call = faults[i].call;
      fault_kind = faults[i].kind;
      return;
    }
  }
  unknown_fault = 1;
  int at_char = snprintf(load_error, sizeof load_error,
                         "SUANLI_FAULT=%s is not <call>:<kind>[@n]; faults:", text);
  for (size_t i = 0; i < sizeof faults / sizeof faults[0] && at_char > 0; ++i) {
    const size_t used = (size_t)at_char < sizeof load_error ? (size_t)at_char : sizeof load_error;
    at_char += snprintf(load_error + used, sizeof load_error - used, " %s", faults[i].spec);
  }
}

static const sl_backend_api *load_real(void) {
  void *handle = dlopen(SUANLI_CPU_PLUGIN, RTLD_NOW | RTLD_LOCAL); /* kept: the table is in it */
  void *sym = handle != NULL ? dlsym(handle, SL_ENTRY_SYMBOL) : NULL;
  sl_entry_fn entry = NULL;
  memcpy(&entry, &sym, sizeof entry); /* object to function pointer, as POSIX allows */
  const sl_backend_api *api = entry != NULL ? entry() : NULL;
  if (api == NULL || api->abi_major != SL_ABI_MAJOR || api->struct_size > sizeof table) {
    snprintf(load_error, sizeof load_error, "fault: cannot load the CPU plugin %s",
             SUANLI_CPU_PLUGIN);
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
  real = load_real();
  if (real != NULL) {
    memcpy(&table, real, real->struct_size);
  } else {
    table.struct_size = sizeof table;
    table.abi_major = SL_ABI_MAJOR;
    table.abi_minor = SL_ABI_MINOR;
  }
  choose_fault(getenv("SUANLI_FAULT"));
  table.name = "fault";
  table.init = fault_init;
  table.last_error = fault_last_error;
  if (real == NULL) {
    return &table;
  }
  table.device_props = fault_device_props;
  table.mem_alloc = fault_mem_alloc;
  table.event_elapsed_ns = real->event_elapsed_ns != NULL ? fault_event_elapsed_ns : NULL;
  table.gemm_run = real->gemm_run != NULL ? fault_gemm_run : NULL;
  table.gemm_plan_describe = real->gemm_plan_describe != NULL ? fault_gemm_plan_describe : NULL;
  table.measure_peak = real->measure_peak != NULL ? fault_measure_peak : NULL;
  if (fault_kind == K_LONG || fault_kind == K_UNTERM) {
    memset(huge, 'X', sizeof huge);
    for (size_t i = 80; i < sizeof huge; i += 81) {
      huge[i] = '\n'; /* a reason that would break the one-line rule if shown as is */
    }
    if (fault_kind == K_LONG) {
      huge[sizeof huge - 1] = '\0'; /* long, but terminated */
      if (strcmp(fault_call, "name") == 0) {
        table.name = huge;
      } else if (strcmp(fault_call, "version") == 0) {
        table.version = huge;
      }
    }
  }
  return &table;
}
