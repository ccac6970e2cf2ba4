/* A plugin whose table lacks a mandatory function (memcpy_d2h): refused at load, never called. */
#include <kernels/abi/suanli_backend.h>

static sl_status init(const sl_init_options *o, sl_context **c) {
  (void)o;
  *c = (sl_context *)0;
  return SL_INTERNAL_ERROR;
}
static void finalize(sl_context *c) {
  (void)c;
}
static const char *last_error(const sl_context *c) {
  (void)c;
  return "never initialised";
}

static sl_backend_api table;

SL_EXPORT const sl_backend_api *suanli_backend_entry(void) {
  table.struct_size = sizeof(table);
  table.abi_major = SL_ABI_MAJOR;
  table.abi_minor = SL_ABI_MINOR;
  table.name = "missing-memcpy";
  table.version = "0";
  table.init = init;
  table.finalize = finalize;
  table.last_error = last_error;
  return &table;
}
