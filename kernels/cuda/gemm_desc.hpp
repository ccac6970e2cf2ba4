#pragma once
// Host-side GEMM logic that needs no GPU: the offered dtype combinations and their cuBLASLt
// types, descriptor validation, and the row-major (ABI) to column-major (cuBLASLt) translation.
// Only CUDA headers are used here (enums), no CUDA library.

#include <kernels/abi/suanli_backend.h>
#include <kernels/plugin_kit/gemm_desc_check.hpp>

#include <cublasLt.h>
#include <library_types.h>

#include <cstdint>
#include <optional>
#include <string>

namespace suanli::cuda {

/// A dtype combination: offered through cuBLASLt, or refused with a reason.
struct gemm_combo {
  const char *name;                      ///< e.g. "bf16 x bf16 -> bf16 (fp32 accumulate)"
  sl_dtype a, b, c, compute;             ///< the ABI's dtypes
  cudaDataType_t a_cuda, b_cuda, c_cuda; ///< cuBLASLt storage types (C and D share one)
  cublasComputeType_t compute_cuda;      ///< accumulator; fp32 is CUBLAS_COMPUTE_32F, never TF32
  cudaDataType_t scale_cuda;             ///< type of alpha and beta
  bool tn_layout;                        ///< cuBLASLt needs its "TN" layout (int8, fp8)
  const char *refusal;                   ///< non-NULL: not offered, for this reason
};

// Descriptor checks and names shared by every plugin.
using plugin_kit::dtype_name;
using plugin_kit::gemm_operand;
using plugin_kit::gemm_operand_of;
using plugin_kit::gemm_types_text;
using plugin_kit::gemm_uses;
using plugin_kit::matrix_span;

/// The cuBLASLt storage type of an ABI dtype (TF32 is stored as fp32); nullopt for none.
std::optional<cudaDataType_t> cuda_data_type(sl_dtype dtype);

/// Name of a cuBLAS compute type, e.g. "CUBLAS_COMPUTE_32F_FAST_TF32".
const char *compute_type_name(cublasComputeType_t type);

/// The combination matching desc's dtypes; NULL with reason (SL_UNSUPPORTED) when none is
/// offered, including combinations cuBLASLt cannot compute.
const gemm_combo *find_gemm_combo(const sl_gemm_desc &desc, std::string &reason);

/// plugin_kit::check_gemm_desc plus cuBLASLt's own limit (int32 batch count). SL_OK, or
/// SL_INVALID_ARGUMENT / SL_UNSUPPORTED with reason.
sl_status check_gemm_desc(const sl_gemm_desc *desc, std::string &reason);

/// Elements of one operand ('a', 'b' or 'c') over all batch entries, as the ABI lays it out.
int64_t operand_elements(const sl_gemm_desc &desc, char operand);

/// One column-major matrix as cuBLASLt sees it.
struct lt_matrix {
  uint64_t rows = 0, cols = 0; ///< column-major extent [elements]
  int64_t ld = 0;              ///< leading dimension (column pitch) [elements]
  int64_t stride = 0;          ///< batch stride [elements]
};

/// A row-major GEMM restated for cuBLASLt: C^T = op(B)^T * op(A)^T, so cuBLASLt's A is the
/// ABI's B and cuBLASLt's B is the ABI's A; each row-major matrix is read as its transpose.
struct lt_problem {
  uint64_t m = 0, n = 0, k = 0; ///< cuBLASLt's dimensions: m = desc.n, n = desc.m, k = desc.k
  cublasOperation_t op_a = CUBLAS_OP_N, op_b = CUBLAS_OP_N; ///< trans_b and trans_a
  lt_matrix a, b, c; ///< cuBLASLt's A (ABI's B), B (ABI's A), C = D
  int64_t batch = 1; ///< batch count
};

/// The column-major statement of a validated row-major descriptor.
lt_problem to_column_major(const sl_gemm_desc &desc);

/// alpha or beta as the scale type's bytes (double, float or int32) into out (8 bytes); false
/// with reason when the value is not exact in that type (integer scales must be integers).
bool encode_scale(double value, cudaDataType_t scale, unsigned char (&out)[8], std::string &reason);

} // namespace suanli::cuda
