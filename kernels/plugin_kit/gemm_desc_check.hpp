#pragma once

#include <kernels/abi/suanli_backend.h>

#include <cstdint>
#include <string>

// Plugin-side helpers every backend shares, so that all of them judge a descriptor alike.
// Depends on the ABI header only (a vendor may copy it with the header).
namespace suanli::plugin_kit {

/// Short name of a dtype, e.g. "bf16" ("unknown" outside the enum).
[[nodiscard]] const char *dtype_name(sl_dtype dtype);

/// Elements spanned by one row-major matrix: (rows - 1) * ld + cols.
[[nodiscard]] int64_t matrix_span(int64_t rows, int64_t cols, int64_t ld);

/// One GEMM operand as stored: rows x cols with leading dimension ld, batch stride stride.
struct gemm_operand {
  const char *name;               ///< "a", "b" or "c"
  int64_t rows, cols, ld, stride; ///< stored extent, pitch and batch stride [elements]
};

/// Operand 'a', 'b' or 'c' of a descriptor as stored (transposes applied).
[[nodiscard]] gemm_operand gemm_operand_of(const sl_gemm_desc &desc, char which);

/// "a=bf16 b=bf16 c=bf16 compute=fp32", for reasons.
[[nodiscard]] std::string gemm_types_text(const sl_gemm_desc &desc);

/// True when any of the descriptor's four dtypes is `dtype`.
[[nodiscard]] bool gemm_uses(const sl_gemm_desc &desc, sl_dtype dtype);

/// Check a descriptor's size, dimensions, transposes, scalars, leading dimensions and strides.
/// SL_OK, or SL_INVALID_ARGUMENT with the reason; overlapping batch entries of A or B are
/// SL_UNSUPPORTED (legal, but not a benchmark), overlapping entries of C are invalid.
[[nodiscard]] sl_status check_gemm_desc(const sl_gemm_desc *desc, std::string &reason);

} // namespace suanli::plugin_kit
