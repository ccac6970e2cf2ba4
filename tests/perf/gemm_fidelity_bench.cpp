// Harness fidelity and verification cost (Google Benchmark). Not a test: run it by hand,
//   build/bin/gemm_fidelity_bench --benchmark_min_time=5
// and compare the GFLOP/s counters: suanli's engine (median of its own samples, through the
// plugin ABI) against a bare oneDNN matmul loop timed by Google Benchmark in the same process.
#include <bench/engine.hpp>
#include <bench/gemm_verify.hpp>
#include <bench/seeds.hpp>
#include <kernels/host/plugin_backend.hpp>

#include <benchmark/benchmark.h>
#include <oneapi/dnnl/dnnl.hpp>

#include <cstring>
#include <memory>

namespace {

using namespace suanli;

// The CPU plugin, loaded once through the host adapter as `suanli run` does.
host::plugin_backend &cpu_backend() {
  static host::plugin_backend b(host::plugin_library::open(SUANLI_CPU_PLUGIN), {0});
  return b;
}

bench::gemm_problem square(const char *precision, int64_t n) {
  bench::gemm_problem g;
  g.precision = bench::find_gemm_precision(precision);
  g.m = g.n = g.k = n;
  return g;
}

// Bare oneDNN: the same matmul primitive oneDNN would pick, executed in a plain loop.
void bm_onednn_bare(benchmark::State &state, dnnl::memory::data_type dt) {
  const auto n = static_cast<dnnl::memory::dim>(state.range(0));
  dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  dnnl::stream strm(eng);
  using tag = dnnl::memory::format_tag;
  const dnnl::memory::desc a_md({n, n}, dt, tag::ab), b_md({n, n}, dt, tag::ab),
      c_md({n, n}, dt, tag::ab);
  const dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(a_md, b_md, c_md), eng);
  dnnl::matmul prim(pd);
  dnnl::memory a(a_md, eng), b(b_md, eng), c(c_md, eng);
  // Same element values as suanli's fill would give: sizes matter, values do not for speed.
  const size_t bytes = a_md.get_size();
  std::memset(a.get_data_handle(), 0x3c, bytes);
  std::memset(b.get_data_handle(), 0x3c, bytes);
  for (auto _ : state) {
    prim.execute(strm, {{DNNL_ARG_SRC, a}, {DNNL_ARG_WEIGHTS, b}, {DNNL_ARG_DST, c}});
    strm.wait();
  }
  const double flops =
      2.0 * static_cast<double>(n) * static_cast<double>(n) * static_cast<double>(n);
  state.counters["GFLOP/s"] =
      benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

// suanli's engine: one full measurement (warm-up, batching, stopping rule) per iteration; the
// counter is the median rate from its own statistics.
void bm_suanli_engine(benchmark::State &state, const char *precision) {
  const auto g = square(precision, state.range(0));
  auto prepared = cpu_backend().prepare(g, 0, {1, 2});
  if (!prepared.prepared) {
    state.SkipWithError(prepared.unsupported_reason.c_str());
    return;
  }
  bench::measure_policy policy; // the defaults every suite starts from
  double median_s = 0;
  int64_t samples = 0;
  for (auto _ : state) {
    const auto m = bench::measure(*prepared.prepared, policy);
    median_s = m.time_s.median;
    samples = m.time_s.count;
  }
  state.counters["GFLOP/s"] = g.flops() / median_s * 1e-9;
  state.counters["samples"] = static_cast<double>(samples);
}

// Cost of verifying one output, and its share of the case's measured (sampled) time under
// the default policy.
void bm_verify_cost(benchmark::State &state, const char *precision) {
  const auto g = square(precision, state.range(0));
  const bench::tensor_seeds seeds{bench::derive_seed("00", "v", "A"),
                                  bench::derive_seed("00", "v", "B")};
  auto prepared = cpu_backend().prepare(g, 0, seeds);
  const auto m = bench::measure(*prepared.prepared, bench::measure_policy{});
  const auto c = prepared.prepared->read_output();
  double seconds = 0;
  for (auto _ : state) {
    const auto v = bench::verify_gemm(g, seeds, c, 7);
    seconds = v.seconds;
    if (!v.passed) {
      state.SkipWithError(v.first_failure.c_str());
    }
  }
  state.counters["verify_s"] = seconds;
  state.counters["case_sampled_s"] = m.sampled_s;
  state.counters["share"] = seconds / m.sampled_s;
}

} // namespace

BENCHMARK_CAPTURE(bm_onednn_bare, fp32, dnnl::memory::data_type::f32)
    ->Arg(4096)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(bm_suanli_engine, fp32, "fp32")
    ->Arg(4096)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();
BENCHMARK_CAPTURE(bm_onednn_bare, bf16, dnnl::memory::data_type::bf16)
    ->Arg(4096)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(bm_suanli_engine, bf16, "bf16")
    ->Arg(4096)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();
BENCHMARK_CAPTURE(bm_verify_cost, fp32, "fp32")
    ->Arg(2048)
    ->Arg(4096)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3)
    ->UseRealTime();
BENCHMARK_CAPTURE(bm_verify_cost, bf16, "bf16")
    ->Arg(2048)
    ->Arg(4096)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3)
    ->UseRealTime();

BENCHMARK_MAIN();
