#pragma once

#include <kernels/host/plugin_backend.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace suanli::host {

/// One plugin found on the search path, usable or not.
struct backend_entry {
  std::string name;                        ///< backend name from its table (or the file stem)
  std::filesystem::path file;              ///< plugin file
  std::shared_ptr<plugin_backend> backend; ///< initialised backend, null when unavailable
  bool available = false;                  ///< loaded, initialised and has at least one device
  std::string reason;                      ///< why it is unavailable, or empty
};

/// Where plugins are looked for, in order: each `--backend-path` entry, each entry of
/// $SUANLI_BACKEND_PATH (both colon-separated; a file or a folder), then the install's backend
/// folder next to the binary (<exe>/../lib/suanli/backends).
[[nodiscard]] std::vector<std::filesystem::path>
backend_search_path(const std::vector<std::string> &explicit_entries);

/// Load every plugin on the search path. A file named explicitly (not found by scanning a
/// folder) must load: if it is not a plugin or speaks another ABI major, bench::error (exit 3)
/// is thrown. Plugins found in folders that fail are listed as unavailable with the reason.
/// The first plugin of a given name wins; later ones are listed as shadowed.
[[nodiscard]] std::vector<backend_entry>
discover_backends(const std::vector<std::string> &explicit_entries, const backend_options &options);

} // namespace suanli::host
