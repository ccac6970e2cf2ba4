// Collectives of the CUDA plugin over NCCL. A plain MPI program (every rank is a process, so not
// GoogleTest), run by mpiexec: gpu_collective_test <libsuanli-cuda.so>. Rank r uses device r.
// Every operation x dtype x reduction x in place or not x root x count {1, 7, 1000} (and a
// larger count for the main operations) runs on a plugin stream, asynchronously, then every
// output element is compared bitwise with a value computed here; plus the descriptor and buffer
// refusals, comm_init's refusals, a run on the NULL stream, events around a collective, and
// library_versions naming NCCL.
// Skips (exit 77, which CTest reads as skipped) with the reason when the plugin cannot init (no
// driver), when there are fewer devices than ranks, or when NCCL is absent (after checking that
// the refusal names libnccl.so.2). Rank 0 prints "gpu_collective_test: N checks passed on P
// ranks"; exit 1 on any failure.

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

constexpr int k_skip = 77; // CTest's SKIP_RETURN_CODE for this test

const sl_backend_api *g_api = nullptr;
sl_context *g_ctx = nullptr;
sl_stream *g_stream = nullptr;
int g_rank = 0, g_nranks = 1;
int32_t g_device = 0;
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

// A host image of this rank's n inputs.
bytes_t inputs(const sl_collective_desc &d, uint64_t n) {
  const size_t size = sl_dtype_size(d.dtype);
  bytes_t out(n * size);
  for (uint64_t i = 0; i < n; ++i) {
    encode(input(g_rank, i, d.reduce), d.dtype, &out[i * size]);
  }
  return out;
}

// A mem_alloc block of this rank's device holding an image.
struct device_buffer {
  void *ptr = nullptr;
  size_t bytes = 0;
  explicit device_buffer(const bytes_t &image) : bytes(image.size()) {
    if (g_api->mem_alloc(g_ctx, g_device, bytes, &ptr) != SL_OK ||
        g_api->memcpy_h2d(g_ctx, g_device, ptr, image.data(), bytes) != SL_OK) {
      std::fprintf(stderr, "[rank %d] mem_alloc / memcpy_h2d: %s\n", g_rank, error().c_str());
      MPI_Abort(MPI_COMM_WORLD, 1);
    }
  }
  ~device_buffer() { g_api->mem_free(g_ctx, g_device, ptr); }
  device_buffer(const device_buffer &) = delete;
  device_buffer &operator=(const device_buffer &) = delete;
  unsigned char *at(uint64_t offset) const { return static_cast<unsigned char *>(ptr) + offset; }
  bytes_t read() const {
    bytes_t out(bytes);
    check(g_api->memcpy_d2h(g_ctx, g_device, out.data(), ptr, bytes) == SL_OK,
          "memcpy_d2h: " + error());
    return out;
  }
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

// Run one case on stream and check every output element of this rank.
void run_case(sl_comm *comm, const sl_collective_desc &d, bool in_place, sl_stream *stream) {
  const size_t size = sl_dtype_size(d.dtype);
  const uint64_t block = d.count * size;
  const auto me = static_cast<uint64_t>(g_rank);
  const std::string what = label(d, in_place) + (stream == nullptr ? " (NULL stream)" : "");
  if (const sl_status s = g_api->collective_check(g_ctx, comm, &d); s != SL_OK) {
    check(false, what + ": collective_check: " + sl_status_name(s) + ": " + error());
    return;
  }
  const uint64_t send_bytes = elems(d, true) * size, recv_bytes = elems(d, false) * size;
  const bytes_t send_image = inputs(d, elems(d, true));
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
  const device_buffer send_buf(in_place ? bytes_t(1) : send_image);
  const device_buffer recv_buf(recv_image);
  const void *send = in_place ? recv_buf.at(send_at) : send_buf.ptr;
  void *recv = recv_buf.at(recv_at);
  if (const sl_status s = g_api->collective_run(g_ctx, comm, &d, send, recv, stream); s != SL_OK) {
    check(false, what + ": collective_run: " + sl_status_name(s) + ": " + error());
    return;
  }
  if (const sl_status s = g_api->stream_sync(g_ctx, stream); s != SL_OK) {
    check(false, what + ": stream_sync: " + sl_status_name(s) + ": " + error());
    return;
  }
  const bytes_t got = recv_buf.read();
  if (d.op == SL_COLL_REDUCE && g_rank != d.root) { // no output: recv untouched
    check(got == recv_image, what + ": a non-root rank's buffer changed");
  } else {
    long wrong = 0;
    unsigned char want[8] = {};
    for (uint64_t i = 0; i < recv_bytes / size; ++i) {
      encode(expected(d, i), d.dtype, want);
      if (std::memcmp(&got[recv_at + i * size], want, size) != 0 && ++wrong <= 3) {
        std::printf("[rank %d] FAIL: %s: element %llu differs from %g\n", g_rank, what.c_str(),
                    static_cast<unsigned long long>(i), expected(d, i));
      }
    }
    check(wrong == 0, what + ": " + std::to_string(wrong) + " wrong elements");
  }
  if (!in_place) {
    check(send_buf.read() == send_image, what + ": the send buffer changed");
  }
}

constexpr sl_dtype k_dtypes[] = {SL_DTYPE_FP32, SL_DTYPE_FP16,  SL_DTYPE_BF16,
                                 SL_DTYPE_FP64, SL_DTYPE_INT32, SL_DTYPE_INT8};

sl_collective_desc make_desc(int32_t op, sl_dtype dtype, int32_t reduce, int32_t root,
                             uint64_t count) {
  return {sizeof(sl_collective_desc), op, dtype, reduce, root, 0, count};
}

// A communicator over all ranks: rank 0 makes the id, MPI_Bcast sends it, all join.
sl_comm *join() {
  uint64_t bytes = 0;
  check(g_api->comm_unique_id_size(g_ctx, &bytes) == SL_OK && bytes == 128,
        "unique id size 128 (sizeof(ncclUniqueId)): " + error());
  std::vector<unsigned char> id(bytes);
  if (g_rank == 0) {
    check(g_api->comm_unique_id(g_ctx, id.data(), bytes) == SL_OK, "comm_unique_id: " + error());
  }
  MPI_Bcast(id.data(), static_cast<int>(bytes), MPI_BYTE, 0, MPI_COMM_WORLD);
  sl_comm *comm = nullptr;
  const sl_status s = g_api->comm_init(g_ctx, g_device, g_rank, g_nranks, id.data(), bytes, &comm);
  check(s == SL_OK, std::string("comm_init: ") + sl_status_name(s) + ": " + error());
  return s == SL_OK ? comm : nullptr;
}

// collective_check / collective_run refusals (all local: no rank enters NCCL).
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
  status_is(make_desc(SL_COLL_ALL_REDUCE, SL_DTYPE_FP32, SL_REDUCE_SUM, 0, 0), SL_INVALID_ARGUMENT,
            "count 0", "count");
  status_is(make_desc(SL_COLL_ALL_REDUCE, SL_DTYPE_FP32, SL_REDUCE_SUM, 0, 1ull << 31), SL_OK,
            "count 2^31 (NCCL counts are size_t)");
  status_is(make_desc(7, SL_DTYPE_FP32, SL_REDUCE_NONE, 0, 8), SL_INVALID_ARGUMENT, "op 7");
  const size_t total = 1024 * static_cast<size_t>(g_nranks); // > mem_alloc's 256-byte minimum
  const device_buffer buf{bytes_t(total)};
  for (const int32_t op : {SL_COLL_ALL_TO_ALL, SL_COLL_SENDRECV}) {
    const sl_collective_desc d = make_desc(op, SL_DTYPE_FP32, SL_REDUCE_NONE, 0, 8);
    const sl_status s = g_api->collective_run(g_ctx, comm, &d, buf.ptr, buf.ptr, g_stream);
    check(s == SL_INVALID_ARGUMENT && error().find("out of place only") != std::string::npos,
          label(d, true) + ": got " + sl_status_name(s) + ": " + error());
  }
  const sl_collective_desc ar = make_desc(SL_COLL_ALL_REDUCE, SL_DTYPE_FP32, SL_REDUCE_SUM, 0, 8);
  std::vector<float> host(8);
  sl_status s = g_api->collective_run(g_ctx, comm, &ar, host.data(), buf.ptr, g_stream);
  check(s == SL_INVALID_ARGUMENT && error().find("mem_alloc") != std::string::npos,
        std::string("all_reduce from host memory: got ") + sl_status_name(s) + ": " + error());
  s = g_api->collective_run(g_ctx, comm, &ar, buf.ptr, buf.at(4), g_stream);
  check(s == SL_INVALID_ARGUMENT && error().find("overlap") != std::string::npos,
        std::string("all_reduce into an overlapping buffer: got ") + sl_status_name(s) + ": " +
            error());
  s = g_api->collective_run(g_ctx, comm, &ar, buf.ptr, buf.at(total - 16), g_stream);
  check(s == SL_INVALID_ARGUMENT, std::string("all_reduce past the end of a block: got ") +
                                      sl_status_name(s) + ": " + error());
}

// comm_init's local refusals (no rank enters NCCL).
void check_comm_init_refusals(int32_t devices) {
  unsigned char id[128] = {};
  sl_comm *comm = nullptr;
  check(g_api->comm_init(g_ctx, g_device, g_rank, g_nranks, id, 127, &comm) == SL_INVALID_ARGUMENT,
        "comm_init with a 127-byte id: " + error());
  check(g_api->comm_init(g_ctx, g_device, g_nranks, g_nranks, id, 128, &comm) ==
            SL_INVALID_ARGUMENT,
        "comm_init with rank == nranks: " + error());
  check(g_api->comm_init(g_ctx, devices, g_rank, g_nranks, id, 128, &comm) == SL_INVALID_ARGUMENT,
        "comm_init on a device that does not exist: " + error());
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
                run_case(comm, make_desc(op, dtype, reduce, root, count), in_place, g_stream);
              }
            }
          }
        }
      }
    }
    // A larger message (NCCL picks other algorithms and protocols), and the NULL stream.
    const int32_t reduce = reduces ? SL_REDUCE_SUM : SL_REDUCE_NONE;
    run_case(comm, make_desc(op, SL_DTYPE_BF16, reduce, 0, (1ull << 20) + 3), false, g_stream);
    run_case(comm, make_desc(op, SL_DTYPE_FP32, reduce, 0, 1000), false, nullptr);
  }
}

// Events recorded around a collective on the stream measure a positive device time.
void check_events(sl_comm *comm) {
  sl_event *start = nullptr, *stop = nullptr;
  if (g_api->event_create(g_ctx, g_device, &start) != SL_OK ||
      g_api->event_create(g_ctx, g_device, &stop) != SL_OK) {
    check(false, "event_create: " + error());
    return;
  }
  const sl_collective_desc d =
      make_desc(SL_COLL_ALL_REDUCE, SL_DTYPE_FP32, SL_REDUCE_SUM, 0, 1 << 22);
  const device_buffer send(bytes_t(d.count * 4, 0)), recv(bytes_t(d.count * 4, 0));
  uint64_t ns = 0; // out of place: even one rank copies 16 MiB
  check(g_api->event_record(g_ctx, start, g_stream) == SL_OK &&
            g_api->collective_run(g_ctx, comm, &d, send.ptr, recv.ptr, g_stream) == SL_OK &&
            g_api->event_record(g_ctx, stop, g_stream) == SL_OK &&
            g_api->event_elapsed_ns(g_ctx, start, stop, &ns) == SL_OK && ns > 0,
        "events around a 16 MiB all_reduce: " + std::to_string(ns) + " ns: " + error());
  g_api->event_destroy(g_ctx, start);
  g_api->event_destroy(g_ctx, stop);
}

// Load the plugin and make a context; 0, k_skip with the reason printed, or 1.
int load(const char *plugin) {
  void *handle = dlopen(plugin, RTLD_NOW | RTLD_LOCAL);
  auto entry =
      handle != nullptr ? reinterpret_cast<sl_entry_fn>(dlsym(handle, SL_ENTRY_SYMBOL)) : nullptr;
  g_api = entry != nullptr ? entry() : nullptr;
  if (g_api == nullptr || g_api->abi_minor < 2 || g_api->collective_run == nullptr) {
    std::fprintf(stderr, "gpu_collective_test: %s offers no ABI 1.2 collectives (%s)\n", plugin,
                 handle == nullptr ? dlerror() : "entry or collectives missing");
    return 1;
  }
  const sl_init_options options{sizeof(sl_init_options), 0};
  if (g_api->init(&options, &g_ctx) != SL_OK) {
    std::printf("gpu_collective_test: skipped: the CUDA plugin cannot init: %s\n",
                g_api->last_error(nullptr));
    return k_skip;
  }
  int32_t devices = 0;
  if (g_api->device_count(g_ctx, &devices) != SL_OK || devices < g_nranks) {
    std::printf("gpu_collective_test: skipped: %d rank(s) need one CUDA device each, %d seen\n",
                g_nranks, devices);
    return k_skip;
  }
  uint64_t bytes = 0;
  if (const sl_status s = g_api->comm_unique_id_size(g_ctx, &bytes); s == SL_UNSUPPORTED) {
    const bool named = error().find("libnccl.so.2") != std::string::npos;
    std::printf("gpu_collective_test: %s: %s\n", named ? "skipped" : "FAIL", error().c_str());
    return named ? k_skip : 1;
  }
  g_device = g_rank;
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: gpu_collective_test <libsuanli-cuda.so>\n");
    return 2;
  }
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &g_nranks);
  // Every rank agrees: any failure fails, else any skip skips.
  const int here = load(argv[1]);
  int worst = here == 0 ? 0 : here == k_skip ? 1 : 2;
  MPI_Allreduce(MPI_IN_PLACE, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  if (worst != 0) {
    if (g_ctx != nullptr) {
      g_api->finalize(g_ctx);
    }
    MPI_Finalize();
    return worst == 1 ? k_skip : 1;
  }
  char versions[4096] = {};
  check(g_api->library_versions(g_ctx, versions, sizeof versions) == SL_OK &&
            std::string(versions).find("NCCL=2.") != std::string::npos,
        std::string("library_versions names NCCL: ") + versions);
  check(g_api->stream_create(g_ctx, g_device, &g_stream) == SL_OK, "stream_create: " + error());
  int32_t devices = 0;
  g_api->device_count(g_ctx, &devices);
  sl_comm *comm = join();
  if (comm != nullptr) {
    check_refusals(comm);
    check_comm_init_refusals(devices);
    run_all_cases(comm);
    check_events(comm);
    // A second communicator, used once and left to finalize to release.
    if (sl_comm *second = join()) {
      run_case(second, make_desc(SL_COLL_ALL_REDUCE, SL_DTYPE_BF16, SL_REDUCE_SUM, 0, 7), false,
               g_stream);
    }
    check(g_api->comm_destroy(g_ctx, comm) == SL_OK, "comm_destroy: " + error());
    const sl_collective_desc d = make_desc(SL_COLL_ALL_REDUCE, SL_DTYPE_FP32, SL_REDUCE_SUM, 0, 1);
    check(g_api->collective_check(g_ctx, comm, &d) == SL_INVALID_ARGUMENT,
          "collective_check on a destroyed communicator: " + error());
  }
  g_api->finalize(g_ctx);
  long totals[2] = {g_checks, g_failures};
  MPI_Allreduce(MPI_IN_PLACE, totals, 2, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
  if (g_rank == 0) {
    if (totals[1] == 0) {
      std::printf("gpu_collective_test: %ld checks passed on %d ranks\n", totals[0], g_nranks);
    } else {
      std::printf("gpu_collective_test: %ld of %ld checks failed on %d ranks\n", totals[1],
                  totals[0], g_nranks);
    }
  }
  MPI_Finalize();
  return totals[1] == 0 ? 0 : 1;
}
