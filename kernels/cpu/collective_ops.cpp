// MPI datatypes and reductions of the collective dtypes. fp16 and bf16 travel as MPI_UINT16_T
// elements; their reductions are user-defined commutative MPI_Ops that convert to float,
// combine and round back to nearest even (exact for the suite's small-integer inputs). The
// ops are created once per process on first use and freed when the last context that made a
// communicator is finalized, while MPI is still up.

#include <kernels/cpu/collective.hpp>
#include <kernels/cpu/half.hpp>

#include <array>
#include <cstddef>
#include <mutex>

namespace suanli::cpu {

namespace {

// Combine in into inout elementwise: inout[i] = in[i] (reduce) inout[i].
template <bool Bf16, sl_reduce_op Reduce>
void combine_half(void *in, void *inout, int *len, MPI_Datatype *) {
  const auto *a = static_cast<const uint16_t *>(in);
  auto *b = static_cast<uint16_t *>(inout);
  for (int i = 0; i < *len; ++i) {
    const float x = Bf16 ? bf16_to_float(a[i]) : fp16_to_float(a[i]);
    const float y = Bf16 ? bf16_to_float(b[i]) : fp16_to_float(b[i]);
    if constexpr (Reduce == SL_REDUCE_MIN) {
      b[i] = x < y ? a[i] : b[i]; // keep the winner's bits: exact
    } else if constexpr (Reduce == SL_REDUCE_MAX) {
      b[i] = x > y ? a[i] : b[i];
    } else {
      const float r = Reduce == SL_REDUCE_SUM ? x + y : x * y;
      b[i] = Bf16 ? float_to_bf16(r) : float_to_fp16(r);
    }
  }
}

constexpr size_t k_reductions = 4; // sum, prod, min, max

// The user functions, [bf16][reduce - 1].
constexpr std::array<std::array<MPI_User_function *, k_reductions>, 2> k_functions = {{
    {combine_half<false, SL_REDUCE_SUM>, combine_half<false, SL_REDUCE_PROD>,
     combine_half<false, SL_REDUCE_MIN>, combine_half<false, SL_REDUCE_MAX>},
    {combine_half<true, SL_REDUCE_SUM>, combine_half<true, SL_REDUCE_PROD>,
     combine_half<true, SL_REDUCE_MIN>, combine_half<true, SL_REDUCE_MAX>},
}};

// The process's user-defined ops and the contexts holding them.
struct half_ops {
  std::mutex mutex;
  std::array<std::array<MPI_Op, k_reductions>, 2> ops{};
  std::array<std::array<bool, k_reductions>, 2> created{};
  int holders = 0;
};

half_ops &registry() {
  static half_ops r;
  return r;
}

MPI_Op predefined_op(sl_reduce_op reduce) {
  switch (reduce) {
  case SL_REDUCE_PROD: return MPI_PROD;
  case SL_REDUCE_MIN: return MPI_MIN;
  case SL_REDUCE_MAX: return MPI_MAX;
  default: return MPI_SUM;
  }
}

} // namespace

MPI_Datatype mpi_datatype(sl_dtype dtype) {
  switch (dtype) {
  case SL_DTYPE_FP64: return MPI_DOUBLE;
  case SL_DTYPE_FP32: return MPI_FLOAT;
  case SL_DTYPE_INT32: return MPI_INT32_T;
  case SL_DTYPE_INT8: return MPI_INT8_T;
  case SL_DTYPE_FP16:
  case SL_DTYPE_BF16: return MPI_UINT16_T;
  default: return MPI_DATATYPE_NULL;
  }
}

sl_status mpi_reduce_op(sl_dtype dtype, sl_reduce_op reduce, MPI_Op &op, std::string &reason) {
  if (dtype != SL_DTYPE_FP16 && dtype != SL_DTYPE_BF16) {
    op = predefined_op(reduce);
    return SL_OK;
  }
  const size_t kind = dtype == SL_DTYPE_BF16 ? 1 : 0;
  const auto which = static_cast<size_t>(reduce) - 1;
  half_ops &r = registry();
  const std::lock_guard<std::mutex> lock(r.mutex);
  if (!r.created[kind][which]) {
    if (const int rc = MPI_Op_create(k_functions[kind][which], 1, &r.ops[kind][which]);
        rc != MPI_SUCCESS) {
      char text[MPI_MAX_ERROR_STRING] = {};
      int length = 0;
      MPI_Error_string(rc, text, &length);
      reason = std::string("MPI_Op_create (") + (kind == 1 ? "bf16" : "fp16") +
               " reduction) failed: " + text;
      return SL_DEVICE_ERROR;
    }
    r.created[kind][which] = true;
  }
  op = r.ops[kind][which];
  return SL_OK;
}

void hold_reduce_ops() {
  half_ops &r = registry();
  const std::lock_guard<std::mutex> lock(r.mutex);
  ++r.holders;
}

void release_reduce_ops() {
  half_ops &r = registry();
  const std::lock_guard<std::mutex> lock(r.mutex);
  if (--r.holders > 0) {
    return;
  }
  const bool alive = mpi_alive();
  for (size_t kind = 0; kind < r.ops.size(); ++kind) {
    for (size_t which = 0; which < k_reductions; ++which) {
      if (r.created[kind][which] && alive) {
        MPI_Op_free(&r.ops[kind][which]);
      }
      r.created[kind][which] = false;
    }
  }
}

} // namespace suanli::cpu
