// table and lifecycle: the function table as the plugin exports it, and init / finalize.

#include <conformance/abi_table.hpp>
#include <conformance/checks.hpp>
#include <conformance/isolate.hpp>
#include <conformance/session.hpp>

#include <bench/error.hpp>
#include <kernels/host/plugin_library.hpp>

#include <dlfcn.h>

#include <array>
#include <cstring>
#include <utility>
#include <vector>

namespace suanli::conformance {
namespace {

std::string version_text(const sl_backend_api &api) {
  return std::to_string(api.abi_major) + "." + std::to_string(api.abi_minor);
}

// A group of entries that only make sense together: all NULL (not offered) or all set.
struct entry_group {
  const char *part;                                   // "events"
  std::vector<std::pair<const char *, bool>> present; // entry name, non-NULL
};

// Groups of optional entries the table covers; "" when each is all or nothing, else the
// first half-offered group.
std::string half_offered_group(const sl_backend_api &api) {
  const auto covers = [&](size_t offset) { return api.struct_size >= offset + sizeof(void *); };
  std::vector<entry_group> groups = {
      {"events",
       {{"event_create", api.event_create != nullptr},
        {"event_destroy", api.event_destroy != nullptr},
        {"event_record", api.event_record != nullptr},
        {"event_elapsed_ns", api.event_elapsed_ns != nullptr}}},
      {"GEMM",
       {{"gemm_plan_create", api.gemm_plan_create != nullptr},
        {"gemm_run", api.gemm_run != nullptr},
        {"gemm_plan_destroy", api.gemm_plan_destroy != nullptr}}},
  };
  if (covers(offsetof(sl_backend_api, attention_plan_destroy))) {
    groups.push_back({"attention",
                      {{"attention_plan_create", api.attention_plan_create != nullptr},
                       {"attention_forward", api.attention_forward != nullptr},
                       {"attention_plan_destroy", api.attention_plan_destroy != nullptr}}});
  }
  if (covers(offsetof(sl_backend_api, collective_run))) {
    groups.push_back({"collectives",
                      {{"comm_unique_id_size", api.comm_unique_id_size != nullptr},
                       {"comm_unique_id", api.comm_unique_id != nullptr},
                       {"comm_init", api.comm_init != nullptr},
                       {"comm_destroy", api.comm_destroy != nullptr},
                       {"collective_check", api.collective_check != nullptr},
                       {"collective_run", api.collective_run != nullptr}}});
  }
  for (const auto &g : groups) {
    std::string set, missing;
    for (const auto &[name, present] : g.present) {
      std::string &list = present ? set : missing;
      list += (list.empty() ? "" : ", ") + std::string(name);
    }
    if (!set.empty() && !missing.empty()) {
      return std::string(g.part) + " are half offered: " + set + " set but " + missing +
             " NULL (offer all or none)";
    }
  }
  return "";
}

// Which optional parts the table offers, for the PASS detail.
std::string offered_parts(const sl_backend_api &api) {
  const auto covers = [&](size_t offset) { return api.struct_size >= offset + sizeof(void *); };
  std::string out;
  const auto add = [&](const char *part, bool offered) {
    if (offered) {
      out += (out.empty() ? "" : ", ") + std::string(part);
    }
  };
  add("events", api.event_create != nullptr);
  add("GEMM", api.gemm_plan_create != nullptr);
  add("attention", covers(offsetof(sl_backend_api, attention_plan_create)) &&
                       api.attention_plan_create != nullptr);
  add("collectives", covers(offsetof(sl_backend_api, comm_init)) && api.comm_init != nullptr);
  add("peaks", api.rated_peak != nullptr || api.measure_peak != nullptr);
  return out.empty() ? "no optional parts" : out;
}

} // namespace

check_result check_table(const check_input &in) {
  const std::string where = in.plugin.string();
  note_stage("dlopen");
  void *handle = dlopen(where.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char *why = dlerror();
    return fail(std::string("dlopen: ") + (why != nullptr ? why : "failed"));
  }
  void *sym = dlsym(handle, SL_ENTRY_SYMBOL);
  if (sym == nullptr) {
    return fail(std::string("no ") + SL_ENTRY_SYMBOL + " symbol is exported");
  }
  note_stage(SL_ENTRY_SYMBOL "()");
  sl_entry_fn entry = nullptr;
  std::memcpy(&entry, &sym, sizeof entry);
  const sl_backend_api *api = entry();
  if (api == nullptr) {
    return fail(std::string(SL_ENTRY_SYMBOL) + "() returned NULL");
  }
  if (const std::string problem =
          abi_version_problem(api->abi_major, api->abi_minor, api->struct_size);
      !problem.empty()) {
    return fail(problem);
  }
  if (api->name == nullptr || api->name[0] == '\0') {
    return fail("name is NULL or empty");
  }
  if (api->version == nullptr || api->version[0] == '\0') {
    return fail("version is NULL or empty");
  }
  // The host's own loader: its list of entries every backend must provide.
  note_stage("the host's plugin loader");
  try {
    (void)host::plugin_library::open(in.plugin);
  } catch (const bench::error &e) {
    return fail(std::string("the host refuses it: ") + e.what());
  }
  if (const std::string half = half_offered_group(*api); !half.empty()) {
    return fail(half);
  }
  return pass(plugin_text(api->name) + " " + plugin_text(api->version) + ", ABI " +
              version_text(*api) + ", table " + std::to_string(api->struct_size) +
              " bytes; offers " + offered_parts(*api));
}

check_result check_lifecycle(const check_input &in) {
  const auto library = host::plugin_library::open(in.plugin);
  const sl_backend_api &api = library.api();
  sl_init_options options{};
  options.struct_size = sizeof(options);
  for (int round = 1; round <= 3; ++round) {
    note_stage("init #" + std::to_string(round));
    sl_context *ctx = nullptr;
    const sl_status s = api.init(&options, &ctx);
    if (s != SL_OK || ctx == nullptr) {
      return fail("init #" + std::to_string(round) + " failed: " + sl_status_name(s) + ": " +
                  clip(plugin_text(api.last_error(nullptr))));
    }
    int32_t count = 0;
    note_stage("device_count after init #" + std::to_string(round));
    if (const sl_status c = api.device_count(ctx, &count); c != SL_OK) {
      return fail("device_count after init #" + std::to_string(round) +
                  " failed: " + sl_status_name(c) + ": " + clip(plugin_text(api.last_error(ctx))));
    }
    note_stage("finalize #" + std::to_string(round));
    api.finalize(ctx);
  }
  // A failing init: no place for the context.
  note_stage("init with a NULL ctx output pointer");
  const sl_status bad = api.init(&options, nullptr);
  if (bad == SL_OK) {
    return fail("init(options, NULL) returned ok; expected an error (no place for the context)");
  }
  const std::string why = plugin_text(api.last_error(nullptr));
  if (why.empty()) {
    return fail(std::string("last_error(NULL) is empty after init(options, NULL) returned ") +
                sl_status_name(bad) + "; it must give the reason");
  }
  if (bad == SL_UNSUPPORTED) {
    log_unsupported("init(options, NULL)", why);
  }
  // Library versions of a live context.
  if (api.library_versions == nullptr) {
    return fail("library_versions is NULL: reports could not name the libraries the plugin "
                "uses");
  }
  sl_context *ctx = nullptr;
  note_stage("init for library_versions");
  if (const sl_status s = api.init(&options, &ctx); s != SL_OK || ctx == nullptr) {
    return fail(std::string("init after a failed init: ") + sl_status_name(s) + ": " +
                clip(plugin_text(api.last_error(nullptr))));
  }
  std::array<char, 4096> buf{};
  note_stage("library_versions");
  const sl_status s = api.library_versions(ctx, buf.data(), buf.size());
  const std::string reason = plugin_text(api.last_error(ctx));
  api.finalize(ctx);
  if (s != SL_OK) {
    return fail(std::string("library_versions failed: ") + sl_status_name(s) + ": " + clip(reason));
  }
  if (std::memchr(buf.data(), '\0', buf.size()) == nullptr) {
    return fail("library_versions wrote no NUL terminator into its 4096-byte buffer");
  }
  const std::string versions = buf.data();
  if (versions.empty() || versions.find('=') == std::string::npos) {
    return fail("library_versions gave \"" + clip(versions) +
                "\"; expected \"name=version;name=version\"");
  }
  return pass("3 init/finalize rounds; init(options, NULL): " + std::string(sl_status_name(bad)) +
              " (\"" + clip(why, 60) + "\"); libraries " + clip(versions, 80));
}

} // namespace suanli::conformance
