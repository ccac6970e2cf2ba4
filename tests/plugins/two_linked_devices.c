/* A plugin with two devices joined by a simulated fabric, for the link matrix of `suanli
 * devices` and the report (ABI 1.4). It forwards the CPU plugin's table (SUANLI_CPU_PLUGIN) and
 * changes only what the inventory reads: device_count is 2, device 1 is the CPU again under
 * another UUID, and device_link answers SELF on the diagonal and "NV2" (SCALE_UP, 2 links,
 * 50 GB/s per direction) between 0 and 1. Only the inventory may use device 1: any other call
 * on it is refused by the CPU plugin. */
#include <kernels/abi/suanli_backend.h>

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

static sl_backend_api table;
static const sl_backend_api *real;
static _Thread_local char own_error[256]; /* reason of this layer's last refusal, "" if none */

static sl_status refuse(sl_status status, const char *reason) {
  snprintf(own_error, sizeof own_error, "%s", reason);
  return status;
}

static const char *two_last_error(const sl_context *ctx) {
  return own_error[0] != '\0' ? own_error : real->last_error(ctx);
}

static sl_status two_device_count(sl_context *ctx, int32_t *count) {
  own_error[0] = '\0';
  const sl_status s = real->device_count(ctx, count);
  if (s == SL_OK) {
    *count = 2;
  }
  return s;
}

static sl_status two_device_props(sl_context *ctx, int32_t device, sl_device_props *props) {
  own_error[0] = '\0';
  if (device != 0 && device != 1) {
    return refuse(SL_INVALID_ARGUMENT, "device_props: device does not exist (two devices)");
  }
  const sl_status s = real->device_props(ctx, 0, props);
  if (s == SL_OK && device == 1 && props->struct_size >= offsetof(sl_device_props, serial)) {
    snprintf(props->uuid, sizeof props->uuid, "%s", "TWO-LINKED-DEVICE-1");
  }
  return s;
}

static sl_status two_device_link(sl_context *ctx, int32_t a, int32_t b, sl_device_link *out) {
  own_error[0] = '\0';
  if (ctx == NULL || out == NULL || out->struct_size < sizeof *out) {
    return refuse(SL_INVALID_ARGUMENT, "device_link: NULL context or out, or a short struct");
  }
  if (a < 0 || a > 1 || b < 0 || b > 1) {
    return refuse(SL_INVALID_ARGUMENT, "device_link: device does not exist (two devices)");
  }
  memset(out, 0, sizeof *out);
  out->struct_size = (uint32_t)sizeof *out;
  if (a == b) {
    out->kind = SL_LINK_SELF;
    snprintf(out->name, sizeof out->name, "%s", "X");
  } else {
    out->kind = SL_LINK_SCALE_UP;
    out->links = 2;
    out->bandwidth_gb_s = 50.0;
    snprintf(out->name, sizeof out->name, "%s", "NV2");
  }
  return SL_OK;
}

SL_EXPORT const sl_backend_api *suanli_backend_entry(void) {
  if (real != NULL) {
    return &table;
  }
  void *lib = dlopen(SUANLI_CPU_PLUGIN, RTLD_NOW | RTLD_LOCAL);
  void *sym = lib != NULL ? dlsym(lib, SL_ENTRY_SYMBOL) : NULL;
  sl_entry_fn entry = NULL;
  memcpy(&entry, &sym, sizeof entry);
  real = entry != NULL ? entry() : NULL;
  if (real == NULL || real->struct_size != sizeof table) {
    real = NULL;
    return NULL;
  }
  memcpy(&table, real, sizeof table);
  table.name = "twolinked";
  table.last_error = two_last_error;
  table.device_count = two_device_count;
  table.device_props = two_device_props;
  table.device_link = two_device_link;
  return &table;
}
