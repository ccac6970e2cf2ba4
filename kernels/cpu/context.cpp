#include <kernels/cpu/context.hpp>

#include <cblas.h>
#include <omp.h>

#include <cstring>
#include <ctime>

namespace suanli::cpu {

namespace {
thread_local std::string g_thread_error; // reasons reported while no context exists
} // namespace

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

sl_status check_device(sl_context *ctx, int32_t device, const char *call) {
  if (ctx == nullptr) {
    return fail(nullptr, SL_INVALID_ARGUMENT, std::string(call) + ": context is NULL");
  }
  if (device != 0) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                std::string(call) + ": device " + std::to_string(device) +
                    " does not exist (the CPU backend has one device, index 0)");
  }
  return SL_OK;
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

void apply_threads(const sl_context &ctx) {
  if (omp_get_max_threads() != ctx.threads) {
    omp_set_num_threads(ctx.threads);
  }
  if (openblas_get_num_threads() != ctx.threads) {
    openblas_set_num_threads(ctx.threads);
  }
}

uint64_t monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

} // namespace suanli::cpu
