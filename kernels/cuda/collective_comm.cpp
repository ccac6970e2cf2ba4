// Communicators: NCCL's unique id (created on rank 0, sent to every rank by the host over MPI)
// and comm_init, which makes the device current and calls ncclCommInitRank. ncclCommInitRank
// blocks until all nranks have joined with the same id.

#include <kernels/cuda/api.hpp>
#include <kernels/cuda/collective.hpp>
#include <kernels/cuda/collective_desc.hpp>

#include <cstring>

namespace suanli::cuda {

namespace {

constexpr uint64_t k_id_bytes = sizeof(ncclUniqueId);

std::string id_size_text(uint64_t bytes) {
  return "bytes = " + std::to_string(bytes) + ", expected " + std::to_string(k_id_bytes) +
         " (comm_unique_id_size: sizeof(ncclUniqueId))";
}

} // namespace

void comm_deleter::operator()(sl_comm *c) const noexcept {
  if (c->nccl != nullptr) {
    const char *called = nullptr;
    release_nccl_comm(c->device, c->nccl, called);
  }
  delete c;
}

ncclResult_t release_nccl_comm(int32_t device, ncclComm_t comm, const char *&called) {
  const nccl_api &f = nccl().fn; // a comm exists, so NCCL is loaded
  cudaSetDevice(device);
  ncclResult_t async = ncclSuccess;
  if (f.comm_get_async_error(comm, &async) != ncclSuccess ||
      (async != ncclSuccess && async != ncclInProgress)) {
    called = "ncclCommAbort";
    return f.comm_abort(comm);
  }
  called = "ncclCommDestroy";
  return f.comm_destroy(comm);
}

sl_status owned_comm(sl_context *ctx, const sl_comm *comm, const char *call) {
  if (const sl_status s = need_ctx(ctx, call); s != SL_OK) {
    return s;
  }
  if (comm == nullptr || ctx->comms.count(const_cast<sl_comm *>(comm)) == 0) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                std::string(call) + ": communicator is NULL or not owned by this context");
  }
  return SL_OK;
}

const nccl_library *need_nccl(sl_context *ctx, const char *call) {
  const nccl_library &lib = nccl();
  if (!lib.available) {
    fail(ctx, SL_UNSUPPORTED,
         std::string(call) +
             ": the CUDA backend's collectives need NCCL (libnccl.so.2): " + lib.note);
    return nullptr;
  }
  return &lib;
}

sl_status nccl_fail(sl_context *ctx, ncclResult_t result, const std::string &call,
                    const std::string &what, ncclComm_t comm) {
  return fail(ctx, nccl_status(result),
              call + ": " + what + " failed: " + nccl_error_text(result, comm));
}

sl_status comm_unique_id_size(sl_context *ctx, uint64_t *bytes) {
  if (const sl_status s = need_ctx(ctx, "comm_unique_id_size"); s != SL_OK) {
    return s;
  }
  if (bytes == nullptr) {
    return fail(ctx, SL_INVALID_ARGUMENT, "comm_unique_id_size: output pointer is NULL");
  }
  *bytes = 0;
  if (need_nccl(ctx, "comm_unique_id_size") == nullptr) {
    return SL_UNSUPPORTED;
  }
  *bytes = k_id_bytes;
  return SL_OK;
}

sl_status comm_unique_id(sl_context *ctx, void *id, uint64_t bytes) {
  if (const sl_status s = need_ctx(ctx, "comm_unique_id"); s != SL_OK) {
    return s;
  }
  const nccl_library *lib = need_nccl(ctx, "comm_unique_id");
  if (lib == nullptr) {
    return SL_UNSUPPORTED;
  }
  if (id == nullptr || bytes != k_id_bytes) {
    return fail(ctx, SL_INVALID_ARGUMENT, "comm_unique_id: id is NULL or " + id_size_text(bytes));
  }
  ncclUniqueId made{};
  if (const ncclResult_t r = lib->fn.get_unique_id(&made); r != ncclSuccess) {
    return nccl_fail(ctx, r, "comm_unique_id", "ncclGetUniqueId");
  }
  std::memcpy(id, &made, k_id_bytes);
  return SL_OK;
}

sl_status comm_init(sl_context *ctx, int32_t device, int32_t rank, int32_t nranks, const void *id,
                    uint64_t bytes, sl_comm **comm) {
  if (const sl_status s = check_device(ctx, device, "comm_init"); s != SL_OK) {
    return s;
  }
  if (comm == nullptr) {
    return fail(ctx, SL_INVALID_ARGUMENT, "comm_init: comm output pointer is NULL");
  }
  *comm = nullptr;
  const nccl_library *lib = need_nccl(ctx, "comm_init");
  if (lib == nullptr) {
    return SL_UNSUPPORTED;
  }
  if (nranks < 1 || rank < 0 || rank >= nranks) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                "comm_init: rank = " + std::to_string(rank) + " of nranks = " +
                    std::to_string(nranks) + ", expected nranks >= 1 and 0 <= rank < nranks");
  }
  if (id == nullptr || bytes != k_id_bytes) {
    return fail(ctx, SL_INVALID_ARGUMENT, "comm_init: id is NULL or " + id_size_text(bytes));
  }
  if (const sl_status s = use_device(ctx, device, "comm_init"); s != SL_OK) {
    return s;
  }
  return guarded(ctx, "comm_init", [&]() -> sl_status {
    std::unique_ptr<sl_comm, comm_deleter> created(new sl_comm{device, rank, nranks, nullptr});
    ncclUniqueId unique{};
    std::memcpy(&unique, id, k_id_bytes);
    if (const ncclResult_t r = lib->fn.comm_init_rank(&created->nccl, nranks, unique, rank);
        r != ncclSuccess) {
      created->nccl = nullptr;
      return nccl_fail(ctx, r, "comm_init",
                       "ncclCommInitRank (rank " + std::to_string(rank) + " of " +
                           std::to_string(nranks) + " on device " + std::to_string(device) + ")");
    }
    sl_comm *raw = created.get();
    ctx->comms.emplace(raw, std::move(created));
    *comm = raw;
    return SL_OK;
  });
}

sl_status comm_destroy(sl_context *ctx, sl_comm *comm) {
  if (const sl_status s = owned_comm(ctx, comm, "comm_destroy"); s != SL_OK) {
    return s;
  }
  ncclResult_t r = ncclSuccess;
  const char *called = "ncclCommDestroy";
  if (comm->nccl != nullptr) {
    r = release_nccl_comm(comm->device, comm->nccl, called);
    comm->nccl = nullptr; // released or not, it is not called again
  }
  ctx->comms.erase(comm);
  return r == ncclSuccess ? SL_OK : nccl_fail(ctx, r, "comm_destroy", called);
}

} // namespace suanli::cuda
