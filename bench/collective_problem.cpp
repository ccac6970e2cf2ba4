#include <bench/collective_problem.hpp>

#include <bench/dtype.hpp>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace suanli::bench {
namespace {

// Columns: op, name, reduces, in_place_allowed, has_root, size_per_rank_blocks, busbw label.
constexpr std::array<collective_op_info, 7> ops{{
    {SL_COLL_ALL_REDUCE, "all_reduce", true, true, false, false, "2(n-1)/n"},
    {SL_COLL_ALL_GATHER, "all_gather", false, true, false, true, "(n-1)/n"},
    {SL_COLL_REDUCE_SCATTER, "reduce_scatter", true, true, false, true, "(n-1)/n"},
    {SL_COLL_ALL_TO_ALL, "all_to_all", false, false, false, true, "(n-1)/n"},
    {SL_COLL_BROADCAST, "broadcast", false, true, true, false, "1"},
    {SL_COLL_REDUCE, "reduce", true, true, true, false, "1"},
    {SL_COLL_SENDRECV, "sendrecv", false, false, false, false, "1"},
}};

// Buffer geometry per operation: whether send / recv hold nranks blocks of `count` elements
// (the ABI header's table); otherwise they hold `count`.
struct buffer_blocks {
  sl_collective_op op;
  bool send_nranks;
  bool recv_nranks;
};
constexpr std::array<buffer_blocks, 7> blocks{{
    {SL_COLL_ALL_REDUCE, false, false},
    {SL_COLL_ALL_GATHER, false, true},
    {SL_COLL_REDUCE_SCATTER, true, false},
    {SL_COLL_ALL_TO_ALL, true, true},
    {SL_COLL_BROADCAST, false, false},
    {SL_COLL_REDUCE, false, false},
    {SL_COLL_SENDRECV, false, false},
}};

struct reduce_row {
  sl_reduce_op op;
  std::string_view name;
};
constexpr std::array<reduce_row, 4> reductions{{
    {SL_REDUCE_SUM, "sum"},
    {SL_REDUCE_PROD, "prod"},
    {SL_REDUCE_MIN, "min"},
    {SL_REDUCE_MAX, "max"},
}};

constexpr std::array<sl_dtype, 6> dtypes{SL_DTYPE_FP32, SL_DTYPE_FP16,  SL_DTYPE_BF16,
                                         SL_DTYPE_FP64, SL_DTYPE_INT32, SL_DTYPE_INT8};

const collective_op_info *find_op(sl_collective_op op) {
  for (const auto &row : ops) {
    if (row.op == op) {
      return &row;
    }
  }
  return nullptr;
}

const buffer_blocks &blocks_of(sl_collective_op op) {
  for (const auto &row : blocks) {
    if (row.op == op) {
      return row;
    }
  }
  throw std::out_of_range("invalid collective operation " + std::to_string(op));
}

bool is_collective_dtype(sl_dtype d) {
  return std::find(dtypes.begin(), dtypes.end(), d) != dtypes.end();
}

uint64_t ranks_of(int32_t nranks) {
  return static_cast<uint64_t>(std::max(nranks, 1));
}

} // namespace

std::span<const collective_op_info> collective_ops() {
  return ops;
}

const collective_op_info *find_collective_op(std::string_view name) {
  for (const auto &row : ops) {
    if (row.name == name) {
      return &row;
    }
  }
  return nullptr;
}

const collective_op_info &collective_op_of(sl_collective_op op) {
  if (const auto *row = find_op(op)) {
    return *row;
  }
  throw std::out_of_range("invalid collective operation " + std::to_string(op));
}

std::string collective_op_names() {
  std::string out;
  for (const auto &row : ops) {
    out += (out.empty() ? "" : ", ") + std::string(row.name);
  }
  return out;
}

std::string_view reduce_name(sl_reduce_op r) {
  for (const auto &row : reductions) {
    if (row.op == r) {
      return row.name;
    }
  }
  return "none";
}

std::optional<sl_reduce_op> find_reduce(std::string_view name) {
  for (const auto &row : reductions) {
    if (row.name == name) {
      return row.op;
    }
  }
  return std::nullopt;
}

std::span<const sl_dtype> collective_dtypes() {
  return dtypes;
}

std::string collective_dtype_names() {
  std::string out;
  for (const auto d : dtypes) {
    out += (out.empty() ? "" : ", ") + std::string(name(d));
  }
  return out;
}

uint64_t collective_problem::fitted_bytes(int32_t nranks) const {
  if (!info().size_per_rank_blocks) {
    return bytes;
  }
  const uint64_t unit = ranks_of(nranks) * sl_dtype_size(dtype);
  const uint64_t fitted = bytes / unit * unit;
  return fitted == 0 ? unit : fitted;
}

std::string collective_problem::fit_note(int32_t nranks) const {
  const uint64_t fitted = fitted_bytes(nranks);
  if (fitted == bytes) {
    return "";
  }
  const std::string what = fitted < bytes ? "whole " : "at least one whole ";
  return "size rounded from " + std::to_string(bytes) + " B to " + std::to_string(fitted) +
         " B: " + std::string(info().name) + " splits S into " + std::to_string(ranks_of(nranks)) +
         " blocks of " + what + std::string(name(dtype)) + " elements";
}

uint64_t collective_problem::count(int32_t nranks) const {
  const uint64_t per = info().size_per_rank_blocks ? ranks_of(nranks) : 1;
  return fitted_bytes(nranks) / (per * sl_dtype_size(dtype));
}

uint64_t collective_problem::send_elems(int32_t nranks) const {
  return count(nranks) * (blocks_of(op).send_nranks ? ranks_of(nranks) : 1);
}

uint64_t collective_problem::recv_elems(int32_t nranks) const {
  return count(nranks) * (blocks_of(op).recv_nranks ? ranks_of(nranks) : 1);
}

double collective_problem::busbw_factor(int32_t nranks) const {
  const double n = static_cast<double>(ranks_of(nranks));
  const std::string_view label = info().busbw_label;
  if (label == "2(n-1)/n") {
    return 2.0 * (n - 1.0) / n;
  }
  if (label == "(n-1)/n") {
    return (n - 1.0) / n;
  }
  return 1.0;
}

double collective_problem::algbw_gbps(int32_t nranks, double t_s) const {
  return static_cast<double>(fitted_bytes(nranks)) / t_s / 1e9;
}

double collective_problem::busbw_gbps(int32_t nranks, double t_s) const {
  return algbw_gbps(nranks, t_s) * busbw_factor(nranks);
}

sl_collective_desc collective_problem::desc(int32_t nranks) const {
  sl_collective_desc d{};
  d.struct_size = sizeof(d);
  d.op = op;
  d.dtype = dtype;
  d.reduce = reduce;
  d.root = info().has_root ? root : 0;
  d.reserved = 0;
  d.count = count(nranks);
  return d;
}

std::string collective_problem::label() const {
  std::string s = std::string(info().name) + " " + std::string(name(dtype));
  if (info().reduces) {
    s += " " + std::string(reduce_name(reduce));
  }
  s += in_place ? ", in place" : ", out of place";
  if (root != 0) {
    s += ", root " + std::to_string(root);
  }
  return s;
}

std::string collective_problem::sweep_key() const {
  std::string s = std::string(info().name) + "." + std::string(name(dtype));
  if (info().reduces) {
    s += "." + std::string(reduce_name(reduce));
  }
  s += in_place ? ".inplace" : ".oop";
  if (root != 0) {
    s += ".root" + std::to_string(root);
  }
  return s;
}

std::optional<std::string> collective_problem::invalid_reason() const {
  const auto *row = find_op(op);
  if (row == nullptr) {
    return "unknown collective operation " + std::to_string(op) +
           "; use one of: " + collective_op_names();
  }
  if (!is_collective_dtype(dtype)) {
    return "dtype " + std::string(name(dtype)) +
           " is not offered for collectives; use one of: " + collective_dtype_names();
  }
  const uint64_t elem = sl_dtype_size(dtype);
  if (bytes == 0) {
    return "size 0 B: a collective moves at least one element";
  }
  if (bytes % elem != 0) {
    return "size " + std::to_string(bytes) + " B is not a multiple of the " +
           std::string(name(dtype)) + " element size (" + std::to_string(elem) + " B)";
  }
  if (bytes > collective_max_bytes) {
    return "size " + std::to_string(bytes) + " B exceeds the limit of " +
           format_bytes(collective_max_bytes);
  }
  const bool has_reduce = reduce != SL_REDUCE_NONE;
  if (has_reduce && !find_reduce(reduce_name(reduce))) {
    return "unknown reduction " + std::to_string(reduce);
  }
  if (row->reduces && !has_reduce) {
    return std::string(row->name) + " needs a reduction (sum, prod, min or max)";
  }
  if (!row->reduces && has_reduce) {
    return std::string(row->name) + " takes no reduction (got " + std::string(reduce_name(reduce)) +
           ")";
  }
  if (in_place && !row->in_place_allowed) {
    return std::string(row->name) +
           " has no in-place form (NCCL defines none); use in_place = false";
  }
  if (root < 0) {
    return "root " + std::to_string(root) + " is negative; ranks count from 0";
  }
  if (root != 0 && !row->has_root) {
    return std::string(row->name) + " has no root (got root " + std::to_string(root) +
           "); use root = 0";
  }
  return std::nullopt;
}

std::optional<std::string> collective_problem::rank_problem(int32_t nranks) const {
  if (nranks < 1) {
    return "a collective needs at least one rank (got " + std::to_string(nranks) + ")";
  }
  if (info().has_root && root >= nranks) {
    return std::string(info().name) + " root " + std::to_string(root) + " is not a rank of " +
           std::to_string(nranks) + " (ranks 0 to " + std::to_string(nranks - 1) + ")";
  }
  return std::nullopt;
}

std::string format_bytes(uint64_t bytes) {
  constexpr std::array<std::pair<uint64_t, std::string_view>, 3> units{
      {{uint64_t{1} << 30, "GiB"}, {uint64_t{1} << 20, "MiB"}, {uint64_t{1} << 10, "KiB"}}};
  for (const auto &[unit, suffix] : units) {
    if (bytes != 0 && bytes % unit == 0) {
      return std::to_string(bytes / unit) + std::string(suffix);
    }
  }
  return std::to_string(bytes) + "B";
}

} // namespace suanli::bench
