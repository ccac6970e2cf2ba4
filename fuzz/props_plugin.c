/* A backend plugin for the device_props fuzz target: its devices' properties are whatever bytes
 * the fuzzer sets through suanli_fuzz_set_props, copied verbatim into the host's struct (a
 * plugin may leave any byte of it, terminators included, as it likes). */
#include <kernels/abi/suanli_backend.h>

#include <stddef.h>
#include <string.h>

enum { max_devices = 4 };

static unsigned char props_bytes[max_devices][sizeof(sl_device_props)];
static int32_t props_count;
static int dummy_context;

/** Sets the devices the plugin reports: `count` structs of sizeof(sl_device_props) bytes each,
 *  taken from `bytes` (zero-padded when `size` is short). */
SL_EXPORT void suanli_fuzz_set_props(int32_t count, const void *bytes, size_t size) {
  props_count = count < 0 ? 0 : (count > max_devices ? max_devices : count);
  memset(props_bytes, 0, sizeof(props_bytes));
  memcpy(props_bytes, bytes, size < sizeof(props_bytes) ? size : sizeof(props_bytes));
}

static sl_status init(const sl_init_options *o, sl_context **c) {
  (void)o;
  *c = (sl_context *)&dummy_context;
  return SL_OK;
}
static void finalize(sl_context *c) {
  (void)c;
}
static const char *last_error(const sl_context *c) {
  (void)c;
  return "fuzz plugin";
}
static sl_status device_count(sl_context *c, int32_t *count) {
  (void)c;
  *count = props_count;
  return SL_OK;
}
static sl_status device_props(sl_context *c, int32_t device, sl_device_props *props) {
  (void)c;
  if (device < 0 || device >= props_count) {
    return SL_INVALID_ARGUMENT;
  }
  memcpy(props, props_bytes[device], sizeof(*props));
  return SL_OK;
}
/* Never called by the target; present because the loader requires them. */
static sl_status mem_alloc(sl_context *c, int32_t d, uint64_t n, void **p) {
  (void)c, (void)d, (void)n, (void)p;
  return SL_UNSUPPORTED;
}
static sl_status mem_free(sl_context *c, int32_t d, void *p) {
  (void)c, (void)d, (void)p;
  return SL_UNSUPPORTED;
}
static sl_status copy(sl_context *c, int32_t d, void *dst, const void *src, uint64_t n) {
  (void)c, (void)d, (void)dst, (void)src, (void)n;
  return SL_UNSUPPORTED;
}
static sl_status stream_create(sl_context *c, int32_t d, sl_stream **s) {
  (void)c, (void)d, (void)s;
  return SL_UNSUPPORTED;
}
static sl_status stream_op(sl_context *c, sl_stream *s) {
  (void)c, (void)s;
  return SL_UNSUPPORTED;
}
static sl_status fill(sl_context *c, sl_stream *s, void *dst, sl_dtype t, uint64_t n, uint64_t seed,
                      sl_fill_kind k) {
  (void)c, (void)s, (void)dst, (void)t, (void)n, (void)seed, (void)k;
  return SL_UNSUPPORTED;
}

static sl_backend_api table;

SL_EXPORT const sl_backend_api *suanli_backend_entry(void) {
  table.struct_size = sizeof(table);
  table.abi_major = SL_ABI_MAJOR;
  table.abi_minor = SL_ABI_MINOR;
  table.name = "fuzz-props";
  table.version = "0";
  table.init = init;
  table.finalize = finalize;
  table.last_error = last_error;
  table.device_count = device_count;
  table.device_props = device_props;
  table.mem_alloc = mem_alloc;
  table.mem_free = mem_free;
  table.memcpy_h2d = copy;
  table.memcpy_d2h = copy;
  table.stream_create = stream_create;
  table.stream_destroy = stream_op;
  table.stream_sync = stream_op;
  table.fill = fill;
  return &table;
}
