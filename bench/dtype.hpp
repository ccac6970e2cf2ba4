#pragma once

#include <kernels/abi/suanli_backend.h>

#include <optional>
#include <string>
#include <string_view>

namespace suanli::bench {

/// Per-dtype facts used by conventions and tolerances (one table row per sl_dtype).
struct dtype_info {
  sl_dtype id;              ///< ABI value
  std::string_view name;    ///< canonical name: fp64, fp32, tf32, fp16, bf16, fp8_e4m3, ...
  double unit_roundoff;     ///< u = 2^-p for floating types (p = significand bits); 0 for integers
  bool is_integer;          ///< integer types are verified exactly
};

/// Facts of a dtype; throws std::out_of_range for SL_DTYPE_INVALID.
[[nodiscard]] const dtype_info &info(sl_dtype dtype);

/// Canonical name of a dtype ("fp32").
[[nodiscard]] std::string_view name(sl_dtype dtype);

/// Parse a canonical dtype name; nullopt when unknown.
[[nodiscard]] std::optional<sl_dtype> parse_dtype(std::string_view text);

/// Comma-separated list of the canonical names, for error messages.
[[nodiscard]] std::string dtype_names();

} // namespace suanli::bench
