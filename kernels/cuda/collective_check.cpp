// collective_check: local validation of a collective descriptor (no communication, no NCCL call).

#include <kernels/cuda/api.hpp>
#include <kernels/cuda/collective.hpp>
#include <kernels/cuda/collective_desc.hpp>

namespace suanli::cuda {

sl_status collective_check(sl_context *ctx, const sl_comm *comm, const sl_collective_desc *desc) {
  if (const sl_status s = owned_comm(ctx, comm, "collective_check"); s != SL_OK) {
    return s;
  }
  return guarded(ctx, "collective_check", [&] {
    std::string reason;
    const sl_status s = check_collective_desc(comm->nranks, desc, "collective_check", reason);
    return s == SL_OK ? SL_OK : fail(ctx, s, std::move(reason));
  });
}

} // namespace suanli::cuda
