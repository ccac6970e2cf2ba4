// collective_check: local validation of a collective descriptor (no communication).

#include <kernels/cpu/api.hpp>
#include <kernels/cpu/collective.hpp>

#include <climits>
#include <cstdint>

namespace suanli::cpu {

namespace {

bool offered_dtype(sl_dtype dtype) {
  switch (dtype) {
  case SL_DTYPE_FP32:
  case SL_DTYPE_FP16:
  case SL_DTYPE_BF16:
  case SL_DTYPE_FP64:
  case SL_DTYPE_INT32:
  case SL_DTYPE_INT8: return true;
  default: return false;
  }
}

// Largest count one MPI call takes: MPI-3.1 counts are int.
constexpr plugin_kit::collective_offer k_offer{"CPU", &offered_dtype,
                                               "fp32, fp16, bf16, fp64, int32, int8", INT_MAX,
                                               "one MPI call: MPI counts are int"};

} // namespace

sl_status check_collective_desc(const sl_comm &comm, const sl_collective_desc *desc,
                                const char *call, std::string &reason) {
  return plugin_kit::check_collective_desc(k_offer, comm.nranks, desc, call, reason);
}

sl_status collective_check(sl_context *ctx, const sl_comm *comm, const sl_collective_desc *desc) {
  if (const sl_status s = owned_comm(ctx, comm, "collective_check"); s != SL_OK) {
    return s;
  }
  std::string reason;
  const sl_status s = check_collective_desc(*comm, desc, "collective_check", reason);
  return s == SL_OK ? SL_OK : fail(ctx, s, std::move(reason));
}

} // namespace suanli::cpu
