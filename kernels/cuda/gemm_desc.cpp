// GEMM dtype table, descriptor validation and the row-major -> column-major translation.

#include <kernels/cuda/gemm_desc.hpp>

#include <cmath>
#include <cstring>
#include <iterator>

namespace suanli::cuda {

namespace {

constexpr const char *k_u8_refusal =
    "gemm: uint8 x int8 -> int32 is not offered by cuBLASLt (its integer GEMM is int8 x int8 -> "
    "int32, CUDA_R_8I inputs only); ask for a=int8 b=int8 c=int32 compute=int32";

// One row per combination; cuBLASLt's own types beside the ABI's.
constexpr gemm_combo k_combos[] = {
    {"fp64 x fp64 -> fp64 (fp64 accumulate)", SL_DTYPE_FP64, SL_DTYPE_FP64, SL_DTYPE_FP64,
     SL_DTYPE_FP64, CUDA_R_64F, CUDA_R_64F, CUDA_R_64F, CUBLAS_COMPUTE_64F, CUDA_R_64F, false,
     nullptr},
    {"fp32 x fp32 -> fp32 (fp32 accumulate, no TF32)", SL_DTYPE_FP32, SL_DTYPE_FP32, SL_DTYPE_FP32,
     SL_DTYPE_FP32, CUDA_R_32F, CUDA_R_32F, CUDA_R_32F, CUBLAS_COMPUTE_32F, CUDA_R_32F, false,
     nullptr},
    {"fp32 x fp32 -> fp32 (tf32 compute, fp32 accumulate)", SL_DTYPE_FP32, SL_DTYPE_FP32,
     SL_DTYPE_FP32, SL_DTYPE_TF32, CUDA_R_32F, CUDA_R_32F, CUDA_R_32F, CUBLAS_COMPUTE_32F_FAST_TF32,
     CUDA_R_32F, false, nullptr},
    {"tf32 x tf32 -> fp32 (tf32 compute, fp32 accumulate)", SL_DTYPE_TF32, SL_DTYPE_TF32,
     SL_DTYPE_FP32, SL_DTYPE_TF32, CUDA_R_32F, CUDA_R_32F, CUDA_R_32F, CUBLAS_COMPUTE_32F_FAST_TF32,
     CUDA_R_32F, false, nullptr},
    {"bf16 x bf16 -> bf16 (fp32 accumulate)", SL_DTYPE_BF16, SL_DTYPE_BF16, SL_DTYPE_BF16,
     SL_DTYPE_FP32, CUDA_R_16BF, CUDA_R_16BF, CUDA_R_16BF, CUBLAS_COMPUTE_32F, CUDA_R_32F, false,
     nullptr},
    {"bf16 x bf16 -> fp32 (fp32 accumulate)", SL_DTYPE_BF16, SL_DTYPE_BF16, SL_DTYPE_FP32,
     SL_DTYPE_FP32, CUDA_R_16BF, CUDA_R_16BF, CUDA_R_32F, CUBLAS_COMPUTE_32F, CUDA_R_32F, false,
     nullptr},
    {"fp16 x fp16 -> fp16 (fp32 accumulate)", SL_DTYPE_FP16, SL_DTYPE_FP16, SL_DTYPE_FP16,
     SL_DTYPE_FP32, CUDA_R_16F, CUDA_R_16F, CUDA_R_16F, CUBLAS_COMPUTE_32F, CUDA_R_32F, false,
     nullptr},
    {"fp16 x fp16 -> fp32 (fp32 accumulate)", SL_DTYPE_FP16, SL_DTYPE_FP16, SL_DTYPE_FP32,
     SL_DTYPE_FP32, CUDA_R_16F, CUDA_R_16F, CUDA_R_32F, CUBLAS_COMPUTE_32F, CUDA_R_32F, false,
     nullptr},
    {"int8 x int8 -> int32 (int32 accumulate)", SL_DTYPE_INT8, SL_DTYPE_INT8, SL_DTYPE_INT32,
     SL_DTYPE_INT32, CUDA_R_8I, CUDA_R_8I, CUDA_R_32I, CUBLAS_COMPUTE_32I, CUDA_R_32I, true,
     nullptr},
    {"uint8 x int8 -> int32", SL_DTYPE_UINT8, SL_DTYPE_INT8, SL_DTYPE_INT32, SL_DTYPE_INT32,
     CUDA_R_8U, CUDA_R_8I, CUDA_R_32I, CUBLAS_COMPUTE_32I, CUDA_R_32I, false, k_u8_refusal},
#define SL_FP8_ROW(a, b, c, ca, cb, cc, name)                                                      \
  { name, a, b, c, SL_DTYPE_FP32, ca, cb, cc, CUBLAS_COMPUTE_32F, CUDA_R_32F, true, nullptr }
    SL_FP8_ROW(SL_DTYPE_FP8_E4M3, SL_DTYPE_FP8_E4M3, SL_DTYPE_BF16, CUDA_R_8F_E4M3, CUDA_R_8F_E4M3,
               CUDA_R_16BF, "fp8_e4m3 x fp8_e4m3 -> bf16 (fp32 accumulate)"),
    SL_FP8_ROW(SL_DTYPE_FP8_E4M3, SL_DTYPE_FP8_E4M3, SL_DTYPE_FP16, CUDA_R_8F_E4M3, CUDA_R_8F_E4M3,
               CUDA_R_16F, "fp8_e4m3 x fp8_e4m3 -> fp16 (fp32 accumulate)"),
    SL_FP8_ROW(SL_DTYPE_FP8_E4M3, SL_DTYPE_FP8_E4M3, SL_DTYPE_FP32, CUDA_R_8F_E4M3, CUDA_R_8F_E4M3,
               CUDA_R_32F, "fp8_e4m3 x fp8_e4m3 -> fp32 (fp32 accumulate)"),
    SL_FP8_ROW(SL_DTYPE_FP8_E4M3, SL_DTYPE_FP8_E5M2, SL_DTYPE_BF16, CUDA_R_8F_E4M3, CUDA_R_8F_E5M2,
               CUDA_R_16BF, "fp8_e4m3 x fp8_e5m2 -> bf16 (fp32 accumulate)"),
    SL_FP8_ROW(SL_DTYPE_FP8_E5M2, SL_DTYPE_FP8_E4M3, SL_DTYPE_BF16, CUDA_R_8F_E5M2, CUDA_R_8F_E4M3,
               CUDA_R_16BF, "fp8_e5m2 x fp8_e4m3 -> bf16 (fp32 accumulate)"),
#undef SL_FP8_ROW
};

} // namespace

std::optional<cudaDataType_t> cuda_data_type(sl_dtype dtype) {
  switch (dtype) {
  case SL_DTYPE_FP64: return CUDA_R_64F;
  case SL_DTYPE_FP32:
  case SL_DTYPE_TF32: return CUDA_R_32F;
  case SL_DTYPE_FP16: return CUDA_R_16F;
  case SL_DTYPE_BF16: return CUDA_R_16BF;
  case SL_DTYPE_FP8_E4M3: return CUDA_R_8F_E4M3;
  case SL_DTYPE_FP8_E5M2: return CUDA_R_8F_E5M2;
  case SL_DTYPE_INT8: return CUDA_R_8I;
  case SL_DTYPE_UINT8: return CUDA_R_8U;
  case SL_DTYPE_INT32: return CUDA_R_32I;
  default: return std::nullopt;
  }
}

const char *compute_type_name(cublasComputeType_t type) {
  switch (type) {
  case CUBLAS_COMPUTE_64F: return "CUBLAS_COMPUTE_64F";
  case CUBLAS_COMPUTE_32F: return "CUBLAS_COMPUTE_32F";
  case CUBLAS_COMPUTE_32F_FAST_TF32: return "CUBLAS_COMPUTE_32F_FAST_TF32";
  case CUBLAS_COMPUTE_32F_FAST_16BF: return "CUBLAS_COMPUTE_32F_FAST_16BF";
  case CUBLAS_COMPUTE_32F_FAST_16F: return "CUBLAS_COMPUTE_32F_FAST_16F";
  case CUBLAS_COMPUTE_32I: return "CUBLAS_COMPUTE_32I";
  case CUBLAS_COMPUTE_16F: return "CUBLAS_COMPUTE_16F";
  default: return "other";
  }
}

const gemm_combo *find_gemm_combo(const sl_gemm_desc &d, std::string &reason) {
  for (const gemm_combo &combo : k_combos) {
    if (combo.a == d.a_type && combo.b == d.b_type && combo.c == d.c_type &&
        combo.compute == d.compute_type) {
      if (combo.refusal != nullptr) {
        reason = combo.refusal;
        return nullptr;
      }
      return &combo;
    }
  }
  if (d.compute_type == SL_DTYPE_FP32 && d.a_type == SL_DTYPE_FP32 && d.b_type == SL_DTYPE_FP32) {
    reason = "gemm: " + gemm_types_text(d) + ": fp32 inputs give fp32 outputs only";
    return nullptr;
  }
  reason = "gemm: " + gemm_types_text(d) + " is not offered by the CUDA backend (offered:";
  for (const gemm_combo &combo : k_combos) {
    if (combo.refusal == nullptr) {
      reason += std::string(" ") + combo.name + ";";
    }
  }
  reason.back() = ')';
  if (gemm_uses(d, SL_DTYPE_TF32)) {
    reason += "; tf32 is a compute type over fp32 storage and is never substituted for fp32";
  }
  return nullptr;
}

int64_t operand_elements(const sl_gemm_desc &d, char which) {
  const gemm_operand op = gemm_operand_of(d, which);
  return (d.batch - 1) * op.stride + matrix_span(op.rows, op.cols, op.ld);
}

sl_status check_gemm_desc(const sl_gemm_desc *desc, std::string &reason) {
  if (const sl_status s = plugin_kit::check_gemm_desc(desc, reason); s != SL_OK) {
    return s;
  }
  const sl_gemm_desc &d = *desc;
  if (d.batch > INT32_MAX) {
    reason = "gemm: batch = " + std::to_string(d.batch) + " exceeds cuBLASLt's int32 batch count";
    return SL_UNSUPPORTED;
  }
  return SL_OK;
}

lt_problem to_column_major(const sl_gemm_desc &d) {
  lt_problem p;
  p.m = static_cast<uint64_t>(d.n);
  p.n = static_cast<uint64_t>(d.m);
  p.k = static_cast<uint64_t>(d.k);
  p.batch = d.batch;
  // A row-major r x c matrix with pitch ld is the column-major c x r matrix with pitch ld.
  const auto view = [](const gemm_operand &op) {
    return lt_matrix{static_cast<uint64_t>(op.cols), static_cast<uint64_t>(op.rows), op.ld,
                     op.stride};
  };
  // cuBLASLt's A must be op(B)^T (n x k): B stored k x n reads as n x k (N); stored n x k
  // reads as k x n (T). Likewise cuBLASLt's B = op(A)^T (k x m).
  p.op_a = d.trans_b != 0 ? CUBLAS_OP_T : CUBLAS_OP_N;
  p.op_b = d.trans_a != 0 ? CUBLAS_OP_T : CUBLAS_OP_N;
  p.a = view(gemm_operand_of(d, 'b'));
  p.b = view(gemm_operand_of(d, 'a'));
  p.c = view(gemm_operand_of(d, 'c'));
  return p;
}

bool encode_scale(double value, cudaDataType_t scale, unsigned char (&out)[8],
                  std::string &reason) {
  std::memset(out, 0, sizeof out);
  switch (scale) {
  case CUDA_R_64F: std::memcpy(out, &value, sizeof value); return true;
  case CUDA_R_32F: {
    const auto f = static_cast<float>(value);
    if (static_cast<double>(f) != value) {
      reason = "gemm: scale " + std::to_string(value) + " is not exact in the fp32 scale type";
      return false;
    }
    std::memcpy(out, &f, sizeof f);
    return true;
  }
  case CUDA_R_32I: {
    if (value != std::trunc(value) || value < INT32_MIN || value > INT32_MAX) {
      reason = "gemm: scale " + std::to_string(value) +
               " is not an int32; integer GEMMs take integer alpha and beta";
      return false;
    }
    const auto i = static_cast<int32_t>(value);
    std::memcpy(out, &i, sizeof i);
    return true;
  }
  default: reason = "gemm: unknown scale type"; return false;
  }
}

} // namespace suanli::cuda
