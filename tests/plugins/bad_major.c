/* A plugin that claims ABI major 2: the host must refuse it with a clear message. */
#include <kernels/abi/suanli_backend.h>

static sl_backend_api table;

SL_EXPORT const sl_backend_api *suanli_backend_entry(void) {
  table.struct_size = sizeof(table);
  table.abi_major = SL_ABI_MAJOR + 1;
  table.abi_minor = 0;
  table.name = "bad-major";
  table.version = "0";
  return &table;
}
