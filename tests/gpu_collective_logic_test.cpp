// CUDA plugin collective logic, no GPU and no NCCL library needed: the mapping onto NCCL's types
// and reductions, per-operation buffer sizes, descriptor refusals (the CPU backend's, except
// the MPI count limit), NCCL's in-place forms and overlap checks, results and version text.

#include <kernels/cuda/collective_buffers.hpp>
#include <kernels/cuda/collective_desc.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace suanli::cuda {
namespace {

constexpr sl_dtype k_offered[] = {SL_DTYPE_FP32, SL_DTYPE_FP16,  SL_DTYPE_BF16,
                                  SL_DTYPE_FP64, SL_DTYPE_INT32, SL_DTYPE_INT8};

sl_collective_desc make_desc(int32_t op, sl_dtype dtype = SL_DTYPE_FP32,
                             int32_t reduce = SL_REDUCE_NONE, int32_t root = 0,
                             uint64_t count = 8) {
  return {sizeof(sl_collective_desc), op, dtype, reduce, root, 0, count};
}

// check_collective_desc's status on a communicator of nranks; its reason in reason.
sl_status check(const sl_collective_desc &d, std::string &reason, int32_t nranks = 4) {
  return check_collective_desc(nranks, &d, "collective_check", reason);
}

TEST(gpu_collective_logic, dtypes_map_to_nccl_types) {
  EXPECT_EQ(nccl_data_type(SL_DTYPE_FP32), ncclFloat32);
  EXPECT_EQ(nccl_data_type(SL_DTYPE_FP16), ncclFloat16);
  EXPECT_EQ(nccl_data_type(SL_DTYPE_BF16), ncclBfloat16);
  EXPECT_EQ(nccl_data_type(SL_DTYPE_FP64), ncclFloat64);
  EXPECT_EQ(nccl_data_type(SL_DTYPE_INT32), ncclInt32);
  EXPECT_EQ(nccl_data_type(SL_DTYPE_INT8), ncclInt8);
  for (const sl_dtype other : {SL_DTYPE_INVALID, SL_DTYPE_TF32, SL_DTYPE_FP8_E4M3,
                               SL_DTYPE_FP8_E5M2, SL_DTYPE_UINT8, static_cast<sl_dtype>(15)}) {
    EXPECT_FALSE(nccl_data_type(other).has_value()) << other;
  }
}

TEST(gpu_collective_logic, reductions_map_to_nccl_ops) {
  EXPECT_EQ(nccl_red_op(SL_REDUCE_SUM), ncclSum);
  EXPECT_EQ(nccl_red_op(SL_REDUCE_PROD), ncclProd);
  EXPECT_EQ(nccl_red_op(SL_REDUCE_MIN), ncclMin);
  EXPECT_EQ(nccl_red_op(SL_REDUCE_MAX), ncclMax);
  EXPECT_FALSE(nccl_red_op(SL_REDUCE_NONE).has_value());
  EXPECT_FALSE(nccl_red_op(5).has_value());
  EXPECT_FALSE(nccl_red_op(-1).has_value());
  EXPECT_STREQ(reduce_op_name(SL_REDUCE_PROD), "prod");
  EXPECT_STREQ(reduce_op_name(9), "unknown");
}

TEST(gpu_collective_logic, element_counts_follow_nccl_conventions) {
  struct row {
    int32_t op;
    uint64_t send, recv; // for count 3 on 4 ranks
  };
  const row rows[] = {{SL_COLL_ALL_REDUCE, 3, 3},      {SL_COLL_ALL_GATHER, 3, 12},
                      {SL_COLL_REDUCE_SCATTER, 12, 3}, {SL_COLL_ALL_TO_ALL, 12, 12},
                      {SL_COLL_BROADCAST, 3, 3},       {SL_COLL_REDUCE, 3, 3},
                      {SL_COLL_SENDRECV, 3, 3}};
  for (const row &r : rows) {
    const sl_collective_desc d = make_desc(r.op, SL_DTYPE_FP32, SL_REDUCE_NONE, 0, 3);
    EXPECT_EQ(collective_elems(d, 4, true), r.send) << collective_op_name(r.op);
    EXPECT_EQ(collective_elems(d, 4, false), r.recv) << collective_op_name(r.op);
  }
  EXPECT_STREQ(collective_op_name(SL_COLL_SENDRECV), "sendrecv");
  EXPECT_STREQ(collective_op_name(7), "unknown");
  EXPECT_TRUE(collective_reduces(SL_COLL_REDUCE_SCATTER));
  EXPECT_FALSE(collective_reduces(SL_COLL_BROADCAST));
}

TEST(gpu_collective_logic, every_operation_dtype_and_reduction_is_offered) {
  std::string reason;
  int offered = 0;
  for (int32_t op = SL_COLL_ALL_REDUCE; op <= SL_COLL_SENDRECV; ++op) {
    const bool reduces = collective_reduces(op);
    for (const sl_dtype dtype : k_offered) {
      for (int32_t reduce = reduces ? 1 : 0; reduce <= (reduces ? 4 : 0); ++reduce) {
        for (const int32_t root : {0, 3}) {
          const sl_collective_desc d = make_desc(
              op, dtype, reduce, op == SL_COLL_BROADCAST || op == SL_COLL_REDUCE ? root : 0);
          EXPECT_EQ(check(d, reason), SL_OK) << reason;
          ++offered;
        }
      }
    }
  }
  EXPECT_EQ(offered, 2 * 6 * (3 * 4 + 4));
}

TEST(gpu_collective_logic, refusals_mirror_the_cpu_backend_with_reasons) {
  struct row {
    const char *what;
    sl_collective_desc desc;
    sl_status want;
    const char *needle;
  };
  sl_collective_desc small = make_desc(SL_COLL_ALL_REDUCE, SL_DTYPE_FP32, SL_REDUCE_SUM);
  small.struct_size = 8;
  sl_collective_desc reserved = make_desc(SL_COLL_ALL_GATHER);
  reserved.reserved = 1;
  const row rows[] = {
      {"fp8", make_desc(SL_COLL_ALL_REDUCE, SL_DTYPE_FP8_E4M3, SL_REDUCE_SUM), SL_UNSUPPORTED,
       "not fp8_e4m3"},
      {"uint8", make_desc(SL_COLL_ALL_GATHER, SL_DTYPE_UINT8), SL_UNSUPPORTED, "not uint8"},
      {"tf32", make_desc(SL_COLL_BROADCAST, SL_DTYPE_TF32), SL_UNSUPPORTED, "not tf32"},
      {"no reduction", make_desc(SL_COLL_ALL_REDUCE), SL_INVALID_ARGUMENT, "needs a reduction"},
      {"reduction 5", make_desc(SL_COLL_REDUCE, SL_DTYPE_FP32, 5), SL_INVALID_ARGUMENT,
       "(unknown)"},
      {"gather with a reduction", make_desc(SL_COLL_ALL_GATHER, SL_DTYPE_FP32, SL_REDUCE_SUM),
       SL_INVALID_ARGUMENT, "takes no reduction"},
      {"broadcast root 4", make_desc(SL_COLL_BROADCAST, SL_DTYPE_FP32, SL_REDUCE_NONE, 4),
       SL_INVALID_ARGUMENT, "ranks 0 to 3"},
      {"reduce root -1", make_desc(SL_COLL_REDUCE, SL_DTYPE_FP32, SL_REDUCE_MAX, -1),
       SL_INVALID_ARGUMENT, "root = -1"},
      {"count 0", make_desc(SL_COLL_ALL_REDUCE, SL_DTYPE_FP32, SL_REDUCE_SUM, 0, 0),
       SL_INVALID_ARGUMENT, "count = 0"},
      {"op 7", make_desc(7), SL_INVALID_ARGUMENT, "op = 7"},
      {"op -1", make_desc(-1), SL_INVALID_ARGUMENT, "op = -1"},
      {"struct_size 8", small, SL_INVALID_ARGUMENT, "struct_size = 8"},
      {"reserved 1", reserved, SL_INVALID_ARGUMENT, "reserved = 1"},
      {"overflow", make_desc(SL_COLL_ALL_TO_ALL, SL_DTYPE_FP64, SL_REDUCE_NONE, 0, 1ull << 60),
       SL_INVALID_ARGUMENT, "overflow"},
  };
  for (const row &r : rows) {
    std::string reason;
    EXPECT_EQ(check(r.desc, reason), r.want) << r.what << ": " << reason;
    EXPECT_EQ(reason.rfind("collective_check: ", 0), 0u) << r.what << ": " << reason;
    EXPECT_NE(reason.find(r.needle), std::string::npos) << r.what << ": " << reason;
  }
  std::string reason;
  EXPECT_EQ(check_collective_desc(4, nullptr, "collective_run", reason), SL_INVALID_ARGUMENT);
  EXPECT_EQ(reason, "collective_run: desc is NULL");
}

TEST(gpu_collective_logic, counts_beyond_int_max_are_offered) {
  // NCCL counts are size_t: the CPU backend's MPI limit (INT_MAX elements) does not apply.
  std::string reason;
  EXPECT_EQ(
      check(make_desc(SL_COLL_ALL_REDUCE, SL_DTYPE_FP32, SL_REDUCE_SUM, 0, 1ull << 31), reason, 8),
      SL_OK)
      << reason;
}

TEST(gpu_collective_logic, roles_of_root_and_other_ranks) {
  const sl_collective_desc bcast = make_desc(SL_COLL_BROADCAST, SL_DTYPE_FP32, 0, 1);
  EXPECT_TRUE(collective_roles_of(bcast, 1).reads_send);
  EXPECT_FALSE(collective_roles_of(bcast, 0).reads_send);
  EXPECT_TRUE(collective_roles_of(bcast, 0).writes_recv);
  const sl_collective_desc reduce = make_desc(SL_COLL_REDUCE, SL_DTYPE_FP32, SL_REDUCE_SUM, 1);
  EXPECT_TRUE(collective_roles_of(reduce, 1).writes_recv);
  EXPECT_FALSE(collective_roles_of(reduce, 2).writes_recv);
  EXPECT_TRUE(collective_roles_of(reduce, 2).reads_send);
}

TEST(gpu_collective_logic, in_place_forms_are_nccls) {
  std::vector<unsigned char> mem(4096);
  unsigned char *base = mem.data();
  const uint64_t block = 8 * 4; // count 8 of fp32 [bytes]
  const sl_collective_desc ar = make_desc(SL_COLL_ALL_REDUCE, SL_DTYPE_FP32, SL_REDUCE_SUM);
  EXPECT_TRUE(collective_in_place(ar, 2, base, base));
  EXPECT_FALSE(collective_in_place(ar, 2, base + block, base));
  const sl_collective_desc ag = make_desc(SL_COLL_ALL_GATHER);
  EXPECT_TRUE(collective_in_place(ag, 2, base + 2 * block, base));
  EXPECT_FALSE(collective_in_place(ag, 2, base, base));
  const sl_collective_desc rs = make_desc(SL_COLL_REDUCE_SCATTER, SL_DTYPE_FP32, SL_REDUCE_SUM);
  EXPECT_TRUE(collective_in_place(rs, 3, base, base + 3 * block));
  EXPECT_TRUE(collective_in_place(rs, 0, base, base));
  EXPECT_FALSE(collective_in_place(rs, 3, base + 3 * block, base));
  EXPECT_FALSE(collective_in_place(make_desc(SL_COLL_ALL_TO_ALL), 0, base, base));
  EXPECT_FALSE(collective_in_place(make_desc(SL_COLL_SENDRECV), 0, base, base));
}

TEST(gpu_collective_logic, buffer_checks_refuse_null_aliasing_and_overlap) {
  std::vector<unsigned char> mem(4096);
  unsigned char *base = mem.data();
  const uint64_t block = 8 * 4;
  std::string reason;
  const auto status = [&](const sl_collective_desc &d, int32_t rank, const void *send,
                          const void *recv) {
    reason.clear();
    return check_collective_buffers(d, rank, 4, send, recv, "collective_run", reason);
  };
  const sl_collective_desc ar = make_desc(SL_COLL_ALL_REDUCE, SL_DTYPE_FP32, SL_REDUCE_SUM);
  EXPECT_EQ(status(ar, 0, base, base + block), SL_OK) << reason; // adjacent: no overlap
  EXPECT_EQ(status(ar, 0, base, base), SL_OK) << reason;         // in place
  EXPECT_EQ(status(ar, 0, base, base + 4), SL_INVALID_ARGUMENT);
  EXPECT_NE(reason.find("overlap but are not the operation's in-place form"), std::string::npos);
  EXPECT_EQ(status(ar, 0, nullptr, base), SL_INVALID_ARGUMENT);
  EXPECT_EQ(reason, "collective_run: all_reduce: send is NULL");
  EXPECT_EQ(status(ar, 0, base, nullptr), SL_INVALID_ARGUMENT);
  EXPECT_EQ(reason, "collective_run: all_reduce: recv is NULL");
  for (const int32_t op : {SL_COLL_ALL_TO_ALL, SL_COLL_SENDRECV}) {
    EXPECT_EQ(status(make_desc(op), 1, base, base), SL_INVALID_ARGUMENT);
    EXPECT_NE(reason.find("out of place only"), std::string::npos) << reason;
  }
  // all_to_all on 4 ranks: send and recv are 4 blocks each.
  EXPECT_EQ(status(make_desc(SL_COLL_ALL_TO_ALL), 1, base, base + 3 * block), SL_INVALID_ARGUMENT);
  EXPECT_EQ(status(make_desc(SL_COLL_ALL_TO_ALL), 1, base, base + 4 * block), SL_OK) << reason;
  // all_gather in place at rank 2's block; any other offset inside recv overlaps.
  EXPECT_EQ(status(make_desc(SL_COLL_ALL_GATHER), 2, base + 2 * block, base), SL_OK) << reason;
  EXPECT_EQ(status(make_desc(SL_COLL_ALL_GATHER), 2, base + block, base), SL_INVALID_ARGUMENT);
  const sl_collective_desc rs = make_desc(SL_COLL_REDUCE_SCATTER, SL_DTYPE_FP32, SL_REDUCE_SUM);
  EXPECT_EQ(status(rs, 1, base, base + block), SL_OK) << reason;
  // Non-root ranks: broadcast never reads send, reduce never writes recv.
  const sl_collective_desc bcast = make_desc(SL_COLL_BROADCAST, SL_DTYPE_FP32, 0, 0);
  EXPECT_EQ(status(bcast, 1, nullptr, base), SL_OK) << reason;
  EXPECT_EQ(status(bcast, 0, nullptr, base), SL_INVALID_ARGUMENT);
  EXPECT_EQ(status(bcast, 1, base + 4, base), SL_OK) << reason; // send unused: no overlap
  const sl_collective_desc reduce = make_desc(SL_COLL_REDUCE, SL_DTYPE_FP32, SL_REDUCE_SUM, 0);
  EXPECT_EQ(status(reduce, 1, base, nullptr), SL_OK) << reason;
  EXPECT_EQ(status(reduce, 0, base, nullptr), SL_INVALID_ARGUMENT);
}

TEST(gpu_collective_logic, ranges_overlap_only_when_they_share_a_byte) {
  std::vector<unsigned char> mem(64);
  EXPECT_TRUE(ranges_overlap(mem.data(), 16, mem.data() + 15, 1));
  EXPECT_FALSE(ranges_overlap(mem.data(), 16, mem.data() + 16, 16));
  EXPECT_FALSE(ranges_overlap(mem.data() + 16, 16, mem.data(), 16));
  EXPECT_FALSE(ranges_overlap(mem.data(), 0, mem.data(), 16));
}

TEST(gpu_collective_logic, nccl_results_map_to_statuses_and_names) {
  EXPECT_EQ(nccl_status(ncclSuccess), SL_OK);
  EXPECT_EQ(nccl_status(ncclInvalidArgument), SL_INVALID_ARGUMENT);
  EXPECT_EQ(nccl_status(ncclInvalidUsage), SL_INVALID_ARGUMENT);
  for (const ncclResult_t r : {ncclUnhandledCudaError, ncclSystemError, ncclInternalError,
                               ncclRemoteError, ncclInProgress}) {
    EXPECT_EQ(nccl_status(r), SL_DEVICE_ERROR) << nccl_result_name(r);
  }
  EXPECT_EQ(nccl_result_name(ncclRemoteError), "ncclRemoteError");
  EXPECT_EQ(nccl_result_name(static_cast<ncclResult_t>(15)), "ncclResult 15");
}

TEST(gpu_collective_logic, nccl_version_codes_as_text) {
  EXPECT_EQ(nccl_version_text(22809), "2.28.9");
  EXPECT_EQ(nccl_version_text(21000), "2.10.0");
  EXPECT_EQ(nccl_version_text(20906), "2.9.6");
  EXPECT_EQ(nccl_version_text(2708), "2.7.8");
  EXPECT_EQ(nccl_version_text(NCCL_VERSION_CODE), std::to_string(NCCL_MAJOR) + "." +
                                                      std::to_string(NCCL_MINOR) + "." +
                                                      std::to_string(NCCL_PATCH));
  EXPECT_EQ(nccl_version_text(0), "none");
}

} // namespace
} // namespace suanli::cuda
