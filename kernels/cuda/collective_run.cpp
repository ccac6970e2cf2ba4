// collective_run: one collective enqueued with NCCL on the caller's stream (asynchronous: the
// host records events around it or syncs the stream). NCCL's buffer conventions and in-place
// forms are the ABI's, so the pointers pass through unchanged; sendrecv is the ring (send to
// rank + 1, receive from rank - 1) as one ncclSend/ncclRecv group, and all_to_all falls back to
// a group of sends and receives where the loaded NCCL has no ncclAlltoAll (before 2.28).

#include <kernels/cuda/api.hpp>
#include <kernels/cuda/collective.hpp>
#include <kernels/cuda/collective_buffers.hpp>
#include <kernels/cuda/collective_desc.hpp>
#include <kernels/plugin_kit/gemm_desc_check.hpp>

namespace suanli::cuda {

namespace {

// One call's arguments as NCCL takes them.
struct nccl_call {
  const nccl_api &f;
  const sl_comm &comm;
  const sl_collective_desc &desc;
  const void *send;
  void *recv;
  ncclDataType_t type;
  ncclRedOp_t op;
  cudaStream_t stream;
};

// ncclSend/ncclRecv in one group: the sendrecv ring, or all_to_all block by block. The group is
// always closed; the first failing result is returned.
ncclResult_t grouped(const nccl_call &c, bool all_to_all) {
  const nccl_api &f = c.f;
  if (const ncclResult_t r = f.group_start(); r != ncclSuccess) {
    return r;
  }
  ncclResult_t first = ncclSuccess;
  const auto keep = [&first](ncclResult_t r) {
    if (first == ncclSuccess) {
      first = r;
    }
  };
  const size_t count = c.desc.count;
  const int n = c.comm.nranks;
  if (all_to_all) {
    const size_t block = count * sl_dtype_size(c.desc.dtype); // [bytes]
    const auto *send = static_cast<const unsigned char *>(c.send);
    auto *recv = static_cast<unsigned char *>(c.recv);
    for (int peer = 0; peer < n; ++peer) {
      const size_t at = static_cast<size_t>(peer) * block;
      keep(f.send(send + at, count, c.type, peer, c.comm.nccl, c.stream));
      keep(f.recv(recv + at, count, c.type, peer, c.comm.nccl, c.stream));
    }
  } else {
    const int next = (c.comm.rank + 1) % n;
    const int previous = (c.comm.rank - 1 + n) % n;
    keep(f.send(c.send, count, c.type, next, c.comm.nccl, c.stream));
    keep(f.recv(c.recv, count, c.type, previous, c.comm.nccl, c.stream));
  }
  keep(f.group_end());
  return first;
}

// Enqueue the call; the NCCL function used in called.
ncclResult_t enqueue(const nccl_call &c, const char *&called) {
  const nccl_api &f = c.f;
  const sl_collective_desc &d = c.desc;
  const ncclComm_t comm = c.comm.nccl;
  switch (d.op) {
  case SL_COLL_ALL_REDUCE:
    called = "ncclAllReduce";
    return f.all_reduce(c.send, c.recv, d.count, c.type, c.op, comm, c.stream);
  case SL_COLL_ALL_GATHER:
    called = "ncclAllGather";
    return f.all_gather(c.send, c.recv, d.count, c.type, comm, c.stream);
  case SL_COLL_REDUCE_SCATTER:
    called = "ncclReduceScatter";
    return f.reduce_scatter(c.send, c.recv, d.count, c.type, c.op, comm, c.stream);
  case SL_COLL_ALL_TO_ALL:
    if (f.all_to_all != nullptr) {
      called = "ncclAlltoAll";
      return f.all_to_all(c.send, c.recv, d.count, c.type, comm, c.stream);
    }
    called = "ncclGroupStart/ncclSend/ncclRecv/ncclGroupEnd (all_to_all)";
    return grouped(c, true);
  case SL_COLL_BROADCAST:
    called = "ncclBroadcast";
    // A non-root rank's send is never read; NULL there becomes the in-place form.
    return f.broadcast(c.send != nullptr ? c.send : c.recv, c.recv, d.count, c.type, d.root, comm,
                       c.stream);
  case SL_COLL_REDUCE:
    called = "ncclReduce";
    return f.reduce(c.send, c.recv, d.count, c.type, c.op, d.root, comm, c.stream);
  default:
    called = "ncclGroupStart/ncclSend/ncclRecv/ncclGroupEnd (sendrecv ring)";
    return grouped(c, false);
  }
}

// ptr with bytes must lie inside a mem_alloc block of the communicator's device.
sl_status check_range(sl_context *ctx, const sl_comm &comm, const void *ptr, uint64_t bytes,
                      const std::string &at, const char *what) {
  const allocation *block = find_range(ctx, ptr, bytes, at.c_str(), what);
  if (block == nullptr) {
    return SL_INVALID_ARGUMENT; // find_range recorded why
  }
  if (block->device != comm.device) {
    return fail(ctx, SL_INVALID_ARGUMENT,
                at + ": " + what + " is on device " + std::to_string(block->device) +
                    ", the communicator on device " + std::to_string(comm.device));
  }
  return SL_OK;
}

// "all_reduce fp32 sum of 1000 elements (4000 bytes)", for reasons.
std::string describe(const sl_collective_desc &d) {
  return std::string(collective_op_name(d.op)) + " " + plugin_kit::dtype_name(d.dtype) +
         (collective_reduces(d.op) ? std::string(" ") + reduce_op_name(d.reduce) : "") + " of " +
         std::to_string(d.count) + " elements (" +
         std::to_string(d.count * sl_dtype_size(d.dtype)) + " bytes)";
}

} // namespace

sl_status collective_run(sl_context *ctx, sl_comm *comm, const sl_collective_desc *desc,
                         const void *send, void *recv, sl_stream *stream) {
  if (const sl_status s = owned_comm(ctx, comm, "collective_run"); s != SL_OK) {
    return s;
  }
  return guarded(ctx, "collective_run", [&]() -> sl_status {
    std::string reason;
    if (const sl_status s = check_collective_desc(comm->nranks, desc, "collective_run", reason);
        s != SL_OK) {
      return fail(ctx, s, std::move(reason));
    }
    const sl_collective_desc &d = *desc;
    if (const sl_status s = check_collective_buffers(d, comm->rank, comm->nranks, send, recv,
                                                     "collective_run", reason);
        s != SL_OK) {
      return fail(ctx, s, std::move(reason));
    }
    const std::string at = "collective_run: " + describe(d);
    const collective_roles roles = collective_roles_of(d, comm->rank);
    const uint64_t size = sl_dtype_size(d.dtype);
    if (roles.reads_send) {
      if (const sl_status s = check_range(
              ctx, *comm, send, collective_elems(d, comm->nranks, true) * size, at, "send");
          s != SL_OK) {
        return s;
      }
    }
    if (roles.writes_recv) {
      if (const sl_status s = check_range(
              ctx, *comm, recv, collective_elems(d, comm->nranks, false) * size, at, "recv");
          s != SL_OK) {
        return s;
      }
    }
    cudaStream_t raw = nullptr; // stream_of makes the communicator's device current
    if (const sl_status s = stream_of(ctx, stream, comm->device, &raw, "collective_run");
        s != SL_OK) {
      return s;
    }
    const nccl_api &f = nccl().fn; // a comm exists, so NCCL is loaded
    ncclResult_t async = ncclSuccess;
    if (const ncclResult_t r = f.comm_get_async_error(comm->nccl, &async); r != ncclSuccess) {
      return nccl_fail(ctx, r, at, "ncclCommGetAsyncError", comm->nccl);
    }
    if (async != ncclSuccess && async != ncclInProgress) {
      return nccl_fail(ctx, async, at,
                       "the communicator (an earlier collective, asynchronously; destroy it)",
                       comm->nccl);
    }
    const nccl_call call{f,
                         *comm,
                         d,
                         send,
                         recv,
                         *nccl_data_type(d.dtype),
                         collective_reduces(d.op) ? *nccl_red_op(d.reduce) : ncclSum,
                         raw};
    const char *called = "NCCL";
    if (const ncclResult_t r = enqueue(call, called); r != ncclSuccess) {
      return nccl_fail(ctx, r, at, called, comm->nccl);
    }
    return SL_OK;
  });
}

} // namespace suanli::cuda
