#pragma once
// What this host knows about the sizes of the function table of each ABI minor: a plugin that
// claims minor N must provide at least the host's minor-N table.

#include <cstddef>
#include <cstdint>
#include <string>

namespace suanli::conformance {

/// Size of the sl_backend_api table of ABI 1.`minor` [bytes]: through the last function that
/// minor added (1.0: measure_peak, 1.1: attention_plan_describe, 1.2: collective_run, 1.3:
/// telemetry_read). A minor newer than this host's SL_ABI_MINOR gets the host's whole table (minors
/// only append).
[[nodiscard]] size_t abi_table_size(uint16_t minor);

/// The newest minor whose table fits in `struct_size` bytes, or -1 when not even 1.0's does.
[[nodiscard]] int abi_minor_of_size(uint32_t struct_size);

/// Why a table with this version and struct_size cannot be spoken to or lies about its
/// version ("" when it is consistent): another major (naming both versions), a table smaller
/// than 1.0's, or a minor whose table is larger than struct_size (a "version lie").
[[nodiscard]] std::string abi_version_problem(uint16_t major, uint16_t minor, uint32_t struct_size);

} // namespace suanli::conformance
