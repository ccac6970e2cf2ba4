// Attention performance against the plugin's own GEMM, in one program (Google Benchmark):
//   build/bin/attention_bench                      rates: GEMM fp32 4096^3 and attention
//                                                  B=1 Hq=16 S=4096 d=128 (fp32, bf16; causal)
//   build/bin/attention_bench --peak-rss fp32|bf16 peak resident memory of one S=32k, H=8,
//                                                  d=128 forward against the bytes of Q, K, V, O
// Every rate is the median of suanli's own engine (default policy), through the plugin ABI.
#include <bench/attention_problem.hpp>
#include <bench/engine.hpp>
#include <kernels/host/plugin_backend.hpp>

#include <benchmark/benchmark.h>

#include <sys/resource.h>

#include <cstdio>
#include <cstring>

namespace {

using namespace suanli;

host::plugin_backend &cpu_backend() {
  static host::plugin_backend b(host::plugin_library::open(SUANLI_CPU_PLUGIN), {0});
  return b;
}

bench::attention_problem attention(const char *precision, int64_t seq, int64_t heads, bool causal) {
  bench::attention_problem a;
  a.precision = bench::find_attention_precision(precision);
  a.seq_q = a.seq_kv = seq;
  a.heads_q = a.heads_kv = heads;
  a.head_dim_qk = a.head_dim_v = 128;
  a.causal = causal;
  return a;
}

// One full measurement per iteration; the counter is the median rate of suanli's statistics.
void run_engine(benchmark::State &state, const bench::problem &op) {
  auto prepared = cpu_backend().prepare(op, 0, {1, 2, 3});
  if (!prepared.prepared) {
    state.SkipWithError(prepared.unsupported_reason.c_str());
    return;
  }
  double median_s = 0;
  for (auto _ : state) {
    median_s = bench::measure(*prepared.prepared, bench::measure_policy{}).time_s.median;
  }
  state.counters["GFLOP/s"] = bench::problem_flops(op) / median_s * 1e-9;
}

void bm_gemm_fp32(benchmark::State &state) {
  bench::gemm_problem g;
  g.precision = bench::find_gemm_precision("fp32");
  g.m = g.n = g.k = 4096;
  run_engine(state, g);
}

void bm_attention(benchmark::State &state, const char *precision, bool causal) {
  run_engine(state, attention(precision, 4096, 16, causal));
}

// Peak RSS of preparing and running one long-sequence forward, in this fresh process.
int peak_rss(const char *precision) {
  const auto a = attention(precision, 32768, 8, false);
  auto prepared = cpu_backend().prepare(a, 0, {1, 2, 3});
  if (!prepared.prepared) {
    std::fprintf(stderr, "unsupported: %s\n", prepared.unsupported_reason.c_str());
    return 3;
  }
  prepared.prepared->run(1);
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  const double rss = static_cast<double>(u.ru_maxrss) * 1024.0; // ru_maxrss is in KiB
  const double qkvo = static_cast<double>(a.bytes_q() + a.bytes_k() + a.bytes_v() + a.bytes_o());
  std::printf("attention %s B1 S32768 H8 d128: peak RSS %.1f MiB, Q+K+V+O %.1f MiB, ratio %.3f "
              "(target <= 2)\n",
              precision, rss / 1048576.0, qkvo / 1048576.0, rss / qkvo);
  return rss <= 2.0 * qkvo ? 0 : 1;
}

} // namespace

BENCHMARK(bm_gemm_fp32)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();
BENCHMARK_CAPTURE(bm_attention, fp32, "fp32", false)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();
BENCHMARK_CAPTURE(bm_attention, fp32_causal, "fp32", true)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();
BENCHMARK_CAPTURE(bm_attention, bf16, "bf16", false)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();
BENCHMARK_CAPTURE(bm_attention, bf16_causal, "bf16", true)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();

int main(int argc, char **argv) {
  if (argc == 3 && std::strcmp(argv[1], "--peak-rss") == 0) {
    return peak_rss(argv[2]);
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
