#pragma once
// The backend call in progress on the thread that drives a run, so that a crash handler or the
// watchdog can say which call crashed or hung. Reading it is async-signal-safe.

namespace suanli::bench {

/// Marks a backend call (e.g. "gemm_run") as in progress for its scope; scopes nest and the
/// outer call is restored on exit. `name` must have static storage duration. Used by the one
/// thread that drives the run (not by a telemetry sampling thread).
class backend_call {
public:
  /// Record `name` as the call in progress.
  explicit backend_call(const char *name) noexcept;
  /// Restore the call that was in progress before.
  ~backend_call();
  backend_call(const backend_call &) = delete;
  backend_call &operator=(const backend_call &) = delete;

private:
  const char *outer_;
};

/// The name of the backend call in progress, or nullptr when none is (async-signal-safe).
[[nodiscard]] const char *backend_call_in_progress() noexcept;

} // namespace suanli::bench
