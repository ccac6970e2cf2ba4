#pragma once
// Host-side checks of a collective's buffer pointers that need no GPU: which buffers a rank
// reads and writes, NCCL's in-place forms, and overlaps that are not one of them. NCCL itself
// takes the same pointers: its in-place rules are the ABI's, so nothing is rewritten here.

#include <kernels/abi/suanli_backend.h>

#include <cstdint>
#include <string>

namespace suanli::cuda {

/// What one rank does with its buffers in one collective.
struct collective_roles {
  bool reads_send = true;  ///< false for broadcast on a non-root rank
  bool writes_recv = true; ///< false for reduce on a non-root rank
};

/// The roles of this rank (0 <= rank) in a validated desc.
collective_roles collective_roles_of(const sl_collective_desc &desc, int32_t rank);

/// True when (send, recv) is NCCL's in-place form of desc on this rank: send == recv for
/// all_reduce, broadcast and reduce; send == recv + rank * count for all_gather; recv == send +
/// rank * count for reduce_scatter; never for all_to_all and sendrecv.
bool collective_in_place(const sl_collective_desc &desc, int32_t rank, const void *send,
                         const void *recv);

/// True when the byte ranges [a, a + a_bytes) and [b, b + b_bytes) share a byte.
bool ranges_overlap(const void *a, uint64_t a_bytes, const void *b, uint64_t b_bytes);

/// Check the pointers of a validated desc on rank of nranks: SL_OK, or SL_INVALID_ARGUMENT with
/// a reason that starts with call when a buffer the rank uses is NULL, when all_to_all or
/// sendrecv get send == recv, or when send and recv overlap without being an in-place form.
sl_status check_collective_buffers(const sl_collective_desc &desc, int32_t rank, int32_t nranks,
                                   const void *send, const void *recv, const char *call,
                                   std::string &reason);

} // namespace suanli::cuda
