// Collectives of the CPU plugin over MPI. A plain MPI program (every rank is a process, so not
// GoogleTest), run by mpiexec: cpu_collective_test <plugin.so> [fault | no_mpi].
//  (none)  every operation x dtype x reduction x in place or not x root x count {1, 7, 1000},
//          every output element compared bitwise with a value computed here, plus the
//          descriptor checks and comm_init's refusals;
//  fault   SUANLI_CPU_FAULT=corrupt_collective_output: exactly one element of one rank wrong;
//  no_mpi  run without mpiexec and without MPI_Init: comm_init refuses with a reason.
// Rank 0 prints "cpu_collective_test: N checks passed on P ranks"; exit 1 on any failure.

#include <kernels/abi/suanli_backend.h>

#include <dlfcn.h>
#include <mpi.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

using bytes_t = std::vector<unsigned char>;

const sl_backend_api *g_api = nullptr;
sl_context *g_ctx = nullptr;
int g_rank = 0, g_nranks = 1;
long g_checks = 0, g_failures = 0;

void check(bool ok, const std::string &what) {
  ++g_checks;
  if (!ok) {
    ++g_failures;
    std::printf("[rank %d] FAIL: %s\n", g_rank, what.c_str());
    std::fflush(stdout);
  }
}

std::string error() {
  return g_api->last_error(g_ctx);
}

// value (a small integer, exact in every dtype) encoded as one dtype element at out.
void encode(double value, sl_dtype dtype, unsigned char *out) {
  const auto f = static_cast<float>(value);
  uint32_t u = 0;
  std::memcpy(&u, &f, sizeof u);
  switch (dtype) {
  case SL_DTYPE_FP64: std::memcpy(out, &value, 8); return;
  case SL_DTYPE_FP32: std::memcpy(out, &f, 4); return;
  case SL_DTYPE_INT32: {
    const auto v = static_cast<int32_t>(value);
    std::memcpy(out, &v, 4);
    return;
  }
  case SL_DTYPE_INT8: *out = static_cast<unsigned char>(static_cast<int8_t>(value)); return;
  case SL_DTYPE_BF16: {
    const auto h = static_cast<uint16_t>(u >> 16); // exact: small integers need <= 8 bits
    std::memcpy(out, &h, 2);
    return;
  }
  default: { // fp16, normal numbers and zero
    const auto sign = static_cast<uint32_t>((u >> 16) & 0x8000u);
    const uint32_t abs = u & 0x7fffffffu;
    const uint32_t h =
        abs == 0 ? sign : sign | ((((abs >> 23) - 112u) << 10) | ((abs >> 13) & 0x3ffu));
    const auto h16 = static_cast<uint16_t>(h);
    std::memcpy(out, &h16, 2);
    return;
  }
  }
}

// Input element i of rank r: small integers whose reductions over the ranks are exact in
// every dtype (sums within +-2n, products within 2^n, min/max within +-5, moves within +-100).
double input(int r, uint64_t i, int32_t reduce) {
  const auto ur = static_cast<uint64_t>(r);
  switch (reduce) {
  case SL_REDUCE_SUM: return static_cast<double>((ur * 3 + i) % 5) - 2;
  case SL_REDUCE_PROD: {
    static const double k_factors[] = {1, 2, -1};
    return g_nranks <= 6 ? k_factors[(ur + i) % 3] : ((ur + i) % 2 == 0 ? 1 : -1);
  }
  case SL_REDUCE_MIN:
  case SL_REDUCE_MAX: return static_cast<double>((ur * 7 + i * 3) % 11) - 5;
  default: return static_cast<double>((ur * 37 + i * 11) % 201) - 100;
  }
}

// The reduction of element i of every rank's input.
double reduced(uint64_t i, int32_t reduce) {
  double acc = input(0, i, reduce);
  for (int q = 1; q < g_nranks; ++q) {
    const double v = input(q, i, reduce);
    acc = reduce == SL_REDUCE_SUM    ? acc + v
          : reduce == SL_REDUCE_PROD ? acc * v
          : reduce == SL_REDUCE_MIN  ? std::min(acc, v)
                                     : std::max(acc, v);
  }
  return acc;
}

// The expected element i of this rank's defined output.
double expected(const sl_collective_desc &d, uint64_t i) {
  const uint64_t c = d.count;
  const auto me = static_cast<uint64_t>(g_rank);
  switch (d.op) {
  case SL_COLL_ALL_GATHER: return input(static_cast<int>(i / c), i % c, d.reduce);
  case SL_COLL_REDUCE_SCATTER: return reduced(me * c + i, d.reduce);
  case SL_COLL_ALL_TO_ALL: return input(static_cast<int>(i / c), me * c + i % c, d.reduce);
  case SL_COLL_BROADCAST: return input(d.root, i, d.reduce);
  case SL_COLL_SENDRECV: return input((g_rank - 1 + g_nranks) % g_nranks, i, d.reduce);
  default: return reduced(i, d.reduce); // all_reduce, reduce
  }
}

// Buffers of the send and recv side in elements (NCCL's conventions).
uint64_t elems(const sl_collective_desc &d, bool send) {
  const auto n = static_cast<uint64_t>(g_nranks);
  switch (d.op) {
  case SL_COLL_ALL_GATHER: return send ? d.count : n * d.count;
  case SL_COLL_REDUCE_SCATTER: return send ? n * d.count : d.count;
  case SL_COLL_ALL_TO_ALL: return n * d.count;
  default: return d.count;
  }
}

// A host image of n elements: this rank's inputs from element `first` on.
bytes_t inputs(const sl_collective_desc &d, uint64_t first, uint64_t n) {
  const size_t size = sl_dtype_size(d.dtype);
  bytes_t out(n * size);
  for (uint64_t i = 0; i < n; ++i) {
    encode(input(g_rank, first + i, d.reduce), d.dtype, &out[i * size]);
  }
  return out;
}

// A mem_alloc block holding an image.
struct device_buffer {
  void *ptr = nullptr;
  size_t bytes = 0;
  explicit device_buffer(const bytes_t &image) : bytes(image.size()) {
    if (g_api->mem_alloc(g_ctx, 0, bytes, &ptr) != SL_OK) {
      std::fprintf(stderr, "mem_alloc: %s\n", error().c_str());
      std::abort();
    }
    std::memcpy(ptr, image.data(), bytes);
  }
  ~device_buffer() { g_api->mem_free(g_ctx, 0, ptr); }
  device_buffer(const device_buffer &) = delete;
  device_buffer &operator=(const device_buffer &) = delete;
  unsigned char *at(uint64_t offset) const { return static_cast<unsigned char *>(ptr) + offset; }
};

std::string label(const sl_collective_desc &d, bool in_place) {
  static const char *k_ops[] = {"all_reduce", "all_gather", "reduce_scatter", "all_to_all",
                                "broadcast",  "reduce",     "sendrecv"};
  static const char *k_reduce[] = {"none", "sum", "prod", "min", "max"};
  static const char *k_dtypes[] = {"?", "fp64", "fp32", "?", "fp16", "bf16",
                                   "?", "?",    "int8", "?", "int32"};
  return std::string(k_ops[d.op]) + " " + k_dtypes[d.dtype] + " " + k_reduce[d.reduce] +
         (in_place ? " in place" : " out of place") + " root " + std::to_string(d.root) +
         " count " + std::to_string(d.count);
}

// Run one case; the number of wrong output elements on this rank (-1 when the run failed).
long run_case(sl_comm *comm, const sl_collective_desc &d, bool in_place, bool report) {
  const size_t size = sl_dtype_size(d.dtype);
  const uint64_t block = d.count * size;
  const auto me = static_cast<uint64_t>(g_rank);
  const std::string what = label(d, in_place);
  if (const sl_status s = g_api->collective_check(g_ctx, comm, &d); s != SL_OK) {
    check(false, what + ": collective_check: " + sl_status_name(s) + ": " + error());
    return -1;
  }
  const uint64_t send_bytes = elems(d, true) * size, recv_bytes = elems(d, false) * size;
  bytes_t send_image = inputs(d, 0, elems(d, true));
  bytes_t recv_image(std::max(send_bytes, recv_bytes), 0xa5); // poison
  uint64_t send_at = 0, recv_at = 0;                          // offsets into the one buffer
  if (in_place) {
    if (d.op == SL_COLL_ALL_GATHER) {
      send_at = me * block;
    } else if (d.op == SL_COLL_REDUCE_SCATTER) {
      recv_at = me * block;
    }
    if (d.op != SL_COLL_BROADCAST || g_rank == d.root) {
      std::copy(send_image.begin(), send_image.end(), recv_image.begin() + long(send_at));
    }
  }
  device_buffer send_buf(in_place ? bytes_t(1) : send_image);
  device_buffer recv_buf(recv_image);
  const void *send = in_place ? recv_buf.at(send_at) : send_buf.ptr;
  void *recv = recv_buf.at(recv_at);
  if (const sl_status s = g_api->collective_run(g_ctx, comm, &d, send, recv, nullptr); s != SL_OK) {
    check(false, what + ": collective_run: " + sl_status_name(s) + ": " + error());
    return -1;
  }
  long wrong = 0;
  if (d.op == SL_COLL_REDUCE && g_rank != d.root) { // no output: recv untouched
    check(std::memcmp(recv_buf.ptr, recv_image.data(), recv_image.size()) == 0,
          what + ": a non-root rank's buffer changed");
  } else {
    unsigned char want[8] = {};
    const auto *got = static_cast<const unsigned char *>(recv);
    for (uint64_t i = 0; i < recv_bytes / size; ++i) {
      encode(expected(d, i), d.dtype, want);
      if (std::memcmp(got + i * size, want, size) != 0 && ++wrong <= 3 && report) {
        std::printf("[rank %d] FAIL: %s: element %llu differs from %g\n", g_rank, what.c_str(),
                    static_cast<unsigned long long>(i), expected(d, i));
      }
    }
    if (report) {
      check(wrong == 0, what + ": " + std::to_string(wrong) + " wrong elements");
    }
  }
  if (!in_place && report) {
    check(std::memcmp(send_buf.ptr, send_image.data(), send_bytes) == 0,
          what + ": the send buffer changed");
  }
  return wrong;
}

constexpr sl_dtype k_dtypes[] = {SL_DTYPE_FP32, SL_DTYPE_FP16,  SL_DTYPE_BF16,
                                 SL_DTYPE_FP64, SL_DTYPE_INT32, SL_DTYPE_INT8};

sl_collective_desc make_desc(int32_t op, sl_dtype dtype, int32_t reduce, int32_t root,
                             uint64_t count) {
  return {sizeof(sl_collective_desc), op, dtype, reduce, root, 0, count};
}

// A communicator over all ranks: rank 0 makes the id, MPI_Bcast sends it, all join.
sl_comm *join(int32_t nranks, sl_status want = SL_OK) {
  uint64_t bytes = 0;
  check(g_api->comm_unique_id_size(g_ctx, &bytes) == SL_OK && bytes == 32, "unique id size 32");
  std::vector<unsigned char> id(bytes);
  if (g_rank == 0) {
    check(g_api->comm_unique_id(g_ctx, id.data(), bytes) == SL_OK, "comm_unique_id: " + error());
  }
  MPI_Bcast(id.data(), static_cast<int>(bytes), MPI_BYTE, 0, MPI_COMM_WORLD);
  sl_comm *comm = nullptr;
  const sl_status s = g_api->comm_init(g_ctx, 0, g_rank, nranks, id.data(), bytes, &comm);
  check(s == want, std::string("comm_init with nranks ") + std::to_string(nranks) + ": " +
                       sl_status_name(s) + ": " + error());
  return comm;
}

// collective_check / collective_run refusals (all local: no rank enters MPI).
void check_refusals(sl_comm *comm) {
  const auto status_is = [&](sl_collective_desc d, sl_status want, const std::string &what,
                             const std::string &needle = "") {
    const sl_status s = g_api->collective_check(g_ctx, comm, &d);
    check(s == want && error().find(needle) != std::string::npos,
          what + ": got " + sl_status_name(s) + ": " + error());
  };
  status_is(make_desc(SL_COLL_ALL_REDUCE, SL_DTYPE_FP8_E4M3, SL_REDUCE_SUM, 0, 8), SL_UNSUPPORTED,
            "fp8_e4m3 all_reduce", "not fp8_e4m3");
  status_is(make_desc(SL_COLL_ALL_REDUCE, SL_DTYPE_FP32, SL_REDUCE_NONE, 0, 8), SL_INVALID_ARGUMENT,
            "all_reduce without a reduction", "needs a reduction");
  status_is(make_desc(SL_COLL_ALL_GATHER, SL_DTYPE_FP32, SL_REDUCE_SUM, 0, 8), SL_INVALID_ARGUMENT,
            "all_gather with a reduction", "takes no reduction");
  status_is(make_desc(SL_COLL_BROADCAST, SL_DTYPE_FP32, SL_REDUCE_NONE, g_nranks, 8),
            SL_INVALID_ARGUMENT, "broadcast root out of range", "root");
  status_is(make_desc(SL_COLL_REDUCE, SL_DTYPE_FP32, SL_REDUCE_MAX, -1, 8), SL_INVALID_ARGUMENT,
            "reduce root -1", "root");
  status_is(make_desc(SL_COLL_ALL_REDUCE, SL_DTYPE_FP32, SL_REDUCE_SUM, 0, 0), SL_INVALID_ARGUMENT,
            "count 0", "count");
  status_is(make_desc(SL_COLL_ALL_REDUCE, SL_DTYPE_FP32, SL_REDUCE_SUM, 0, 1ull << 31),
            SL_UNSUPPORTED, "count 2^31", "2147483647");
  status_is(make_desc(7, SL_DTYPE_FP32, SL_REDUCE_NONE, 0, 8), SL_INVALID_ARGUMENT, "op 7");
  sl_collective_desc small = make_desc(SL_COLL_ALL_REDUCE, SL_DTYPE_FP32, SL_REDUCE_SUM, 0, 8);
  small.struct_size = 8;
  status_is(small, SL_INVALID_ARGUMENT, "struct_size 8", "struct_size");
  status_is(make_desc(SL_COLL_ALL_TO_ALL, SL_DTYPE_INT8, SL_REDUCE_NONE, 0, 8), SL_OK,
            "all_to_all int8");
  device_buffer buf(bytes_t(8 * static_cast<size_t>(g_nranks) * 4));
  for (const int32_t op : {SL_COLL_ALL_TO_ALL, SL_COLL_SENDRECV}) {
    const sl_collective_desc d = make_desc(op, SL_DTYPE_FP32, SL_REDUCE_NONE, 0, 8);
    const sl_status s = g_api->collective_run(g_ctx, comm, &d, buf.ptr, buf.ptr, nullptr);
    check(s == SL_INVALID_ARGUMENT && error().find("out of place only") != std::string::npos,
          label(d, true) + ": got " + sl_status_name(s) + ": " + error());
  }
}

// comm_init's refusals: local argument checks, and a split that disagrees with nranks.
void check_comm_init_refusals() {
  unsigned char id[32] = {};
  sl_comm *comm = nullptr;
  check(g_api->comm_init(g_ctx, 0, g_rank, g_nranks, id, 31, &comm) == SL_INVALID_ARGUMENT,
        "comm_init with a 31-byte id");
  check(g_api->comm_init(g_ctx, 0, g_nranks, g_nranks, id, 32, &comm) == SL_INVALID_ARGUMENT,
        "comm_init with rank == nranks");
  check(g_api->comm_init(g_ctx, 1, g_rank, g_nranks, id, 32, &comm) == SL_INVALID_ARGUMENT,
        "comm_init on device 1");
  join(g_nranks + 1, SL_INVALID_ARGUMENT);
  const std::string reason = error();
  check(reason.find(std::to_string(g_nranks) + " ranks") != std::string::npos &&
            reason.find("nranks = " + std::to_string(g_nranks + 1)) != std::string::npos,
        "mismatched nranks reason names both numbers: " + reason);
}

void run_all_cases(sl_comm *comm) {
  for (int32_t op = SL_COLL_ALL_REDUCE; op <= SL_COLL_SENDRECV; ++op) {
    const bool reduces =
        op == SL_COLL_ALL_REDUCE || op == SL_COLL_REDUCE_SCATTER || op == SL_COLL_REDUCE;
    const bool in_place_allowed = op != SL_COLL_ALL_TO_ALL && op != SL_COLL_SENDRECV;
    std::vector<int32_t> roots{0};
    if ((op == SL_COLL_BROADCAST || op == SL_COLL_REDUCE) && g_nranks > 1) {
      roots.push_back(g_nranks - 1);
    }
    for (const sl_dtype dtype : k_dtypes) {
      for (int32_t reduce = reduces ? 1 : 0; reduce <= (reduces ? 4 : 0); ++reduce) {
        for (const bool in_place : {false, true}) {
          for (const int32_t root : roots) {
            for (const uint64_t count : {1ull, 7ull, 1000ull}) {
              if (!in_place || in_place_allowed) {
                run_case(comm, make_desc(op, dtype, reduce, root, count), in_place, true);
              }
            }
          }
        }
      }
    }
  }
}

// Fault mode: every rank's wrong-element count, gathered; exactly one element of `culprit`.
void check_fault(sl_comm *comm, const sl_collective_desc &d, bool in_place, int culprit) {
  const long wrong = run_case(comm, d, in_place, false);
  std::vector<long> all(static_cast<size_t>(g_nranks));
  MPI_Allgather(&wrong, 1, MPI_LONG, all.data(), 1, MPI_LONG, MPI_COMM_WORLD);
  for (int q = 0; q < g_nranks; ++q) {
    check(all[static_cast<size_t>(q)] == (q == culprit ? 1 : 0),
          label(d, in_place) + ": rank " + std::to_string(q) + " has " +
              std::to_string(all[static_cast<size_t>(q)]) + " wrong elements, expected " +
              (q == culprit ? "1" : "0"));
  }
}

bool load(const char *plugin) {
  void *handle = dlopen(plugin, RTLD_NOW | RTLD_LOCAL);
  auto entry =
      handle != nullptr ? reinterpret_cast<sl_entry_fn>(dlsym(handle, SL_ENTRY_SYMBOL)) : nullptr;
  g_api = entry != nullptr ? entry() : nullptr;
  if (g_api == nullptr || g_api->abi_minor < 2 || g_api->collective_run == nullptr) {
    std::fprintf(stderr, "cpu_collective_test: %s offers no ABI 1.2 collectives (%s)\n", plugin,
                 handle == nullptr ? dlerror() : "entry or collectives missing");
    return false;
  }
  const sl_init_options options{sizeof(sl_init_options), 1};
  if (g_api->init(&options, &g_ctx) != SL_OK) {
    std::fprintf(stderr, "cpu_collective_test: init: %s\n", g_api->last_error(nullptr));
    return false;
  }
  return true;
}

// No MPI_Init: the id still works, comm_init refuses with a reason.
int run_without_mpi(const char *plugin) {
  if (!load(plugin)) {
    return 1;
  }
  unsigned char id[32] = {}, zero[32] = {};
  check(g_api->comm_unique_id(g_ctx, id, 32) == SL_OK && std::memcmp(id, zero, 32) != 0,
        "comm_unique_id without MPI: " + error());
  sl_comm *comm = nullptr;
  const sl_status s = g_api->comm_init(g_ctx, 0, 0, 1, id, 32, &comm);
  check(s == SL_DEVICE_ERROR && error().find("MPI is not initialized") != std::string::npos,
        std::string("comm_init without MPI: ") + sl_status_name(s) + ": " + error());
  g_api->finalize(g_ctx);
  std::printf("cpu_collective_test: %ld of %ld checks failed without MPI\n", g_failures, g_checks);
  return g_failures == 0 ? 0 : 1;
}

} // namespace

int main(int argc, char **argv) {
  const std::string mode = argc > 2 ? argv[2] : "";
  if (argc < 2 || (mode != "" && mode != "fault" && mode != "no_mpi")) {
    std::fprintf(stderr, "usage: cpu_collective_test <libsuanli-cpu.so> [fault | no_mpi]\n");
    return 2;
  }
  if (mode == "no_mpi") {
    return run_without_mpi(argv[1]);
  }
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &g_nranks);
  if (mode == "fault") {
    setenv("SUANLI_CPU_FAULT", "corrupt_collective_output", 1); // read by init
  }
  int loaded = load(argv[1]) ? 1 : 0;
  MPI_Allreduce(MPI_IN_PLACE, &loaded, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  if (loaded == 0) {
    MPI_Finalize();
    return 1;
  }
  sl_comm *comm = join(g_nranks);
  if (comm != nullptr && mode == "fault") {
    for (const sl_dtype dtype : {SL_DTYPE_FP32, SL_DTYPE_BF16, SL_DTYPE_INT8}) {
      for (const bool in_place : {false, true}) {
        const sl_collective_desc d = make_desc(SL_COLL_ALL_REDUCE, dtype, SL_REDUCE_SUM, 0, 1000);
        check_fault(comm, d, in_place, g_nranks - 1);
      }
    }
    check_fault(comm, make_desc(SL_COLL_REDUCE, SL_DTYPE_FP32, SL_REDUCE_SUM, 0, 7), false, 0);
  } else if (comm != nullptr) {
    check_refusals(comm);
    check_comm_init_refusals();
    run_all_cases(comm);
    // A second communicator, used once and left to finalize to free.
    sl_comm *second = join(g_nranks);
    if (second != nullptr) {
      run_case(second, make_desc(SL_COLL_ALL_REDUCE, SL_DTYPE_BF16, SL_REDUCE_SUM, 0, 7), false,
               true);
    }
  }
  if (comm != nullptr) {
    check(g_api->comm_destroy(g_ctx, comm) == SL_OK, "comm_destroy: " + error());
  }
  g_api->finalize(g_ctx);
  long totals[2] = {g_checks, g_failures};
  MPI_Allreduce(MPI_IN_PLACE, totals, 2, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
  if (g_rank == 0) {
    if (totals[1] == 0) {
      std::printf("cpu_collective_test: %ld checks passed on %d ranks%s\n", totals[0], g_nranks,
                  mode == "fault" ? " (fault injection caught)" : "");
    } else {
      std::printf("cpu_collective_test: %ld of %ld checks failed on %d ranks\n", totals[1],
                  totals[0], g_nranks);
    }
  }
  MPI_Finalize();
  return totals[1] == 0 ? 0 : 1;
}
