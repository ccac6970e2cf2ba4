#pragma once

#include <bench/backend.hpp>
#include <kernels/host/plugin_library.hpp>

#include <memory>
#include <string>

namespace suanli::host {

/// Options the host passes to every plugin's init.
struct backend_options {
  int32_t threads = 0; ///< host threads a CPU backend may use; 0 = all cores
};

/// Owns an initialised plugin context; shared by the backend and every case it prepared, so
/// the context outlives them.
class plugin_context {
public:
  /// Initialise the plugin. Throws bench::error (exit 3) with the plugin's reason on failure.
  plugin_context(plugin_library library, const backend_options &options);
  ~plugin_context();
  plugin_context(const plugin_context &) = delete;
  plugin_context &operator=(const plugin_context &) = delete;

  /// The function table.
  [[nodiscard]] const sl_backend_api &api() const { return library_.api(); }
  /// The loaded library.
  [[nodiscard]] const plugin_library &library() const { return library_; }
  /// The plugin's context handle.
  [[nodiscard]] sl_context *get() const { return ctx_; }
  /// Throw bench::error (exit 3) "<backend>: <what>: <status>: <reason>" unless status is OK.
  void check(sl_status status, const std::string &what) const;
  /// The plugin's reason for its last failure.
  [[nodiscard]] std::string last_error() const;

private:
  plugin_library library_;
  sl_context *ctx_ = nullptr;
};

/// bench::backend over a C ABI plugin.
class plugin_backend final : public bench::backend {
public:
  /// Initialise a loaded plugin. Throws bench::error (exit 3) when init fails.
  plugin_backend(plugin_library library, const backend_options &options);

  [[nodiscard]] std::string name() const override;
  [[nodiscard]] std::string version() const override;
  [[nodiscard]] std::pair<std::string, std::string> file_identity() const override;
  [[nodiscard]] std::map<std::string, std::string> library_versions() const override;
  [[nodiscard]] std::vector<bench::device_info> devices() const override;
  [[nodiscard]] bench::prepare_result prepare(const bench::problem &op, int32_t device,
                                              const bench::tensor_seeds &seeds) override;
  [[nodiscard]] std::optional<bench::peak_rate> rated_peak(int32_t device, sl_dtype dtype,
                                                           std::string &reason) override;
  [[nodiscard]] std::optional<bench::peak_rate> measured_peak(int32_t device, sl_dtype dtype,
                                                              std::string &reason) override;
  [[nodiscard]] bool has_collectives(std::string &reason) const override;
  [[nodiscard]] std::unique_ptr<bench::communicator> join(int32_t device,
                                                          bench::coordinator &ranks) override;
  [[nodiscard]] std::unique_ptr<bench::prepared_collective>
  prepare_collective(bench::communicator &comm, const bench::collective_problem &p, int32_t device,
                     int32_t rank, int32_t nranks, std::string &reason) override;
  [[nodiscard]] std::unique_ptr<bench::telemetry_source> telemetry(int32_t device,
                                                                   std::string &reason) override;
  /// The plugin's device_link (ABI 1.4); an older plugin answers "(ABI 1.x) offers no device
  /// topology".
  [[nodiscard]] std::optional<bench::device_link> link(int32_t a, int32_t b,
                                                       std::string &reason) const override;

private:
  using peak_fn = sl_status (*)(sl_context *, int32_t, sl_dtype, double *, char *, size_t);
  // Call a rated_peak / measure_peak entry; nullopt with the reason when it has no answer.
  [[nodiscard]] std::optional<bench::peak_rate> peak(peak_fn fn, const char *what, int32_t device,
                                                     sl_dtype dtype, std::string &reason) const;

  std::shared_ptr<plugin_context> ctx_;
  mutable std::string sha256_; // computed on first use
};

} // namespace suanli::host
