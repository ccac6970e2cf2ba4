#include <kernels/host/plugin_library.hpp>

#include <bench/error.hpp>
#include <kernels/host/plugin_text.hpp>

#include <dlfcn.h>

#include <utility>

namespace suanli::host {
namespace {

// Size of the v1.0 table: every field up to and including measure_peak.
constexpr size_t v1_0_size = offsetof(sl_backend_api, measure_peak) + sizeof(void *);

} // namespace

plugin_library plugin_library::open(const std::filesystem::path &path) {
  const std::string where = path.string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    bench::fail_environment("backend plugin " + where + " does not exist or is not a file");
  }
  void *raw = dlopen(where.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (raw == nullptr) {
    const char *why = dlerror();
    bench::fail_environment("backend plugin " + where +
                            " is not a loadable shared library: " + (why ? why : "dlopen failed"));
  }
  std::shared_ptr<void> handle(raw, [](void *h) { dlclose(h); });
  void *sym = dlsym(raw, SL_ENTRY_SYMBOL);
  if (sym == nullptr) {
    bench::fail_environment("backend plugin " + where + " is not a suanli backend: it exports no " +
                            SL_ENTRY_SYMBOL + " symbol");
  }
  const auto entry = reinterpret_cast<sl_entry_fn>(sym);
  const sl_backend_api *api = entry();
  if (api == nullptr) {
    bench::fail_environment("backend plugin " + where + ": " + SL_ENTRY_SYMBOL +
                            "() returned no table");
  }
  if (api->abi_major != SL_ABI_MAJOR) {
    bench::fail_environment("backend plugin " + where + " speaks backend ABI " +
                            std::to_string(api->abi_major) + "." + std::to_string(api->abi_minor) +
                            "; this suanli speaks ABI " + std::to_string(SL_ABI_MAJOR) + ".x");
  }
  if (api->struct_size < v1_0_size) {
    bench::fail_environment("backend plugin " + where + ": its table has " +
                            std::to_string(api->struct_size) + " bytes; ABI 1.0 needs at least " +
                            std::to_string(v1_0_size));
  }
  if (api->name == nullptr || api->name[0] == '\0') {
    bench::fail_environment("backend plugin " + where + ": its table has no name");
  }
  // Read at most a bound of each: a name or version without a NUL within it is refused, so
  // that later reads (std::string(api.name)) stay inside what was checked here.
  const std::pair<const char *, std::pair<const char *, size_t>> strings[] = {
      {"name", {api->name, max_name_bytes}}, {"version", {api->version, max_version_bytes}}};
  for (const auto &[field, text] : strings) {
    bool terminated = true;
    const std::string seen = plugin_text(text.first, text.second, terminated);
    if (!terminated || (text.first != nullptr && seen != text.first)) {
      bench::fail_environment("backend plugin " + where + ": its table's " + field +
                              " is not a one-line NUL-terminated string of at most " +
                              std::to_string(text.second - 1) + " bytes (starts \"" +
                              seen.substr(0, 16) + "...\")");
    }
  }
  // NULL means "unsupported" only for optional parts (events, GEMM, peaks, descriptions);
  // without these the host cannot drive the plugin at all.
  const std::pair<const char *, bool> required[] = {
      {"init", api->init != nullptr},
      {"finalize", api->finalize != nullptr},
      {"last_error", api->last_error != nullptr},
      {"device_count", api->device_count != nullptr},
      {"device_props", api->device_props != nullptr},
      {"mem_alloc", api->mem_alloc != nullptr},
      {"mem_free", api->mem_free != nullptr},
      {"memcpy_h2d", api->memcpy_h2d != nullptr},
      {"memcpy_d2h", api->memcpy_d2h != nullptr},
      {"stream_create", api->stream_create != nullptr},
      {"stream_destroy", api->stream_destroy != nullptr},
      {"stream_sync", api->stream_sync != nullptr},
      {"fill", api->fill != nullptr},
      {"gemm_plan_destroy", api->gemm_plan_create == nullptr || api->gemm_plan_destroy != nullptr},
      {"event_destroy", api->event_create == nullptr || api->event_destroy != nullptr},
  };
  for (const auto &[field, present] : required) {
    if (!present) {
      bench::fail_environment("backend plugin " + where + ": its table has no " + field +
                              " function, which every backend must provide");
    }
  }
  return plugin_library(std::move(handle), api, path);
}

} // namespace suanli::host
