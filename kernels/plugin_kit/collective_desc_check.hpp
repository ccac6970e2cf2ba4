#pragma once
// Checks of a collective descriptor that every backend plugin makes alike (operation, reduction,
// root, count, reserved fields, size arithmetic), and the per-operation facts they rest on. A
// backend adds what only it knows: which dtypes it offers and the largest count one call takes.

#include <kernels/abi/suanli_backend.h>

#include <cstdint>
#include <string>

namespace suanli::plugin_kit {

/// Suite-facing name of an operation ("all_reduce", ...); "unknown" outside the enum.
const char *collective_op_name(int32_t op);

/// Name of a reduction ("none", "sum", "prod", "min", "max"); "unknown" outside the enum.
const char *reduce_op_name(int32_t reduce);

/// True for the operations that take a reduction (all_reduce, reduce_scatter, reduce).
bool collective_reduces(int32_t op);

/// Elements of the send (send = true) or receive buffer of desc on a communicator of nranks,
/// with NCCL's conventions (see sl_collective_desc).
uint64_t collective_elems(const sl_collective_desc &desc, int32_t nranks, bool send);

/// What one backend's collectives offer.
struct collective_offer {
  const char *backend;             ///< e.g. "CPU", used in reasons ("the CPU backend's ...")
  bool (*offers_dtype)(sl_dtype);  ///< whether the backend's collectives take this dtype
  const char *dtypes;              ///< the offered dtypes as text, e.g. "fp32, fp16, bf16"
  uint64_t max_count = UINT64_MAX; ///< largest count one call takes
  const char *max_count_why = "";  ///< why, e.g. "MPI counts are int"
};

/// Local validation of desc on a communicator of nranks (no communication): SL_OK, or
/// SL_UNSUPPORTED (dtype or count not offered) / SL_INVALID_ARGUMENT with a reason that starts
/// with call.
sl_status check_collective_desc(const collective_offer &offer, int32_t nranks,
                                const sl_collective_desc *desc, const char *call,
                                std::string &reason);

} // namespace suanli::plugin_kit
