#pragma once
// `suanli run` as a job of one or more ranks: input checks agreed by every rank, per-device
// cases on each device, collective cases on all ranks, one report written by rank 0.

#include <reports/passphrase.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace suanli::tools {

/// The options of `suanli run`.
struct run_args {
  std::string suite, backend, nonce, key, out;
  std::vector<std::string> backend_paths;
  std::string device_db;         ///< --device-db (empty: the installed suites/devices)
  std::string challenge;         ///< --challenge: platform challenge file (empty: none)
  std::string platform_key;      ///< --platform-key: the platform's public key (empty: none)
  std::string claims;            ///< --claims: the provider's claims file (empty: none)
  int32_t device = 0;            ///< --device
  bool device_given = false;     ///< --device was on the command line
  int32_t threads = 0;           ///< --threads (0 = all cores)
  double timeout_s = 120;        ///< --timeout: longest wait for a rank or a backend call [s]
  bool quiet = false;            ///< --quiet
  int64_t cold_bytes = -1;       ///< --cold / --cold-bytes: policy override (-1: the suite's)
  std::vector<std::string> argv; ///< the command line, for the report
  /// --key-passphrase-file / --key-passphrase-prompt: the passphrase of an encrypted --key.
  reports::passphrase_source key_passphrase;
};

/// Run the job; returns the exit code (DESIGN.md). Under MPI, every rank calls it; a timeout
/// or a failure on one rank ends every rank (exit 3) without a report.
[[nodiscard]] int run_job(const run_args &a);

} // namespace suanli::tools
