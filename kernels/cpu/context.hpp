#pragma once
// Plugin-side definitions of the ABI's opaque handles and the error helpers every call uses.

#include <kernels/abi/suanli_backend.h>
#include <kernels/cpu/cpu_info.hpp>

#include <dnnl.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

/// A stream: work runs synchronously on the calling thread at enqueue.
struct sl_stream {
  int32_t device = 0; ///< always 0: the host CPU
};

/// An event: a CLOCK_MONOTONIC timestamp taken at event_record.
struct sl_event {
  bool recorded = false;     ///< set by event_record
  uint64_t timestamp_ns = 0; ///< CLOCK_MONOTONIC at record time [ns]
};

struct sl_gemm_plan;      // gemm_plan.hpp
struct sl_attention_plan; // attention_plan.hpp
struct sl_comm;           // collective.hpp

/// Per-init state: options, probed CPU, oneDNN engine, and every handle the context owns.
struct sl_context {
  sl_context();
  ~sl_context();
  sl_context(const sl_context &) = delete;
  sl_context &operator=(const sl_context &) = delete;

  std::string error;                    ///< reason for the last non-OK status
  int32_t threads = 1;                  ///< OpenMP and OpenBLAS threads in use
  bool fault_corrupt_gemm = false;      ///< SUANLI_CPU_FAULT=corrupt_gemm_output (tests only)
  bool fault_corrupt_attention = false; ///< SUANLI_CPU_FAULT=corrupt_attention_output (tests)
  std::string attention_isa; ///< SUANLI_CPU_ISA: cap on the attention kernels' ISA; "" = best
  suanli::cpu::cpu_info cpu; ///< probed at init
  dnnl::engine engine;       ///< oneDNN CPU engine
  dnnl::stream stream;       ///< oneDNN stream (in-order, synchronous)
  std::unordered_map<void *, uint64_t> allocations; ///< live mem_alloc blocks -> size [bytes]
  std::unordered_map<sl_stream *, std::unique_ptr<sl_stream>> streams;     ///< live streams
  std::unordered_map<sl_event *, std::unique_ptr<sl_event>> events;        ///< live events
  std::unordered_map<sl_gemm_plan *, std::unique_ptr<sl_gemm_plan>> plans; ///< live plans
  std::unordered_map<sl_attention_plan *, std::unique_ptr<sl_attention_plan>>
      attention_plans; ///< live attention plans

  // Collectives (ABI 1.2, collective_*.cpp)
  bool fault_corrupt_collective = false; ///< SUANLI_CPU_FAULT=corrupt_collective_output (tests)
  bool collective_user = false; ///< made a communicator: holds the process's MPI reduction ops
  std::unordered_map<sl_comm *, std::unique_ptr<sl_comm>> comms; ///< live communicators
};

namespace suanli::cpu {

/// Record reason as the last error of ctx (or of this thread when ctx is NULL); returns status.
sl_status fail(sl_context *ctx, sl_status status, std::string reason);

/// The thread-local reason used while no context exists.
const char *thread_error();

/// SL_OK when ctx is non-NULL and device is 0, else SL_INVALID_ARGUMENT with a reason.
sl_status check_device(sl_context *ctx, int32_t device, const char *call);

/// Copy text into buf (always NUL-terminated); SL_INVALID_ARGUMENT when it does not fit.
sl_status copy_text(sl_context *ctx, const std::string &text, char *buf, size_t buf_size,
                    const char *call);

/// Make the calling thread's OpenMP team and OpenBLAS use ctx->threads.
void apply_threads(const sl_context &ctx);

/// Current CLOCK_MONOTONIC time [ns].
uint64_t monotonic_ns();

/// Run body, turning exceptions into a status with a reason naming call.
template <class F> sl_status guarded(sl_context *ctx, const char *call, F &&body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc &) {
    return fail(ctx, SL_OUT_OF_MEMORY, std::string(call) + ": out of host memory");
  } catch (const dnnl::error &e) {
    return fail(ctx, SL_DEVICE_ERROR, std::string(call) + ": oneDNN error: " + e.what());
  } catch (const std::exception &e) {
    return fail(ctx, SL_INTERNAL_ERROR, std::string(call) + ": " + e.what());
  } catch (...) {
    return fail(ctx, SL_INTERNAL_ERROR, std::string(call) + ": unknown exception");
  }
}

} // namespace suanli::cpu
