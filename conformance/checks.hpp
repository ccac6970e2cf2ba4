#pragma once
// The check functions of the table in check.cpp, one per row (each runs in a child process).

#include <conformance/check.hpp>

namespace suanli::conformance {

/// table: entry symbol, struct_size, ABI major and minor, name, version, required entries.
[[nodiscard]] check_result check_table(const check_input &in);
/// lifecycle: init/finalize three times, last_error(NULL) after a failed init,
/// library_versions.
[[nodiscard]] check_result check_lifecycle(const check_input &in);
/// devices: device_count, device_props of every device, out-of-range indices.
[[nodiscard]] check_result check_devices(const check_input &in);
/// links: device_link (ABI 1.4): self is SELF, (a, b) and (b, a) agree, out-of-range indices
/// refused with a reason, short struct_size honoured, unsupported answers carry a reason.
[[nodiscard]] check_result check_links(const check_input &in);
/// memory: alloc / h2d / d2h round trips, free; invalid pointers.
[[nodiscard]] check_result check_memory(const check_input &in);
/// fill: the device fill of every dtype equals sl_fill_value bit for bit.
[[nodiscard]] check_result check_fill(const check_input &in);
/// timing: events monotonic and consistent with the host clock.
[[nodiscard]] check_result check_timing(const check_input &in);
/// gemm: small GEMMs of every precision verified like `suanli run` verifies them.
[[nodiscard]] check_result check_gemm(const check_input &in);
/// attention: small attention forwards (causal or not, GQA, MQA) verified.
[[nodiscard]] check_result check_attention(const check_input &in);
/// collectives: a one-rank communicator and its collectives.
[[nodiscard]] check_result check_collectives(const check_input &in);
/// invalid_args: invalid calls answer an error status with a reason, never crash.
[[nodiscard]] check_result check_invalid_args(const check_input &in);
/// reasons: unusual requests answered unsupported carry a reason (the run adds what the other
/// checks saw).
[[nodiscard]] check_result check_reasons(const check_input &in);

} // namespace suanli::conformance
