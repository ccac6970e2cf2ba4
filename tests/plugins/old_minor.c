/* An ABI 1.0 plugin (no attention, collectives or telemetry) built against today's header: it
 * forwards the 1.0 part of the CPU plugin's table (SUANLI_CPU_PLUGIN) and says struct_size =
 * the 1.0 table. Every field past that is filled with an invalid address, so a host that read
 * beyond struct_size would crash instead of quietly working. */
#include <kernels/abi/suanli_backend.h>

#include <dlfcn.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static sl_backend_api table;

SL_EXPORT const sl_backend_api *suanli_backend_entry(void) {
  void *lib = dlopen(SUANLI_CPU_PLUGIN, RTLD_NOW | RTLD_LOCAL);
  if (lib == NULL) {
    return NULL;
  }
  sl_entry_fn entry = NULL;
  void *sym = dlsym(lib, SL_ENTRY_SYMBOL);
  memcpy(&entry, &sym, sizeof entry);
  const sl_backend_api *real = entry != NULL ? entry() : NULL;
  if (real == NULL) {
    return NULL;
  }
  const size_t v10 = offsetof(sl_backend_api, attention_plan_create);
  memset(&table, 0x5a, sizeof table); /* 0x5a5a...: never a valid function address */
  memcpy(&table, real, v10);
  table.struct_size = (uint32_t)v10;
  table.abi_major = 1;
  table.abi_minor = 0;
  table.name = "oldminor";
  return &table;
}
