#pragma once
// Collectives of the CUDA backend over NCCL (ABI 1.2): the communicator handle and the helpers
// the collective calls share (ownership, NCCL availability and errors). The plugin never
// bootstraps across processes itself: the host sends rank 0's unique id to every rank over MPI.

#include <kernels/cuda/context.hpp>
#include <kernels/cuda/nccl.hpp>

#include <cstdint>
#include <string>

/// A communicator: one NCCL communicator on one device, created by ncclCommInitRank. The work of
/// collective_run goes on the sl_stream passed to it, so the comm owns no stream.
struct sl_comm {
  int32_t device = 0;        ///< CUDA device of this rank
  int32_t rank = 0;          ///< this process's rank in the communicator
  int32_t nranks = 1;        ///< ranks in the communicator
  ncclComm_t nccl = nullptr; ///< owned; NULL once destroyed
};

namespace suanli::cuda {

/// SL_OK when ctx is non-NULL and owns comm, else SL_INVALID_ARGUMENT with a reason.
sl_status owned_comm(sl_context *ctx, const sl_comm *comm, const char *call);

/// The loaded NCCL, or NULL with SL_UNSUPPORTED recorded on ctx ("call: NCCL is not available:
/// <why>", naming libnccl.so.2).
const nccl_library *need_nccl(sl_context *ctx, const char *call);

/// Fail with the status an NCCL result maps to (nccl_status), the reason naming call, what and
/// NCCL's text for the result.
sl_status nccl_fail(sl_context *ctx, ncclResult_t result, const std::string &call,
                    const std::string &what, ncclComm_t comm = nullptr);

/// Release an NCCL communicator on device: ncclCommAbort when it has an asynchronous error
/// (ncclCommDestroy could wait forever on a failed peer), else ncclCommDestroy. Returns the
/// result of the call made; the name of that call in called.
ncclResult_t release_nccl_comm(int32_t device, ncclComm_t comm, const char *&called);

} // namespace suanli::cuda
