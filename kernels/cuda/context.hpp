#pragma once
// Plugin-side definitions of the ABI's opaque handles and the error helpers every call uses.

#include <kernels/abi/suanli_backend.h>
#include <kernels/cuda/nvml.hpp>

#include <cublasLt.h>
#include <cuda_runtime_api.h>

#include <cstdint>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <unordered_map>
#include <vector>

/// A stream: a blocking CUDA stream (ordered with the synchronous copies) on one device.
struct sl_stream {
  int32_t device = 0;            ///< device the stream belongs to
  cudaStream_t stream = nullptr; ///< owned
};

/// An event: a CUDA event with timing enabled.
struct sl_event {
  int32_t device = 0;          ///< device the event belongs to
  cudaEvent_t event = nullptr; ///< owned
  bool recorded = false;       ///< set by event_record
};

struct sl_gemm_plan; // gemm_plan.hpp

namespace suanli::cuda {

/// One live mem_alloc block.
struct allocation {
  int32_t device = 0; ///< owning device
  uint64_t bytes = 0; ///< size asked for [bytes]
};

/// Per-device state created on first use.
struct device_state {
  cublasLtHandle_t lt = nullptr; ///< cuBLASLt handle (created lazily on this device)
};

/// Deleters for the owned CUDA handles.
struct stream_deleter {
  void operator()(sl_stream *s) const noexcept; ///< cudaStreamDestroy, then delete
};
struct event_deleter {
  void operator()(sl_event *e) const noexcept; ///< cudaEventDestroy, then delete
};
struct plan_deleter {
  void operator()(sl_gemm_plan *p) const noexcept; ///< cuBLASLt descriptors, then delete
};
struct comm_deleter {
  void operator()(sl_comm *c) const noexcept; ///< ncclCommDestroy (or abort), then delete
};

} // namespace suanli::cuda

/// Per-init state: devices, NVML, and every handle the context owns.
/// finalize releases the communicators first, while their streams and buffers still exist.
struct sl_context {
  sl_context() = default;
  ~sl_context();
  sl_context(const sl_context &) = delete;
  sl_context &operator=(const sl_context &) = delete;

  std::string error;                             ///< reason for the last non-OK status
  int32_t devices = 0;                           ///< cudaGetDeviceCount at init
  std::vector<suanli::cuda::device_state> state; ///< one per device
  suanli::cuda::nvml nvml;                       ///< NVML through dlopen (may be absent)
  std::map<uintptr_t, suanli::cuda::allocation> allocations; ///< device address -> block
  std::unordered_map<sl_stream *, std::unique_ptr<sl_stream, suanli::cuda::stream_deleter>>
      streams; ///< live streams
  std::unordered_map<sl_event *, std::unique_ptr<sl_event, suanli::cuda::event_deleter>>
      events; ///< live events
  std::unordered_map<sl_gemm_plan *, std::unique_ptr<sl_gemm_plan, suanli::cuda::plan_deleter>>
      plans; ///< live plans
  std::unordered_map<sl_comm *, std::unique_ptr<sl_comm, suanli::cuda::comm_deleter>>
      comms;                       ///< live NCCL communicators (collective_comm.cpp)
  std::shared_ptr<void> attention; ///< attention_state (attention_plan.hpp), made by the first
                                   ///< attention plan; destroyed after the destructor's body
};

namespace suanli::cuda {

/// Record reason as the last error of ctx (or of this thread when ctx is NULL); returns status.
sl_status fail(sl_context *ctx, sl_status status, std::string reason);

/// The thread-local reason used while no context exists.
const char *thread_error();

/// "cudaErrorX: text" for a CUDA runtime error.
std::string cuda_text(cudaError_t err);

/// Fail with the status a CUDA error maps to (out of memory, invalid argument, device error),
/// the reason naming call and what; clears the runtime's last (non-sticky) error.
sl_status cuda_fail(sl_context *ctx, cudaError_t err, const std::string &call, const char *what);

/// Fail with a cuBLASLt status: SL_UNSUPPORTED for NOT_SUPPORTED, else SL_DEVICE_ERROR.
sl_status lt_fail(sl_context *ctx, cublasStatus_t st, const std::string &call, const char *what);

/// SL_OK when ctx is non-NULL and device exists, else SL_INVALID_ARGUMENT with a reason.
sl_status check_device(sl_context *ctx, int32_t device, const char *call);

/// check_device, then cudaSetDevice(device).
sl_status use_device(sl_context *ctx, int32_t device, const char *call);

/// The CUDA stream for work on device: stream's (checked to be owned and on that device), or
/// the legacy default stream when stream is NULL; makes device current.
sl_status stream_of(sl_context *ctx, sl_stream *stream, int32_t device, cudaStream_t *out,
                    const char *call);

/// The cuBLASLt handle of device (created on first use; cudaSetDevice must have been called).
sl_status lt_handle(sl_context *ctx, int32_t device, cublasLtHandle_t *handle, const char *call);

/// The allocation holding [ptr, ptr + bytes), or NULL with SL_INVALID_ARGUMENT recorded.
const allocation *find_range(sl_context *ctx, const void *ptr, uint64_t bytes, const char *call,
                             const char *what);

/// Copy text into buf (always NUL-terminated); SL_INVALID_ARGUMENT when it does not fit.
sl_status copy_text(sl_context *ctx, const std::string &text, char *buf, size_t buf_size,
                    const char *call);

/// SL_INVALID_ARGUMENT with "call: context is NULL" when ctx is NULL.
sl_status need_ctx(sl_context *ctx, const char *call);

/// Run body, turning exceptions into a status with a reason naming call.
template <class F> sl_status guarded(sl_context *ctx, const char *call, F &&body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc &) {
    return fail(ctx, SL_OUT_OF_MEMORY, std::string(call) + ": out of host memory");
  } catch (const std::exception &e) {
    return fail(ctx, SL_INTERNAL_ERROR, std::string(call) + ": " + e.what());
  } catch (...) {
    return fail(ctx, SL_INTERNAL_ERROR, std::string(call) + ": unknown exception");
  }
}

} // namespace suanli::cuda
