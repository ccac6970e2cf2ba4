#pragma once
// Helpers for the CUDA plugin tests: load libsuanli-cuda.so like the host does, skip with the
// plugin's reason when no driver or device is usable, own device buffers, run a GEMM against a
// naive double reference.

#include <kernels/abi/suanli_backend.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace suanli::gpu_test {

/// The plugin's table, loaded once per process with dlopen + SL_ENTRY_SYMBOL.
const sl_backend_api &api();

/// Why the GPU tests cannot run here (init failed, or no device); nullopt when they can.
std::optional<std::string> unavailable();

/// GTEST_SKIP with the reason when the plugin has no usable device.
#define SUANLI_REQUIRE_GPU()                                                                       \
  do {                                                                                             \
    if (const auto why_ = ::suanli::gpu_test::unavailable()) {                                     \
      GTEST_SKIP() << "GPU tests skipped: " << *why_;                                              \
    }                                                                                              \
  } while (0)

/// A context for a test's lifetime (init must succeed: call after SUANLI_REQUIRE_GPU).
class context {
public:
  context();
  ~context();
  context(const context &) = delete;
  context &operator=(const context &) = delete;

  sl_context *get() const { return ctx_; } ///< the handle
  std::string error() const;               ///< last_error(ctx)

private:
  sl_context *ctx_ = nullptr;
};

/// A device buffer from mem_alloc on device 0, freed at scope exit.
class buffer {
public:
  buffer(const context &ctx, uint64_t bytes);
  ~buffer();
  buffer(const buffer &) = delete;
  buffer &operator=(const buffer &) = delete;

  void *data() const { return ptr_; }       ///< device pointer
  uint64_t bytes() const { return bytes_; } ///< size [bytes]
  /// A host copy of the contents (memcpy_d2h).
  std::vector<unsigned char> copy() const;
  /// Overwrite the contents with bytes from host memory (memcpy_h2d).
  void upload(const std::vector<unsigned char> &bytes) const;

private:
  const context &ctx_;
  void *ptr_ = nullptr;
  uint64_t bytes_ = 0;
};

/// Element i of a host copy of dtype, as a double (exact for every dtype, fp8 included).
double decode(const void *data, sl_dtype dtype, uint64_t i);

/// A GEMM test case: dtypes, shape, transposes, padding of leading dims, batch, scalars.
struct gemm_case {
  sl_dtype a, b, c, compute;
  int64_t m, n, k;
  int32_t trans_a, trans_b;
  int64_t pad; ///< added to every leading dimension and batch stride [elements]
  int64_t batch;
  double alpha, beta;
};

/// The descriptor for a case: leading dims = natural + pad, strides = span + pad.
sl_gemm_desc make_desc(const gemm_case &c);

/// Outcome of running a case through the plugin.
struct gemm_outcome {
  sl_status status = SL_OK;    ///< of gemm_plan_create
  std::string reason;          ///< last_error when status is not OK
  std::string describe;        ///< gemm_plan_describe
  int64_t checked = 0;         ///< output elements compared with the reference
  int64_t wrong = 0;           ///< of those, outside the tolerance
  double max_error = 0;        ///< largest |got - reference|
  int64_t padding_changed = 0; ///< bytes of C outside the output elements that changed
};

/// Fill A, B, C on the device (C: 0xff bytes when beta = 0, NaN in every float type), run the
/// GEMM on a stream, and compare every output element with a naive double reference, with a
/// tolerance from the input, compute and output types.
gemm_outcome run_gemm(const context &ctx, const gemm_case &c);

} // namespace suanli::gpu_test
