#pragma once
// Helpers for the CPU plugin tests: load libsuanli-cpu.so like the host does, own a context,
// allocate, fill and decode buffers, and run a GEMM against a naive double reference.

#include <kernels/abi/suanli_backend.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace suanli::cpu_test {

/// The plugin's table, loaded once per process with dlopen + SL_ENTRY_SYMBOL.
const sl_backend_api &api();

/// A context for a test's lifetime.
class context {
public:
  /// init with the given thread count (0 = all cores); fails the test on error.
  explicit context(int32_t threads = 0);
  ~context();
  context(const context &) = delete;
  context &operator=(const context &) = delete;

  sl_context *get() const { return ctx_; } ///< the handle
  std::string error() const;               ///< last_error(ctx)

private:
  sl_context *ctx_ = nullptr;
};

/// A buffer from mem_alloc, freed at scope exit.
class buffer {
public:
  buffer(const context &ctx, uint64_t bytes);
  ~buffer();
  buffer(const buffer &) = delete;
  buffer &operator=(const buffer &) = delete;

  void *data() const { return ptr_; }       ///< host-addressable pointer
  uint64_t bytes() const { return bytes_; } ///< size [bytes]
  /// A copy of the contents.
  std::vector<unsigned char> copy() const;

private:
  const context &ctx_;
  void *ptr_ = nullptr;
  uint64_t bytes_ = 0;
};

/// Element i of a buffer of dtype, as a double (exact for every dtype used here).
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
  sl_status status = SL_OK;    ///< of gemm_plan_create (then gemm_run)
  std::string reason;          ///< last_error when status is not OK
  std::string describe;        ///< gemm_plan_describe
  int64_t checked = 0;         ///< output elements compared with the reference
  int64_t wrong = 0;           ///< of those, outside the tolerance
  double max_error = 0;        ///< largest |got - reference|
  int64_t padding_changed = 0; ///< bytes of C outside the output elements that changed
  std::vector<double> output;  ///< C of batch entry 0, row-major m x n
};

/// Fill A, B, C with the plugin's fill (C: NaN bytes when beta = 0, so a read shows), run
/// the GEMM, and compare every output element with a naive double reference.
gemm_outcome run_gemm(const context &ctx, const gemm_case &c);

} // namespace suanli::cpu_test
