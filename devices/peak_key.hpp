#pragma once
// The dtype fields of the device database ("fp64_tensor", "bf16", "int8", ...) and how they map
// onto the project's dtypes (bench/dtype.hpp).

#include <kernels/abi/suanli_backend.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace suanli::devices {

/// A rated-peak field of a database entry. Vector and tensor (matrix) units are separate fields
/// where vendors rate them separately; fp8 covers both fp8 formats unless one is given alone.
enum class peak_key {
  fp64,        ///< FP64 on vector units
  fp64_tensor, ///< FP64 on tensor / matrix units
  fp32,        ///< FP32 on vector units
  fp32_tensor, ///< true FP32 on tensor / matrix units (AMD, MetaX "matrix")
  tf32,        ///< TF32 (fp32 storage, TF32 math) on tensor units
  fp16,        ///< FP16 inputs on tensor units
  bf16,        ///< BF16 inputs on tensor units
  fp8,         ///< FP8 (e4m3 and e5m2) on tensor units
  fp8_e4m3,    ///< FP8 e4m3 where rated apart from e5m2
  fp8_e5m2,    ///< FP8 e5m2 where rated apart from e4m3
  int8         ///< INT8 inputs, INT32 accumulation [TOPS]
};

/// The database spelling of a key ("fp64_tensor").
[[nodiscard]] std::string_view name(peak_key key);

/// Parse a database dtype field name; nullopt when unknown.
[[nodiscard]] std::optional<peak_key> parse_peak_key(std::string_view text);

/// Comma-separated list of every key, for error messages.
[[nodiscard]] std::string peak_key_names();

/// Whether the key counts integer operations (rated in TOPS, field "tops") rather than FLOPs
/// (field "tflops").
[[nodiscard]] bool is_integer(peak_key key);

/// "TOPS" for integer keys, else "TFLOP/s".
[[nodiscard]] std::string_view unit(peak_key key);

/// The fields that rate a GEMM of this project dtype, best first: the first one an entry has is
/// its rated peak. fp64 and fp32 prefer the tensor unit (what a vendor BLAS runs on); fp8 formats
/// fall back to the shared fp8 field. Empty for dtypes no vendor rates (uint8, int32).
[[nodiscard]] std::vector<peak_key> peak_keys_for(sl_dtype dtype);

} // namespace suanli::devices
