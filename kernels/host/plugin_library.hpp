#pragma once

#include <kernels/abi/suanli_backend.h>

#include <filesystem>
#include <memory>
#include <string>

namespace suanli::host {

/// A dlopen'ed backend plugin whose table passed the version checks. Movable, not copyable;
/// the library stays loaded while any copy of the shared handle lives.
class plugin_library {
public:
  /// Load a plugin file and check its table. Throws bench::error (exit 3) when the file is
  /// not a plugin (no entry symbol, not a shared object) or speaks another ABI major.
  static plugin_library open(const std::filesystem::path &path);

  /// The function table (valid while this object lives).
  [[nodiscard]] const sl_backend_api &api() const { return *api_; }
  /// The file it was loaded from.
  [[nodiscard]] const std::filesystem::path &path() const { return path_; }
  /// True when the table reaches the field at `offset` of `size` bytes; fields appended by
  /// later ABI minors are read only when this holds.
  [[nodiscard]] bool has_field(size_t offset, size_t size) const {
    return api_->struct_size >= offset + size;
  }

private:
  plugin_library(std::shared_ptr<void> handle, const sl_backend_api *api,
                 std::filesystem::path path)
      : handle_(std::move(handle)), api_(api), path_(std::move(path)) {}

  std::shared_ptr<void> handle_;
  const sl_backend_api *api_;
  std::filesystem::path path_;
};

} // namespace suanli::host
