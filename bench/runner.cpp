#include <bench/runner.hpp>

#include <bench/error.hpp>
#include <bench/seeds.hpp>
#include <bench/text.hpp>

#include <algorithm>
#include <chrono>

namespace suanli::bench {
namespace {

const gemm_problem &as_gemm(const problem &op) {
  return std::get<gemm_problem>(op);
}

case_metrics metrics_of(const case_result &r, const peak_record *peak) {
  case_metrics m;
  const summary &t = r.measured->time_s;
  m.gflops_median = r.flops_per_call / t.median * 1e-9;
  m.gflops_ci_low = r.flops_per_call / t.ci_high * 1e-9;
  m.gflops_ci_high = r.flops_per_call / t.ci_low * 1e-9;
  if (peak != nullptr && peak->rated && peak->rated->flops_per_s > 0) {
    m.efficiency_rated = m.gflops_median * 1e9 / peak->rated->flops_per_s;
  }
  if (peak != nullptr && peak->measured && peak->measured->flops_per_s > 0) {
    m.efficiency_measured = m.gflops_median * 1e9 / peak->measured->flops_per_s;
  }
  return m;
}

// Run one case to completion; backend errors become an `error` result.
case_result run_case(const suite_case &c, backend &b, const run_options &options,
                     const std::vector<peak_record> &peaks) {
  case_result r;
  r.name = c.name;
  r.origin = c.origin;
  r.backend = b.name();
  r.device = options.device;
  r.op = c.op;
  r.policy = c.policy;
  r.flops_per_call = problem_flops(c.op);
  r.seeds = {derive_seed(options.nonce, c.name, "A"), derive_seed(options.nonce, c.name, "B")};
  try {
    auto prepared = b.prepare(c.op, options.device, r.seeds);
    if (!prepared.prepared) {
      r.status = case_status::unsupported;
      r.reason = prepared.unsupported_reason;
      return r;
    }
    r.implementation = prepared.prepared->implementation();
    r.timer = prepared.prepared->timer();
    r.measured = measure(*prepared.prepared, c.policy);
    const auto output = prepared.prepared->read_output();
    // Drawn only now, from the OS, so no backend can know the check before it wrote C.
    r.check_seed = random_seed();
    r.verification = verify_gemm(as_gemm(c.op), r.seeds, output, r.check_seed, options.verify);
  } catch (const error &e) {
    if (e.code() == exit_code::bad_input) {
      throw; // bad input stops the run: nothing half-measured is reported
    }
    r.status = case_status::error;
    r.reason = e.what();
    return r;
  }
  if (!r.verification->passed) {
    r.status = case_status::fail;
    r.reason = "verification failed: " + r.verification->first_failure;
    return r;
  }
  r.status = case_status::pass;
  const sl_dtype dt = peak_dtype(*as_gemm(c.op).precision);
  const auto peak =
      std::find_if(peaks.begin(), peaks.end(), [&](const peak_record &p) { return p.dtype == dt; });
  r.metrics = metrics_of(r, peak != peaks.end() ? &*peak : nullptr);
  return r;
}

} // namespace

sl_dtype peak_dtype(const gemm_precision &p) {
  return p.compute == SL_DTYPE_TF32 ? SL_DTYPE_TF32 : p.b;
}

void preflight(const suite &s, const backend &b, int32_t device) {
  const auto devs = b.devices();
  if (device < 0 || device >= static_cast<int32_t>(devs.size())) {
    fail_input("device " + std::to_string(device) + " does not exist on backend " + b.name() +
               " (it has " + std::to_string(devs.size()) + ")");
  }
  const uint64_t memory = devs[static_cast<size_t>(device)].memory_bytes;
  for (const auto &c : s.cases) {
    const auto &g = as_gemm(c.op);
    if (const auto why = g.invalid_reason()) {
      fail_input(c.origin + ": case " + c.name + ": " + *why);
    }
    if (memory > 0 && g.bytes_total() > memory) {
      fail_input(c.origin + ": case " + c.name + " is too large for memory: it needs " +
                 fixed(static_cast<double>(g.bytes_total()) / double(1ull << 30), 2) +
                 " GiB for A, B and C; " + b.name() + " device " + std::to_string(device) +
                 " has " + fixed(static_cast<double>(memory) / double(1ull << 30), 2) +
                 " GiB available");
    }
  }
}

run_result run_suite(const suite &s, backend &b, const run_options &options) {
  const auto start = std::chrono::steady_clock::now();
  preflight(s, b, options.device);
  run_result out;
  // Peaks of every dtype the suite uses, measured once before the cases.
  for (const auto &c : s.cases) {
    const sl_dtype dt = peak_dtype(*as_gemm(c.op).precision);
    if (std::none_of(out.peaks.begin(), out.peaks.end(),
                     [&](const peak_record &p) { return p.dtype == dt; })) {
      peak_record p;
      p.backend = b.name();
      p.device = options.device;
      p.dtype = dt;
      p.rated = b.rated_peak(options.device, dt, p.rated_reason);
      p.measured = b.measured_peak(options.device, dt, p.measured_reason);
      out.peaks.push_back(std::move(p));
    }
  }
  for (size_t i = 0; i < s.cases.size(); ++i) {
    if (options.on_case_start) {
      options.on_case_start(i, s.cases.size(), s.cases[i]);
    }
    out.cases.push_back(run_case(s.cases[i], b, options, out.peaks));
    if (options.on_case_end) {
      options.on_case_end(i, s.cases.size(), out.cases.back());
    }
  }
  out.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

std::string_view status_name(case_status s) {
  switch (s) {
  case case_status::pass: return "pass";
  case case_status::fail: return "fail";
  case case_status::unsupported: return "unsupported";
  case case_status::error: return "error";
  }
  return "error";
}

} // namespace suanli::bench
