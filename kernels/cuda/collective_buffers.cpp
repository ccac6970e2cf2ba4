// Buffer roles, NCCL's in-place forms and overlap checks of one collective call.

#include <kernels/cuda/collective_buffers.hpp>
#include <kernels/cuda/collective_desc.hpp>

namespace suanli::cuda {

collective_roles collective_roles_of(const sl_collective_desc &desc, int32_t rank) {
  const bool root = rank == desc.root;
  return {desc.op != SL_COLL_BROADCAST || root, desc.op != SL_COLL_REDUCE || root};
}

bool collective_in_place(const sl_collective_desc &desc, int32_t rank, const void *send,
                         const void *recv) {
  const uint64_t shift = static_cast<uint64_t>(rank) * desc.count * sl_dtype_size(desc.dtype);
  const auto s = reinterpret_cast<uintptr_t>(send);
  const auto r = reinterpret_cast<uintptr_t>(recv);
  switch (desc.op) {
  case SL_COLL_ALL_GATHER: return s == r + shift;
  case SL_COLL_REDUCE_SCATTER: return r == s + shift;
  case SL_COLL_ALL_TO_ALL:
  case SL_COLL_SENDRECV: return false;
  default: return s == r;
  }
}

bool ranges_overlap(const void *a, uint64_t a_bytes, const void *b, uint64_t b_bytes) {
  const auto x = reinterpret_cast<uintptr_t>(a);
  const auto y = reinterpret_cast<uintptr_t>(b);
  return a_bytes > 0 && b_bytes > 0 && x < y + b_bytes && y < x + a_bytes;
}

sl_status check_collective_buffers(const sl_collective_desc &desc, int32_t rank, int32_t nranks,
                                   const void *send, const void *recv, const char *call,
                                   std::string &reason) {
  const std::string at = std::string(call) + ": " + collective_op_name(desc.op);
  const collective_roles roles = collective_roles_of(desc, rank);
  if ((roles.reads_send && send == nullptr) || (roles.writes_recv && recv == nullptr)) {
    reason = at + ": " + (roles.reads_send && send == nullptr ? "send" : "recv") + " is NULL";
    return SL_INVALID_ARGUMENT;
  }
  if ((desc.op == SL_COLL_ALL_TO_ALL || desc.op == SL_COLL_SENDRECV) && send == recv) {
    reason = at + " is out of place only, but send == recv (NCCL defines no in-place form)";
    return SL_INVALID_ARGUMENT;
  }
  const uint64_t size = sl_dtype_size(desc.dtype);
  if (roles.reads_send && roles.writes_recv && !collective_in_place(desc, rank, send, recv) &&
      ranges_overlap(send, collective_elems(desc, nranks, true) * size, recv,
                     collective_elems(desc, nranks, false) * size)) {
    reason = at + ": send and recv overlap but are not the operation's in-place form "
                  "(all_reduce, broadcast, reduce: send == recv; all_gather: send == recv + "
                  "rank * count; reduce_scatter: recv == send + rank * count)";
    return SL_INVALID_ARGUMENT;
  }
  return SL_OK;
}

} // namespace suanli::cuda
