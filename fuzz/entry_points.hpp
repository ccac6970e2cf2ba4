#pragma once
// The fuzz entry functions, one per parser of outside input. Each feeds the bytes to the same
// entry point the `suanli` command uses, catches the documented error for bad input
// (bench::error) and lets anything else (crashes, other exceptions, sanitizer reports) surface.
// The libFuzzer targets (fuzz/fuzz_*.cpp) and the regression test (tests/fuzz_regression_test.cpp)
// share them.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace suanli::fuzz {

/// Signature of every entry: libFuzzer's, returns 0.
using entry_fn = int (*)(const uint8_t *data, size_t size);

/// A suite file (bench::load_suite_file, as `suanli run --suite FILE` reads it).
int fuzz_suite_toml(const uint8_t *data, size_t size);

/// A provider's claims file (certify::load_claims, as `suanli run --claims` reads it).
int fuzz_claims_toml(const uint8_t *data, size_t size);

/// A device database file (devices::load, as `--device-db FILE` reads it), then a lookup.
int fuzz_devices_toml(const uint8_t *data, size_t size);

/// A report file as `suanli verify` reads it (tools::read_report_file, then the signature check
/// and the summary fields it prints).
int fuzz_report_verify(const uint8_t *data, size_t size);

/// A report file as `suanli audit` reads it (audit::audit_report: the fast envelope scanner and
/// every per-report rule).
int fuzz_report_audit(const uint8_t *data, size_t size);

/// A challenge file (certify::load_challenge and accept_challenge, as `suanli run --challenge`
/// and `suanli challenge show` read it).
int fuzz_challenge(const uint8_t *data, size_t size);

/// PEM key text: reports::load_public_key and load_private_key (a 0600 file) of the same bytes.
int fuzz_pem_key(const uint8_t *data, size_t size);

/// Device properties as a plugin returns them: the first byte is the device count (mod 5), the
/// rest the bytes of that many sl_device_props structs; read by host::plugin_backend::devices(),
/// then turned into the report's backend JSON and matched against the device database.
int fuzz_device_props(const uint8_t *data, size_t size);

/// The entry of a target by name ("suite_toml", ...); nullptr when there is none.
[[nodiscard]] entry_fn find_entry(std::string_view target);

} // namespace suanli::fuzz
