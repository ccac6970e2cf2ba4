#pragma once

#include <kernels/abi/suanli_backend.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace suanli::bench {

/// Bandwidth convention of collective results (DESIGN.md, Conventions; nccl-tests' definitions).
inline constexpr std::string_view collective_bw_convention = "suanli.collective.bw.v1";
/// Text of that convention, written into reports.
inline constexpr std::string_view collective_bw_convention_text =
    "S = per-rank data size as nccl-tests defines it (all_reduce, broadcast, reduce, sendrecv: "
    "the buffer; all_gather: the gathered output; reduce_scatter: the input; all_to_all: the "
    "send buffer); algbw = S / t; busbw = algbw * f with f = 2(n-1)/n for all_reduce, (n-1)/n "
    "for all_gather, reduce_scatter and all_to_all, 1 for broadcast, reduce and sendrecv; t is "
    "the median over samples of the slowest rank's time; unidirectional, point-to-point "
    "equivalent; 1 GB/s = 1e9 B/s";

/// Per-operation facts of a collective: one table row each (collective_ops()).
struct collective_op_info {
  sl_collective_op op;          ///< ABI value
  std::string_view name;        ///< suite-facing name: all_reduce, all_gather, ...
  bool reduces;                 ///< takes a reduction (all_reduce, reduce_scatter, reduce)
  bool in_place_allowed;        ///< NCCL defines an in-place form
  bool has_root;                ///< broadcast, reduce
  bool size_per_rank_blocks;    ///< S is split into nranks blocks (all_gather, reduce_scatter,
                                ///< all_to_all): S must be a multiple of nranks * element size
  std::string_view busbw_label; ///< "2(n-1)/n", "(n-1)/n" or "1"
};

/// All collective operations the suite language knows, in ABI order.
[[nodiscard]] std::span<const collective_op_info> collective_ops();
/// Look up an operation by suite name; nullptr when unknown.
[[nodiscard]] const collective_op_info *find_collective_op(std::string_view name);
/// The row of an ABI operation (never null for a valid sl_collective_op).
[[nodiscard]] const collective_op_info &collective_op_of(sl_collective_op op);
/// Comma-separated operation names, for error messages.
[[nodiscard]] std::string collective_op_names();

/// Suite-facing reduction names: sum, prod, min, max (SL_REDUCE_NONE has none).
[[nodiscard]] std::string_view reduce_name(sl_reduce_op r);
/// Look up a reduction by name; nullopt when unknown.
[[nodiscard]] std::optional<sl_reduce_op> find_reduce(std::string_view name);
/// Collective dtypes: fp32, fp16, bf16, fp64, int32, int8.
[[nodiscard]] std::span<const sl_dtype> collective_dtypes();
/// Comma-separated names of collective_dtypes(), for error messages.
[[nodiscard]] std::string collective_dtype_names();

/// Largest S a collective case may ask for: 64 GiB [bytes].
inline constexpr uint64_t collective_max_bytes = uint64_t{64} << 30;

/// One collective call at one size, as a suite asks for it. The rank count is known only when
/// the run starts, so sizes that must split into nranks blocks are fitted then (fit()).
struct collective_problem {
  sl_collective_op op = SL_COLL_ALL_REDUCE; ///< operation
  sl_dtype dtype = SL_DTYPE_FP32;           ///< element type
  sl_reduce_op reduce = SL_REDUCE_NONE;     ///< reduction, NONE unless the operation reduces
  bool in_place = false;                    ///< NCCL's in-place form
  int32_t root = 0;                         ///< broadcast and reduce: root rank
  uint64_t bytes = 0;                       ///< S as the suite asked [bytes], > 0, a multiple
                                            ///< of the element size

  /// The operation's table row.
  [[nodiscard]] const collective_op_info &info() const { return collective_op_of(op); }
  /// S after fitting to nranks: rounded down to a multiple of nranks * element size for
  /// block-split operations, up to one block per rank when that would be 0 [bytes].
  [[nodiscard]] uint64_t fitted_bytes(int32_t nranks) const;
  /// Why fitted_bytes differs from bytes ("" when it does not).
  [[nodiscard]] std::string fit_note(int32_t nranks) const;
  /// sl_collective_desc::count for nranks (after fitting) [elements].
  [[nodiscard]] uint64_t count(int32_t nranks) const;
  /// Elements of the send and receive buffers on one rank (after fitting), as the operation
  /// defines them (NCCL's counts, whether or not in place).
  [[nodiscard]] uint64_t send_elems(int32_t nranks) const;
  [[nodiscard]] uint64_t recv_elems(int32_t nranks) const;
  /// Bus-bandwidth factor f for nranks (convention above).
  [[nodiscard]] double busbw_factor(int32_t nranks) const;
  /// algbw = fitted S / t [GB/s] for a time t [s].
  [[nodiscard]] double algbw_gbps(int32_t nranks, double t_s) const;
  /// busbw = algbw * f [GB/s].
  [[nodiscard]] double busbw_gbps(int32_t nranks, double t_s) const;
  /// The ABI descriptor for nranks.
  [[nodiscard]] sl_collective_desc desc(int32_t nranks) const;
  /// "all_reduce fp32 sum, in place" style label.
  [[nodiscard]] std::string label() const;
  /// Cases of one sweep share this key: "all_reduce.fp32.sum.oop" (size not included).
  [[nodiscard]] std::string sweep_key() const;
  /// Why the problem is invalid regardless of the rank count (zero size, size not a multiple
  /// of the element size, a reduction where the operation takes none or none where it needs
  /// one, in place where NCCL defines no in-place form, a dtype outside collective_dtypes(),
  /// negative root, a root on an operation without one, S above collective_max_bytes);
  /// nullopt when valid.
  [[nodiscard]] std::optional<std::string> invalid_reason() const;
  /// Why a valid problem cannot run on nranks ranks (nranks < 1, root not below nranks);
  /// nullopt when it can.
  [[nodiscard]] std::optional<std::string> rank_problem(int32_t nranks) const;
  /// Device memory of one rank's send and receive buffers, an upper bound for any rank count:
  /// 2 * S [bytes].
  [[nodiscard]] uint64_t bytes_total() const { return 2 * bytes; }
  /// Collectives do no arithmetic work under a FLOP convention: 0.
  [[nodiscard]] double flops() const { return 0; }
};

/// "8B", "1KiB", "256MiB": exact binary units when S is a multiple, else bytes.
[[nodiscard]] std::string format_bytes(uint64_t bytes);

} // namespace suanli::bench
