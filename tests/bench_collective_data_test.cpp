// Verification data of collectives (bench/collective_data.cpp): every operation, dtype,
// reduction and in-place form checked bit for bit against an independent host simulation, plus
// exactness bounds, poison and mismatch reports.
#include <bench/collective_data.hpp>
#include <bench/collective_problem.hpp>

#include <kernels/reference/element.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

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

using image = std::vector<std::byte>;

double load(const image &b, sl_dtype d, uint64_t i) {
  return suanli::reference::load(b.data(), d, static_cast<int64_t>(i));
}

// Every rank's recv image after running p on the host from the initial images bufs.
std::vector<image> simulate(const collective_problem &p, int32_t n,
                            const std::vector<collective_buffers> &bufs) {
  const uint64_t c = p.count(n);
  const auto un = static_cast<uint64_t>(n);
  // Element i of rank r's input, wherever NCCL's in-place rule puts it.
  const auto in = [&](int32_t r, uint64_t i) {
    const auto &b = bufs[static_cast<size_t>(r)];
    if (!p.in_place) {
      return load(b.send, p.dtype, i);
    }
    return load(b.recv, p.dtype, p.op == SL_COLL_ALL_GATHER ? static_cast<uint64_t>(r) * c + i : i);
  };
  const auto fold = [&](uint64_t i) {
    double acc = in(0, i);
    for (int32_t q = 1; q < n; ++q) {
      const double v = in(q, i);
      acc = p.reduce == SL_REDUCE_SUM    ? acc + v
            : p.reduce == SL_REDUCE_PROD ? acc * v
            : p.reduce == SL_REDUCE_MIN  ? std::min(acc, v)
                                         : std::max(acc, v);
    }
    return acc;
  };
  std::vector<image> out;
  for (int32_t r = 0; r < n; ++r) {
    image o = bufs[static_cast<size_t>(r)].recv;
    const auto set = [&](uint64_t i, double v) {
      suanli::reference::store(o.data(), p.dtype, static_cast<int64_t>(i), v);
    };
    const auto ur = static_cast<uint64_t>(r);
    for (uint64_t i = 0; i < c; ++i) {
      switch (p.op) {
      case SL_COLL_ALL_REDUCE: set(i, fold(i)); break;
      case SL_COLL_REDUCE:
        if (r == p.root) {
          set(i, fold(i));
        }
        break;
      case SL_COLL_REDUCE_SCATTER: set((p.in_place ? ur * c : 0) + i, fold(ur * c + i)); break;
      case SL_COLL_BROADCAST: set(i, in(p.root, i)); break;
      case SL_COLL_SENDRECV: set(i, in((r - 1 + n) % n, i)); break;
      case SL_COLL_ALL_GATHER:
        for (uint64_t q = 0; q < un; ++q) {
          set(q * c + i, in(static_cast<int32_t>(q), i));
        }
        break;
      case SL_COLL_ALL_TO_ALL:
        for (uint64_t q = 0; q < un; ++q) {
          set(q * c + i, in(static_cast<int32_t>(q), ur * c + i));
        }
        break;
      }
    }
    out.push_back(std::move(o));
  }
  return out;
}

// Problems of every operation, reduction and in-place form for one dtype and size.
std::vector<collective_problem> variants(sl_dtype dtype, uint64_t bytes, int32_t root) {
  std::vector<collective_problem> out;
  for (const auto &op : collective_ops()) {
    for (const auto red :
         op.reduces ? std::vector{SL_REDUCE_SUM, SL_REDUCE_PROD, SL_REDUCE_MIN, SL_REDUCE_MAX}
                    : std::vector{SL_REDUCE_NONE}) {
      for (const bool in_place : {false, true}) {
        if (in_place && !op.in_place_allowed) {
          continue;
        }
        auto p = make(op.op, dtype, bytes, red, in_place);
        p.root = op.has_root ? root : 0;
        out.push_back(p);
      }
    }
  }
  return out;
}

void check(const collective_problem &p, int32_t n, uint64_t seed) {
  SCOPED_TRACE(p.label() + " at " + std::to_string(n) + " ranks, " + std::to_string(p.bytes) +
               " B");
  ASSERT_EQ(collective_exactness_problem(p, n), "");
  std::vector<collective_buffers> bufs;
  for (int32_t r = 0; r < n; ++r) {
    bufs.push_back(make_collective_buffers(p, n, r, seed));
  }
  const auto after = simulate(p, n, bufs);
  const size_t elem = sl_dtype_size(p.dtype);
  for (int32_t r = 0; r < n; ++r) {
    const auto &b = bufs[static_cast<size_t>(r)];
    EXPECT_EQ(b.send.size(), p.in_place ? 0 : p.send_elems(n) * elem);
    // in place, reduce_scatter's recv lies inside its send: the image is the whole send buffer
    const bool whole = p.in_place && p.op == SL_COLL_REDUCE_SCATTER;
    EXPECT_EQ(b.recv.size(), (whole ? p.send_elems(n) : p.recv_elems(n)) * elem);
    // out of place the initial recv holds no input; in place it does, except on a broadcast's
    // non-root ranks
    const bool input_in_recv = p.in_place && !(p.op == SL_COLL_BROADCAST && r != p.root);
    EXPECT_EQ(b.recv_all_poison, !input_in_recv) << "rank " << r;
    if (b.expected.empty()) {
      EXPECT_TRUE(p.op == SL_COLL_REDUCE && r != p.root) << "rank " << r;
      continue;
    }
    const std::span<const std::byte> region(
        after[static_cast<size_t>(r)].data() + b.check_offset * elem, b.expected.size());
    EXPECT_EQ(compare_collective_output(region, b.expected, p.dtype).wrong, 0U) << "rank " << r;
    if (!p.in_place) { // the initial recv is all poison: no element may match
      const std::span<const std::byte> initial(b.recv.data(), b.expected.size());
      EXPECT_EQ(compare_collective_output(initial, b.expected, p.dtype).wrong,
                b.expected.size() / elem);
    }
    image flipped(region.begin(), region.end());
    const uint64_t k = (flipped.size() / elem) / 2;
    flipped[k * elem] ^= std::byte{1};
    const auto m = compare_collective_output(flipped, b.expected, p.dtype);
    EXPECT_EQ(m.wrong, 1U);
    EXPECT_EQ(m.first_index, k);
    EXPECT_EQ(m.first_expected, load(b.expected, p.dtype, k));
    EXPECT_NE(m.first_got, m.first_expected);
  }
}

TEST(CollectiveData, EveryOperationMatchesAHostSimulationBitForBit) {
  for (const sl_dtype dtype : collective_dtypes()) {
    const uint64_t elem = sl_dtype_size(dtype);
    for (const int32_t n : {1, 2, 3, 4}) {
      for (const uint64_t elems : {1U, 5U, 24U, 1000U}) {
        for (const auto &p : variants(dtype, elems * elem, n - 1)) {
          check(p, n, 42 + elems);
        }
      }
    }
  }
}

TEST(CollectiveData, LargeBuffersTakeTheParallelPath) {
  for (const auto &p : variants(SL_DTYPE_BF16, 2 * 70000, 1)) {
    check(p, 3, 7);
  }
}

TEST(CollectiveData, SumsStayExact) {
  auto p = make(SL_COLL_ALL_REDUCE, SL_DTYPE_INT8, 64, SL_REDUCE_SUM);
  EXPECT_EQ(collective_exactness_problem(p, 200),
            "int8 sum over 200 ranks is not exact: sums can reach 200, beyond int8's 127");
  EXPECT_EQ(collective_exactness_problem(p, 4), "");
  EXPECT_THROW((void)make_collective_buffers(p, 200, 0, 1), std::invalid_argument);
  p.reduce = SL_REDUCE_MAX;
  EXPECT_EQ(collective_exactness_problem(p, 200), "");

  // bf16 at 8 ranks: every input within 256/8 = 32, so every partial sum within 256.
  p = make(SL_COLL_ALL_REDUCE, SL_DTYPE_BF16, 2 * 4096, SL_REDUCE_SUM);
  double largest = 0;
  for (int32_t r = 0; r < 8; ++r) {
    const auto b = make_collective_buffers(p, 8, r, 3);
    for (uint64_t i = 0; i < 4096; ++i) {
      EXPECT_LE(std::fabs(load(b.send, SL_DTYPE_BF16, i)), 32.0);
      largest = std::max(largest, std::fabs(load(b.expected, SL_DTYPE_BF16, i)));
    }
  }
  EXPECT_LE(largest, 256.0);
  EXPECT_GT(largest, 32.0); // the inputs do spread

  // Products have magnitude 2 exactly, whatever the rank count.
  p = make(SL_COLL_ALL_REDUCE, SL_DTYPE_FP16, 2 * 100, SL_REDUCE_PROD);
  const auto b = make_collective_buffers(p, 5, 2, 9);
  for (uint64_t i = 0; i < 100; ++i) {
    EXPECT_EQ(std::fabs(load(b.expected, SL_DTYPE_FP16, i)), 2.0);
  }
}

TEST(CollectiveData, RanksGetDistinctInputsAndBadCallsThrow) {
  const auto p = make(SL_COLL_SENDRECV, SL_DTYPE_FP32, 4 * 256);
  EXPECT_NE(make_collective_buffers(p, 2, 0, 1).send, make_collective_buffers(p, 2, 1, 1).send);
  EXPECT_NE(make_collective_buffers(p, 2, 0, 1).send, make_collective_buffers(p, 2, 0, 2).send);
  EXPECT_EQ(make_collective_buffers(p, 2, 0, 1).send, make_collective_buffers(p, 2, 0, 1).send);
  EXPECT_THROW((void)make_collective_buffers(p, 2, 2, 1), std::invalid_argument);
  const std::vector<std::byte> four(4), eight(8);
  EXPECT_THROW((void)compare_collective_output(four, eight, SL_DTYPE_FP32), std::invalid_argument);
}

} // namespace
