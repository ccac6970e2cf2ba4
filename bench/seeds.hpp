#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace suanli::bench {

/// Seed of one tensor of one case: the first 8 bytes (little-endian) of
/// SHA-256("suanli.seed.v1" 0 nonce 0 case 0 tensor), the nonce in lower case. Anyone holding the
/// report can recompute it.
[[nodiscard]] uint64_t derive_seed(std::string_view nonce_hex, std::string_view case_name,
                                   std::string_view tensor);

/// A fresh random nonce from the OS CSPRNG: 32 bytes as 64 lower-case hex characters.
[[nodiscard]] std::string random_nonce();

/// A random 64-bit seed from the OS CSPRNG (for verification choices made after the fact).
[[nodiscard]] uint64_t random_seed();

/// Why a user-supplied nonce is unacceptable (not hex, fewer than 16 or more than 128 hex
/// characters), or empty when it is fine.
[[nodiscard]] std::string nonce_problem(std::string_view nonce_hex);

} // namespace suanli::bench
