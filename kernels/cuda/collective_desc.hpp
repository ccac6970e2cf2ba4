#pragma once
// Host-side collective logic that needs no GPU: descriptor validation, its mapping onto NCCL
// (element types, reductions, per-operation element counts), and NCCL's result codes and version
// numbers as text. Only nccl.h's types are used here (enums), never the NCCL library.

#include <kernels/abi/suanli_backend.h>
#include <kernels/plugin_kit/collective_desc_check.hpp>

#include <nccl.h>

#include <cstdint>
#include <optional>
#include <string>

namespace suanli::cuda {

// Operation and reduction names, which operations reduce, buffer sizes: shared by every plugin.
using plugin_kit::collective_elems;
using plugin_kit::collective_op_name;
using plugin_kit::collective_reduces;
using plugin_kit::reduce_op_name;

/// The NCCL element type of a collective dtype (fp32, fp16, bf16, fp64, int32, int8); nullopt
/// for the dtypes the CUDA backend's collectives do not offer.
std::optional<ncclDataType_t> nccl_data_type(sl_dtype dtype);

/// The NCCL reduction of sum, prod, min or max; nullopt for none and values outside the enum.
std::optional<ncclRedOp_t> nccl_red_op(int32_t reduce);

/// Local validation of desc on a communicator of nranks (no communication): SL_OK, or
/// SL_UNSUPPORTED / SL_INVALID_ARGUMENT with a reason that starts with call. Refuses what the
/// CPU backend refuses, except counts above INT_MAX (NCCL counts are size_t).
sl_status check_collective_desc(int32_t nranks, const sl_collective_desc *desc, const char *call,
                                std::string &reason);

/// The status an NCCL result maps to: OK, SL_INVALID_ARGUMENT for invalid argument or usage,
/// SL_DEVICE_ERROR for CUDA, system, internal, remote and in-progress results.
sl_status nccl_status(ncclResult_t result);

/// The enumerator's name of an NCCL result, e.g. "ncclInvalidArgument"; "ncclResult <n>" for a
/// value this header does not know.
std::string nccl_result_name(ncclResult_t result);

/// An ncclGetVersion code as "major.minor.patch": 22809 -> "2.28.9" (2.9 and later: 10000 *
/// major + 100 * minor + patch), 2708 -> "2.7.8" (before 2.9: 1000 * major + 100 * minor +
/// patch); "none" for 0 or less.
std::string nccl_version_text(int code);

} // namespace suanli::cuda
