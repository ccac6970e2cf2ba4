#pragma once
// What the checks share inside their child process: the plugin opened and initialised by the
// host's own loader (kernels/host), the raw last_error, and the log of SL_UNSUPPORTED answers
// and their reasons.

#include <conformance/check.hpp>

#include <bench/backend.hpp>
#include <kernels/host/plugin_backend.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace suanli::conformance {

/// A plugin loaded with host::plugin_library::open (the host's table checks) and one
/// initialised context (host::plugin_context), inside a check's child process.
class session {
public:
  /// Open and initialise. Throws bench::error when the host refuses the plugin or init fails.
  explicit session(const std::filesystem::path &plugin);

  /// The function table.
  [[nodiscard]] const sl_backend_api &api() const { return context_->api(); }
  /// The plugin's context handle.
  [[nodiscard]] sl_context *ctx() const { return context_->get(); }
  /// The host's context object (for device_buffer, prepare_gemm, ...).
  [[nodiscard]] const std::shared_ptr<host::plugin_context> &context() const { return context_; }
  /// True when the table's struct_size covers the function pointer at `offset`.
  [[nodiscard]] bool covers(size_t offset) const {
    return context_->library().has_field(offset, sizeof(void *));
  }
  /// last_error of this context as the plugin gave it ("" when NULL or empty).
  [[nodiscard]] std::string last_error() const;
  /// The reason of the SL_UNSUPPORTED answer `where` just gave, logged (a missing reason is
  /// logged as such and returned as "").
  [[nodiscard]] std::string unsupported_reason(const std::string &where) const;
  /// device_count. Throws bench::error when it fails.
  [[nodiscard]] int32_t device_count() const;
  /// Device `index` as the host's case helpers need it (device_props). Throws bench::error.
  [[nodiscard]] bench::device_info device(int32_t index) const;

private:
  std::shared_ptr<host::plugin_context> context_;
};

/// A plugin's string, read up to its NUL or `capacity` characters; "" for NULL.
[[nodiscard]] std::string plugin_text(const char *text, size_t capacity = 4096);

/// Log an SL_UNSUPPORTED answer of `where` and its reason ("" = no reason: a missing one).
void log_unsupported(const std::string &where, const std::string &reason);

/// Move the log of this process into a check's result (unsupported_seen, missing_reasons).
void take_unsupported_log(check_result &r);

/// "no reason: <where> answered unsupported with an empty last_error" for a detail.
[[nodiscard]] std::string no_reason_text(const std::string &where);

/// `text` cut to `max` characters (with "...") for a one-line detail.
[[nodiscard]] std::string clip(const std::string &text, size_t max = 160);

} // namespace suanli::conformance
