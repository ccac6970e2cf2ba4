// Collective verification data: small integers, encoded bit-exactly per dtype, whose sums,
// products, minima and maxima are exact in any order, so outputs are compared bit for bit.
#include <bench/collective_data.hpp>

#include <bench/collective_codec.hpp>
#include <bench/dtype.hpp>

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>

namespace suanli::bench {
namespace {

// Largest input magnitude for reductions that cannot grow (min, max) and for copies.
constexpr int64_t max_magnitude = 1000;

// base[j] = f(j) for j < len, stored as U (the element width).
template <class U, class F> void store_as(std::byte *base, uint64_t len, const F &f) {
  const auto n = static_cast<int64_t>(len);
#pragma omp parallel for schedule(static) if (n >= 65536)
  for (int64_t j = 0; j < n; ++j) {
    const auto u = static_cast<U>(f(static_cast<uint64_t>(j)));
    std::memcpy(base + static_cast<size_t>(j) * sizeof(U), &u, sizeof(U));
  }
}

// The inputs of every rank of one problem: element i of rank r's send data.
class source {
public:
  source(const collective_problem &p, int32_t nranks, uint64_t seed)
      : nranks_(nranks), prod_(p.reduce == SL_REDUCE_PROD) {
    const int64_t big = find_collective_codec(p.dtype)->exact;
    bound_ = p.reduce == SL_REDUCE_SUM ? std::min(big / nranks, max_magnitude)
                                       : std::min(big, max_magnitude);
    for (int32_t r = 0; r < nranks; ++r) {
      seeds_.push_back(sl_mix64(seed ^ sl_mix64(0xC011EC7100000000ull + static_cast<uint64_t>(r))));
    }
  }

  // prod: +-1, +-2 on rank i % nranks (|product| = 2); otherwise uniform in [-bound, bound].
  [[nodiscard]] int64_t value(int32_t r, uint64_t i) const {
    const uint64_t bits = sl_fill_bits(seeds_[static_cast<size_t>(r)], i);
    if (prod_) {
      const int64_t magnitude =
          i % static_cast<uint64_t>(nranks_) == static_cast<uint64_t>(r) ? 2 : 1;
      return (bits >> 63) != 0 ? -magnitude : magnitude;
    }
    return static_cast<int64_t>(bits % static_cast<uint64_t>(2 * bound_ + 1)) - bound_;
  }

private:
  int32_t nranks_;
  bool prod_;
  int64_t bound_ = 0;
  std::vector<uint64_t> seeds_;
};

// What the builders of one problem, rank and seed share.
struct context {
  const collective_problem &p;
  int32_t n;
  int32_t rank;
  uint64_t c;  // count(n)
  size_t elem; // element size [bytes]
  source src;

  [[nodiscard]] uint64_t bits(int32_t r, uint64_t i) const {
    return encode_collective_integer(p.dtype, src.value(r, i));
  }

  // Element i of the reduction over all ranks.
  [[nodiscard]] uint64_t reduced(uint64_t i) const {
    int64_t acc = src.value(0, i);
    for (int32_t r = 1; r < n; ++r) {
      const int64_t v = src.value(r, i);
      switch (p.reduce) {
      case SL_REDUCE_PROD: acc *= v; break;
      case SL_REDUCE_MIN: acc = std::min(acc, v); break;
      case SL_REDUCE_MAX: acc = std::max(acc, v); break;
      default: acc += v; break;
      }
    }
    return encode_collective_integer(p.dtype, acc);
  }

  // len elements, element j = f(j).
  template <class F> [[nodiscard]] std::vector<std::byte> image(uint64_t len, const F &f) const {
    std::vector<std::byte> out(len * elem);
    put(out, 0, len, f);
    return out;
  }
  // Overwrite elements at .. at + len of buf with f(0 .. len).
  template <class F>
  void put(std::vector<std::byte> &buf, uint64_t at, uint64_t len, const F &f) const {
    std::byte *base = buf.data() + at * elem;
    switch (elem) {
    case 1: store_as<uint8_t>(base, len, f); break;
    case 2: store_as<uint16_t>(base, len, f); break;
    case 4: store_as<uint32_t>(base, len, f); break;
    default: store_as<uint64_t>(base, len, f); break;
    }
  }
  [[nodiscard]] std::vector<std::byte> poison(uint64_t len) const {
    const uint64_t bits = find_collective_codec(p.dtype)->poison;
    return image(len, [bits](uint64_t) { return bits; });
  }
  // Elements first .. first + len of rank r's send data.
  [[nodiscard]] std::vector<std::byte> data(int32_t r, uint64_t first, uint64_t len) const {
    return image(len, [&](uint64_t j) { return bits(r, first + j); });
  }
};

using builder = void (*)(const context &, collective_buffers &);

// Send count, receive count; expected: the reduction (on every rank, or on the root only).
void build_reduction(const context &x, collective_buffers &b, bool on_this_rank) {
  auto own = x.data(x.rank, 0, x.c);
  if (x.p.in_place) {
    b.recv = std::move(own);
  } else {
    b.send = std::move(own);
    b.recv = x.poison(x.c);
  }
  if (on_this_rank) {
    b.expected = x.image(x.c, [&](uint64_t j) { return x.reduced(j); });
  }
}

void all_reduce(const context &x, collective_buffers &b) {
  build_reduction(x, b, true);
}

void reduce(const context &x, collective_buffers &b) {
  build_reduction(x, b, x.rank == x.p.root);
}

void all_gather(const context &x, collective_buffers &b) {
  b.recv = x.poison(static_cast<uint64_t>(x.n) * x.c);
  if (x.p.in_place) {
    x.put(b.recv, static_cast<uint64_t>(x.rank) * x.c, x.c,
          [&](uint64_t j) { return x.bits(x.rank, j); });
  } else {
    b.send = x.data(x.rank, 0, x.c);
  }
  b.expected = x.image(static_cast<uint64_t>(x.n) * x.c,
                       [&](uint64_t j) { return x.bits(static_cast<int32_t>(j / x.c), j % x.c); });
}

void reduce_scatter(const context &x, collective_buffers &b) {
  auto own = x.data(x.rank, 0, static_cast<uint64_t>(x.n) * x.c);
  const uint64_t block = static_cast<uint64_t>(x.rank) * x.c;
  if (x.p.in_place) {
    b.recv = std::move(own);
    b.check_offset = block;
  } else {
    b.send = std::move(own);
    b.recv = x.poison(x.c);
  }
  b.expected = x.image(x.c, [&](uint64_t j) { return x.reduced(block + j); });
}

void all_to_all(const context &x, collective_buffers &b) {
  const uint64_t total = static_cast<uint64_t>(x.n) * x.c;
  b.send = x.data(x.rank, 0, total);
  b.recv = x.poison(total);
  const uint64_t block = static_cast<uint64_t>(x.rank) * x.c;
  b.expected = x.image(
      total, [&](uint64_t j) { return x.bits(static_cast<int32_t>(j / x.c), block + j % x.c); });
}

void broadcast(const context &x, collective_buffers &b) {
  const bool is_root = x.rank == x.p.root;
  if (x.p.in_place) {
    b.recv = is_root ? x.data(x.rank, 0, x.c) : x.poison(x.c);
  } else {
    b.send = x.data(x.rank, 0, x.c); // read on the root only
    b.recv = x.poison(x.c);
  }
  b.expected = is_root && x.p.in_place ? b.recv : x.data(x.p.root, 0, x.c);
}

void sendrecv(const context &x, collective_buffers &b) {
  b.send = x.data(x.rank, 0, x.c);
  b.recv = x.poison(x.c);
  b.expected = x.data((x.rank - 1 + x.n) % x.n, 0, x.c);
}

struct op_builder {
  sl_collective_op op;
  builder build;
};
constexpr std::array<op_builder, 7> builders{{
    {SL_COLL_ALL_REDUCE, &all_reduce},
    {SL_COLL_ALL_GATHER, &all_gather},
    {SL_COLL_REDUCE_SCATTER, &reduce_scatter},
    {SL_COLL_ALL_TO_ALL, &all_to_all},
    {SL_COLL_BROADCAST, &broadcast},
    {SL_COLL_REDUCE, &reduce},
    {SL_COLL_SENDRECV, &sendrecv},
}};

} // namespace

std::string collective_exactness_problem(const collective_problem &p, int32_t nranks) {
  const auto *c = find_collective_codec(p.dtype);
  if (c == nullptr) {
    return "dtype " + std::string(name(p.dtype)) + " has no exact collective inputs";
  }
  if (p.reduce != SL_REDUCE_SUM || nranks < 1 || c->exact / nranks >= 1) {
    return "";
  }
  const std::string type(name(p.dtype));
  return type + " sum over " + std::to_string(nranks) + " ranks is not exact: sums can reach " +
         std::to_string(nranks) + ", beyond " + type + "'s " + std::to_string(c->exact);
}

collective_buffers make_collective_buffers(const collective_problem &p, int32_t nranks,
                                           int32_t rank, uint64_t seed) {
  std::string why = p.invalid_reason().value_or("");
  if (why.empty()) {
    why = p.rank_problem(nranks).value_or("");
  }
  if (why.empty()) {
    why = collective_exactness_problem(p, nranks);
  }
  if (why.empty() && (rank < 0 || rank >= nranks)) {
    why = "rank " + std::to_string(rank) + " is not a rank of " + std::to_string(nranks);
  }
  if (!why.empty()) {
    throw std::invalid_argument("make_collective_buffers: " + why);
  }
  const context x{
      p, nranks, rank, p.count(nranks), sl_dtype_size(p.dtype), source(p, nranks, seed)};
  collective_buffers b;
  for (const auto &row : builders) {
    if (row.op == p.op) {
      row.build(x, b);
    }
  }
  const auto poison = x.poison(1);
  b.recv_all_poison = true;
  for (size_t at = 0; at < b.recv.size() && b.recv_all_poison; at += x.elem) {
    b.recv_all_poison = std::memcmp(b.recv.data() + at, poison.data(), x.elem) == 0;
  }
  return b;
}

collective_mismatch compare_collective_output(std::span<const std::byte> got,
                                              std::span<const std::byte> expected, sl_dtype dtype) {
  const size_t elem = sl_dtype_size(dtype);
  if (elem == 0 || got.size() != expected.size() || got.size() % elem != 0) {
    throw std::invalid_argument("compare_collective_output: " + std::to_string(got.size()) +
                                " B read back against " + std::to_string(expected.size()) +
                                " B expected of " + std::string(name(dtype)));
  }
  collective_mismatch m;
  if (got.empty() || std::memcmp(got.data(), expected.data(), got.size()) == 0) {
    return m;
  }
  for (size_t offset = 0; offset < got.size(); offset += elem) {
    if (std::memcmp(got.data() + offset, expected.data() + offset, elem) == 0) {
      continue;
    }
    if (m.wrong++ == 0) {
      m.first_index = offset / elem;
      m.first_got = decode_collective_bits(dtype, load_element_bits(got.data() + offset, elem));
      m.first_expected =
          decode_collective_bits(dtype, load_element_bits(expected.data() + offset, elem));
    }
  }
  return m;
}

} // namespace suanli::bench
