#pragma once

#include <kernels/host/discovery.hpp>

#include <memory>
#include <string>
#include <vector>

namespace suanli::tools {

/// The backend a command uses: by name, or the first available ("cpu" preferred) when the
/// name is empty. Throws bench::error: exit 2 for an unknown name (listing those found),
/// exit 3 when the backend is present but unavailable (with its reason).
[[nodiscard]] std::shared_ptr<host::plugin_backend>
choose_backend(const std::vector<host::backend_entry> &entries, const std::string &name);

} // namespace suanli::tools
