// Collective descriptor validation and its NCCL mapping, NCCL results and versions as text.

#include <kernels/cuda/collective_desc.hpp>

namespace suanli::cuda {

std::optional<ncclDataType_t> nccl_data_type(sl_dtype dtype) {
  switch (dtype) {
  case SL_DTYPE_FP32: return ncclFloat32;
  case SL_DTYPE_FP16: return ncclFloat16;
  case SL_DTYPE_BF16: return ncclBfloat16;
  case SL_DTYPE_FP64: return ncclFloat64;
  case SL_DTYPE_INT32: return ncclInt32;
  case SL_DTYPE_INT8: return ncclInt8;
  default: return std::nullopt;
  }
}

std::optional<ncclRedOp_t> nccl_red_op(int32_t reduce) {
  switch (reduce) {
  case SL_REDUCE_SUM: return ncclSum;
  case SL_REDUCE_PROD: return ncclProd;
  case SL_REDUCE_MIN: return ncclMin;
  case SL_REDUCE_MAX: return ncclMax;
  default: return std::nullopt;
  }
}

namespace {

bool offered_dtype(sl_dtype dtype) {
  return nccl_data_type(dtype).has_value();
}

// NCCL counts are size_t: no count limit beyond the size arithmetic.
constexpr plugin_kit::collective_offer k_offer{"CUDA", &offered_dtype,
                                               "fp32, fp16, bf16, fp64, int32, int8"};

} // namespace

sl_status check_collective_desc(int32_t nranks, const sl_collective_desc *desc, const char *call,
                                std::string &reason) {
  return plugin_kit::check_collective_desc(k_offer, nranks, desc, call, reason);
}

sl_status nccl_status(ncclResult_t result) {
  switch (result) {
  case ncclSuccess: return SL_OK;
  case ncclInvalidArgument:
  case ncclInvalidUsage: return SL_INVALID_ARGUMENT;
  default: return SL_DEVICE_ERROR;
  }
}

std::string nccl_result_name(ncclResult_t result) {
  switch (result) {
  case ncclSuccess: return "ncclSuccess";
  case ncclUnhandledCudaError: return "ncclUnhandledCudaError";
  case ncclSystemError: return "ncclSystemError";
  case ncclInternalError: return "ncclInternalError";
  case ncclInvalidArgument: return "ncclInvalidArgument";
  case ncclInvalidUsage: return "ncclInvalidUsage";
  case ncclRemoteError: return "ncclRemoteError";
  case ncclInProgress: return "ncclInProgress";
  default: return "ncclResult " + std::to_string(static_cast<int>(result));
  }
}

std::string nccl_version_text(int code) {
  if (code <= 0) {
    return "none";
  }
  const bool old = code < 10000; // before 2.9: 1000 * major + 100 * minor + patch
  const int major = old ? code / 1000 : code / 10000;
  const int minor = old ? code % 1000 / 100 : code % 10000 / 100;
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(code % 100);
}

} // namespace suanli::cuda
