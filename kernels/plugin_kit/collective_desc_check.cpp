#include <kernels/plugin_kit/collective_desc_check.hpp>

#include <kernels/plugin_kit/gemm_desc_check.hpp>

#include <iterator>

namespace suanli::plugin_kit {
namespace {

sl_status invalid(std::string &reason, std::string text) {
  reason = std::move(text);
  return SL_INVALID_ARGUMENT;
}

} // namespace

const char *collective_op_name(int32_t op) {
  static constexpr const char *k_names[] = {"all_reduce", "all_gather", "reduce_scatter",
                                            "all_to_all", "broadcast",  "reduce",
                                            "sendrecv"};
  return op >= 0 && op < static_cast<int32_t>(std::size(k_names)) ? k_names[op] : "unknown";
}

const char *reduce_op_name(int32_t reduce) {
  switch (reduce) {
  case SL_REDUCE_NONE: return "none";
  case SL_REDUCE_SUM: return "sum";
  case SL_REDUCE_PROD: return "prod";
  case SL_REDUCE_MIN: return "min";
  case SL_REDUCE_MAX: return "max";
  default: return "unknown";
  }
}

bool collective_reduces(int32_t op) {
  return op == SL_COLL_ALL_REDUCE || op == SL_COLL_REDUCE_SCATTER || op == SL_COLL_REDUCE;
}

uint64_t collective_elems(const sl_collective_desc &desc, int32_t nranks, bool send) {
  const auto n = static_cast<uint64_t>(nranks);
  switch (desc.op) {
  case SL_COLL_ALL_GATHER: return send ? desc.count : n * desc.count;
  case SL_COLL_REDUCE_SCATTER: return send ? n * desc.count : desc.count;
  case SL_COLL_ALL_TO_ALL: return n * desc.count;
  default: return desc.count;
  }
}

sl_status check_collective_desc(const collective_offer &offer, int32_t nranks,
                                const sl_collective_desc *desc, const char *call,
                                std::string &reason) {
  const std::string at = call;
  if (desc == nullptr) {
    return invalid(reason, at + ": desc is NULL");
  }
  if (desc->struct_size < sizeof(sl_collective_desc)) {
    return invalid(reason, at + ": desc->struct_size = " + std::to_string(desc->struct_size) +
                               ", expected >= " + std::to_string(sizeof(sl_collective_desc)) +
                               " (sl_collective_desc of ABI 1.2)");
  }
  if (desc->op < SL_COLL_ALL_REDUCE || desc->op > SL_COLL_SENDRECV) {
    return invalid(reason, at + ": op = " + std::to_string(desc->op) +
                               " is not an sl_collective_op (0 to 6)");
  }
  const std::string op = collective_op_name(desc->op);
  if (!offer.offers_dtype(desc->dtype)) {
    reason = at + ": " + op + ": the " + offer.backend + " backend's collectives offer " +
             offer.dtypes + "; not " + dtype_name(desc->dtype);
    return SL_UNSUPPORTED;
  }
  const bool has_reduce = desc->reduce >= SL_REDUCE_SUM && desc->reduce <= SL_REDUCE_MAX;
  if (collective_reduces(desc->op) && !has_reduce) {
    return invalid(reason, at + ": " + op + " needs a reduction (sum, prod, min or max), got " +
                               "reduce = " + std::to_string(desc->reduce) + " (" +
                               reduce_op_name(desc->reduce) + ")");
  }
  if (!collective_reduces(desc->op) && desc->reduce != SL_REDUCE_NONE) {
    return invalid(reason, at + ": " + op +
                               " takes no reduction, got reduce = " + std::to_string(desc->reduce) +
                               " (" + reduce_op_name(desc->reduce) + "); expected SL_REDUCE_NONE");
  }
  if ((desc->op == SL_COLL_BROADCAST || desc->op == SL_COLL_REDUCE) &&
      (desc->root < 0 || desc->root >= nranks)) {
    return invalid(reason, at + ": " + op + ": root = " + std::to_string(desc->root) +
                               " is outside the communicator's ranks 0 to " +
                               std::to_string(nranks - 1));
  }
  if (desc->reserved != 0) {
    return invalid(reason,
                   at + ": desc->reserved = " + std::to_string(desc->reserved) + ", expected 0");
  }
  if (desc->count < 1) {
    return invalid(reason, at + ": " + op + ": count = 0, expected >= 1");
  }
  if (desc->count > offer.max_count) {
    reason = at + ": " + op + ": count = " + std::to_string(desc->count) + " elements exceeds " +
             std::to_string(offer.max_count) + ", the most one call takes (" + offer.max_count_why +
             ")";
    return SL_UNSUPPORTED;
  }
  // nranks * count * element size must fit in 64 bits for the buffer arithmetic.
  const uint64_t size = sl_dtype_size(desc->dtype);
  if (nranks < 1 || static_cast<uint64_t>(nranks) > (UINT64_MAX / 2) / size / desc->count) {
    return invalid(reason, at + ": " + op + ": " + std::to_string(nranks) + " ranks x " +
                               std::to_string(desc->count) +
                               " elements overflow the buffer size arithmetic");
  }
  return SL_OK;
}

} // namespace suanli::plugin_kit
