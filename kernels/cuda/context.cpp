#include <kernels/cuda/context.hpp>
#include <kernels/cuda/gemm_plan.hpp>

#include <cstring>

namespace suanli::cuda {

namespace {
thread_local std::string g_thread_error; // reasons reported while no context exists
} // namespace

void stream_deleter::operator()(sl_stream *s) const noexcept {
  if (s->stream != nullptr) {
    cudaSetDevice(s->device);
    cudaStreamDestroy(s->stream);
  }
  delete s;
}

void event_deleter::operator()(sl_event *e) const noexcept {
  if (e->event != nullptr) {
    cudaSetDevice(e->device);
    cudaEventDestroy(e->event);
  }
  delete e;
}

sl_status fail(sl_context *ctx, sl_status status, std::string reason) {
  if (ctx != nullptr) {
    ctx->error = std::move(reason);
  } else {
    g_thread_error = std::move(reason);
  }
  return status;
}

const char *thread_error() {
  return g_thread_error.c_str();
}

std::string cuda_text(cudaError_t err) {
  return std::string(cudaGetErrorName(err)) + ": " + cudaGetErrorString(err);
}

sl_status cuda_fail(sl_context *ctx, cudaError_t err, const std::string &call, const char *what) {
  cudaGetLastError(); // clear a non-sticky error so the next call starts clean
  sl_status status = SL_DEVICE_ERROR;
  if (err == cudaErrorMemoryAllocation) {
    status = SL_OUT_OF_MEMORY;
  } else if (err == cudaErrorInvalidValue || err == cudaErrorInvalidDevicePointer ||
             err == cudaErrorInvalidResourceHandle || err == cudaErrorInvalidDevice) {
    status = SL_INVALID_ARGUMENT;
  }
  return fail(ctx, status, call + ": " + what + ": " + cuda_text(err));
}

sl_status lt_fail(sl_context *ctx, cublasStatus_t st, const std::string &call, const char *what) {
  const std::string text =
      std::string(cublasLtGetStatusName(st)) + " (" + cublasLtGetStatusString(st) + ")";
  return fail(ctx, st == CUBLAS_STATUS_NOT_SUPPORTED ? SL_UNSUPPORTED : SL_DEVICE_ERROR,
              call + ": " + what + ": " + text);
}

sl_status need_ctx(sl_context *ctx, const char *call) {
  return ctx == nullptr
             ? fail(nullptr, SL_INVALID_ARGUMENT, std::string(call) + ": context is NULL")
             : SL_OK;
}

sl_status check_device(sl_context *ctx, int32_t device, const char *call) {
  if (const sl_status s = need_ctx(ctx, call); s != SL_OK) {
    return s;
  }
  if (device < 0 || device >= ctx->devices) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                std::string(call) + ": device " + std::to_string(device) +
                    " does not exist (the CUDA backend sees " + std::to_string(ctx->devices) +
                    " device(s))");
  }
  return SL_OK;
}

sl_status use_device(sl_context *ctx, int32_t device, const char *call) {
  if (const sl_status s = check_device(ctx, device, call); s != SL_OK) {
    return s;
  }
  if (const cudaError_t err = cudaSetDevice(device); err != cudaSuccess) {
    return cuda_fail(ctx, err, call, "cudaSetDevice");
  }
  return SL_OK;
}

sl_status lt_handle(sl_context *ctx, int32_t device, cublasLtHandle_t *handle, const char *call) {
  device_state &state = ctx->state.at(static_cast<size_t>(device));
  if (state.lt == nullptr) {
    if (const cublasStatus_t st = cublasLtCreate(&state.lt); st != CUBLAS_STATUS_SUCCESS) {
      state.lt = nullptr;
      return lt_fail(ctx, st, call, "cublasLtCreate");
    }
  }
  *handle = state.lt;
  return SL_OK;
}

const allocation *find_range(sl_context *ctx, const void *ptr, uint64_t bytes, const char *call,
                             const char *what) {
  const auto at = reinterpret_cast<uintptr_t>(ptr);
  auto it = ctx->allocations.upper_bound(at);
  if (ptr != nullptr && it != ctx->allocations.begin()) {
    --it;
    const uint64_t offset = at - it->first;
    if (offset <= it->second.bytes && bytes <= it->second.bytes - offset) {
      return &it->second;
    }
  }
  fail(ctx, SL_INVALID_ARGUMENT,
       std::string(call) + ": " + what + " (" + std::to_string(bytes) +
           " bytes) is not inside a block from mem_alloc of this context");
  return nullptr;
}

sl_status copy_text(sl_context *ctx, const std::string &text, char *buf, size_t buf_size,
                    const char *call) {
  if (buf == nullptr || buf_size == 0) {
    return fail(ctx, SL_INVALID_ARGUMENT, std::string(call) + ": output buffer is NULL or empty");
  }
  const size_t n = text.size() < buf_size - 1 ? text.size() : buf_size - 1;
  std::memcpy(buf, text.data(), n);
  buf[n] = '\0';
  if (n < text.size()) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                std::string(call) + ": output buffer of " + std::to_string(buf_size) +
                    " bytes is too small, " + std::to_string(text.size() + 1) + " needed");
  }
  return SL_OK;
}

} // namespace suanli::cuda

sl_context::~sl_context() {
  plans.clear();
  events.clear();
  streams.clear();
  for (const auto &[address, block] : allocations) {
    cudaSetDevice(block.device);
    cudaFree(reinterpret_cast<void *>(address));
  }
  for (size_t d = 0; d < state.size(); ++d) {
    if (state[d].lt != nullptr) {
      cudaSetDevice(static_cast<int>(d));
      cublasLtDestroy(state[d].lt);
    }
  }
}
