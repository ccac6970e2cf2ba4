// Collective problems (bench/collective_problem.cpp): the operation table, fitting to the rank
// count, NCCL's counts, bandwidths, descriptors, names and validation.
#include <bench/collective_problem.hpp>

#include <gtest/gtest.h>

namespace {

using namespace suanli::bench;

collective_problem make(sl_collective_op op, sl_dtype dtype, uint64_t bytes,
                        sl_reduce_op reduce = SL_REDUCE_NONE, bool in_place = false) {
  collective_problem p;
  p.op = op;
  p.dtype = dtype;
  p.bytes = bytes;
  p.reduce = reduce;
  p.in_place = in_place;
  return p;
}

TEST(CollectiveProblem, TableRowsAndLookups) {
  struct row {
    sl_collective_op op;
    const char *name;
    bool reduces, in_place, root, blocks;
    const char *busbw;
  };
  const row rows[] = {
      {SL_COLL_ALL_REDUCE, "all_reduce", true, true, false, false, "2(n-1)/n"},
      {SL_COLL_ALL_GATHER, "all_gather", false, true, false, true, "(n-1)/n"},
      {SL_COLL_REDUCE_SCATTER, "reduce_scatter", true, true, false, true, "(n-1)/n"},
      {SL_COLL_ALL_TO_ALL, "all_to_all", false, false, false, true, "(n-1)/n"},
      {SL_COLL_BROADCAST, "broadcast", false, true, true, false, "1"},
      {SL_COLL_REDUCE, "reduce", true, true, true, false, "1"},
      {SL_COLL_SENDRECV, "sendrecv", false, false, false, false, "1"}};
  ASSERT_EQ(collective_ops().size(), 7U);
  for (const auto &r : rows) {
    const auto *info = find_collective_op(r.name);
    ASSERT_NE(info, nullptr) << r.name;
    EXPECT_EQ(info, &collective_op_of(r.op));
    EXPECT_EQ(info->op, r.op);
    EXPECT_EQ(info->reduces, r.reduces) << r.name;
    EXPECT_EQ(info->in_place_allowed, r.in_place) << r.name;
    EXPECT_EQ(info->has_root, r.root) << r.name;
    EXPECT_EQ(info->size_per_rank_blocks, r.blocks) << r.name;
    EXPECT_EQ(info->busbw_label, r.busbw) << r.name;
  }
  EXPECT_EQ(find_collective_op("allreduce"), nullptr);
  EXPECT_EQ(collective_op_names(),
            "all_reduce, all_gather, reduce_scatter, all_to_all, broadcast, reduce, sendrecv");
  EXPECT_EQ(find_reduce("max"), SL_REDUCE_MAX);
  EXPECT_EQ(find_reduce("avg"), std::nullopt);
  EXPECT_EQ(reduce_name(SL_REDUCE_PROD), "prod");
  EXPECT_EQ(collective_dtypes().size(), 6U);
  EXPECT_EQ(collective_dtype_names(), "fp32, fp16, bf16, fp64, int32, int8");
}

TEST(CollectiveProblem, BlockSplitSizesAreFittedToTheRankCount) {
  const auto gather = make(SL_COLL_ALL_GATHER, SL_DTYPE_FP32, 1000);
  EXPECT_EQ(gather.fitted_bytes(3), 996U);
  EXPECT_EQ(gather.fit_note(3), "size rounded from 1000 B to 996 B: all_gather splits S into 3 "
                                "blocks of whole fp32 elements");
  EXPECT_EQ(gather.fitted_bytes(2), 1000U);
  EXPECT_EQ(gather.fit_note(2), "");
  const auto tiny = make(SL_COLL_ALL_TO_ALL, SL_DTYPE_FP64, 8);
  EXPECT_EQ(tiny.fitted_bytes(4), 32U); // one element per rank at least
  EXPECT_NE(tiny.fit_note(4).find("from 8 B to 32 B"), std::string::npos);
  const auto reduce = make(SL_COLL_ALL_REDUCE, SL_DTYPE_FP32, 1000, SL_REDUCE_SUM);
  EXPECT_EQ(reduce.fitted_bytes(3), 1000U);
  EXPECT_EQ(reduce.fit_note(3), "");
}

TEST(CollectiveProblem, CountsFollowNcclConventions) {
  struct row {
    sl_collective_op op;
    uint64_t count, send, recv;
  };
  // S = 4096 B of fp32 (1024 elements) at 4 ranks.
  const row rows[] = {
      {SL_COLL_ALL_REDUCE, 1024, 1024, 1024},   {SL_COLL_ALL_GATHER, 256, 256, 1024},
      {SL_COLL_REDUCE_SCATTER, 256, 1024, 256}, {SL_COLL_ALL_TO_ALL, 256, 1024, 1024},
      {SL_COLL_BROADCAST, 1024, 1024, 1024},    {SL_COLL_REDUCE, 1024, 1024, 1024},
      {SL_COLL_SENDRECV, 1024, 1024, 1024}};
  for (const auto &r : rows) {
    const auto p = make(r.op, SL_DTYPE_FP32, 4096);
    EXPECT_EQ(p.count(4), r.count) << p.info().name;
    EXPECT_EQ(p.send_elems(4), r.send) << p.info().name;
    EXPECT_EQ(p.recv_elems(4), r.recv) << p.info().name;
    EXPECT_EQ(p.desc(4).count, r.count) << p.info().name;
  }
}

TEST(CollectiveProblem, BandwidthsAndDescriptor) {
  EXPECT_EQ(make(SL_COLL_ALL_REDUCE, SL_DTYPE_FP32, 4).busbw_factor(4), 1.5);
  EXPECT_EQ(make(SL_COLL_ALL_GATHER, SL_DTYPE_FP32, 4).busbw_factor(4), 0.75);
  EXPECT_EQ(make(SL_COLL_ALL_TO_ALL, SL_DTYPE_FP32, 4).busbw_factor(8), 0.875);
  EXPECT_EQ(make(SL_COLL_BROADCAST, SL_DTYPE_FP32, 4).busbw_factor(4), 1.0);
  EXPECT_EQ(make(SL_COLL_ALL_REDUCE, SL_DTYPE_FP32, 4).busbw_factor(1), 0.0);
  EXPECT_EQ(make(SL_COLL_SENDRECV, SL_DTYPE_FP32, 4).busbw_factor(1), 1.0);

  auto p = make(SL_COLL_ALL_REDUCE, SL_DTYPE_FP32, 1 << 20, SL_REDUCE_SUM);
  EXPECT_DOUBLE_EQ(p.algbw_gbps(4, 1e-3), 1.048576);
  EXPECT_DOUBLE_EQ(p.busbw_gbps(4, 1e-3), 1.572864);
  EXPECT_EQ(p.flops(), 0.0);
  EXPECT_EQ(p.bytes_total(), 2U << 20);
  EXPECT_EQ(p.label(), "all_reduce fp32 sum, out of place");
  EXPECT_EQ(p.sweep_key(), "all_reduce.fp32.sum.oop");
  const sl_collective_desc d = p.desc(4);
  EXPECT_EQ(d.struct_size, sizeof(sl_collective_desc));
  EXPECT_EQ(d.op, SL_COLL_ALL_REDUCE);
  EXPECT_EQ(d.dtype, SL_DTYPE_FP32);
  EXPECT_EQ(d.reduce, SL_REDUCE_SUM);
  EXPECT_EQ(d.root, 0);
  EXPECT_EQ(d.count, 262144U);

  p = make(SL_COLL_ALL_GATHER, SL_DTYPE_BF16, 1000, SL_REDUCE_NONE, true);
  EXPECT_EQ(p.label(), "all_gather bf16, in place");
  EXPECT_EQ(p.sweep_key(), "all_gather.bf16.inplace");
  EXPECT_DOUBLE_EQ(p.algbw_gbps(3, 1.0), 996e-9); // the fitted size
  p = make(SL_COLL_BROADCAST, SL_DTYPE_INT8, 64);
  p.root = 2;
  EXPECT_EQ(p.desc(4).root, 2);
  EXPECT_EQ(p.label(), "broadcast int8, out of place, root 2");
  EXPECT_EQ(p.sweep_key(), "broadcast.int8.oop.root2");
  EXPECT_EQ(p.rank_problem(4), std::nullopt);
  EXPECT_NE(p.rank_problem(2).value_or("").find("root 2 is not a rank of 2"), std::string::npos);
  EXPECT_NE(p.rank_problem(0), std::nullopt);
}

TEST(CollectiveProblem, InvalidCombinationsSayWhy) {
  const auto why = [](const collective_problem &p) { return p.invalid_reason().value_or(""); };
  EXPECT_EQ(why(make(SL_COLL_ALL_REDUCE, SL_DTYPE_FP32, 4096, SL_REDUCE_SUM)), "");
  EXPECT_NE(why(make(SL_COLL_ALL_REDUCE, SL_DTYPE_FP32, 0, SL_REDUCE_SUM)).find("size 0 B"),
            std::string::npos);
  EXPECT_EQ(why(make(SL_COLL_ALL_GATHER, SL_DTYPE_FP64, 12)),
            "size 12 B is not a multiple of the fp64 element size (8 B)");
  EXPECT_EQ(why(make(SL_COLL_ALL_REDUCE, SL_DTYPE_FP32, 8)),
            "all_reduce needs a reduction (sum, prod, min or max)");
  EXPECT_EQ(why(make(SL_COLL_ALL_GATHER, SL_DTYPE_FP32, 8, SL_REDUCE_SUM)),
            "all_gather takes no reduction (got sum)");
  EXPECT_EQ(why(make(SL_COLL_ALL_TO_ALL, SL_DTYPE_FP32, 8, SL_REDUCE_NONE, true)),
            "all_to_all has no in-place form (NCCL defines none); use in_place = false");
  EXPECT_EQ(why(make(SL_COLL_SENDRECV, SL_DTYPE_FP32, 8, SL_REDUCE_NONE, true)),
            "sendrecv has no in-place form (NCCL defines none); use in_place = false");
  EXPECT_NE(why(make(SL_COLL_BROADCAST, SL_DTYPE_TF32, 8)).find("dtype tf32 is not offered"),
            std::string::npos);
  EXPECT_NE(why(make(SL_COLL_BROADCAST, SL_DTYPE_FP32, collective_max_bytes + 4)).find("exceeds"),
            std::string::npos);
  auto p = make(SL_COLL_BROADCAST, SL_DTYPE_FP32, 8);
  p.root = -1;
  EXPECT_EQ(why(p), "root -1 is negative; ranks count from 0");
  p = make(SL_COLL_ALL_GATHER, SL_DTYPE_FP32, 8);
  p.root = 1;
  EXPECT_EQ(why(p), "all_gather has no root (got root 1); use root = 0");
}

TEST(CollectiveProblem, FormatBytes) {
  EXPECT_EQ(format_bytes(8), "8B");
  EXPECT_EQ(format_bytes(1024), "1KiB");
  EXPECT_EQ(format_bytes(3072), "3KiB");
  EXPECT_EQ(format_bytes(256U << 20), "256MiB");
  EXPECT_EQ(format_bytes(1U << 30), "1GiB");
  EXPECT_EQ(format_bytes(uint64_t{64} << 30), "64GiB");
  EXPECT_EQ(format_bytes(1000), "1000B");
  EXPECT_EQ(format_bytes(1536), "1536B");
}

} // namespace
