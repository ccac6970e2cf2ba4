#include <bench/runner.hpp>

#include <bench/error.hpp>
#include <bench/seeds.hpp>
#include <bench/text.hpp>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>

namespace suanli::bench {
namespace {

// The dtype a problem's rates are compared with peaks of.
sl_dtype problem_peak_dtype(const problem &op) {
  if (const auto *g = std::get_if<gemm_problem>(&op)) {
    return peak_dtype(*g->precision);
  }
  return std::get<attention_problem>(op).precision->qkv;
}

// Names of a problem's generated inputs, in tensor_seeds order.
std::vector<std::string> input_names(const problem &op) {
  if (std::holds_alternative<gemm_problem>(op)) {
    return {"A", "B"};
  }
  return {"Q", "K", "V"};
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
  if (peak != nullptr && peak->database && peak->database->flops_per_s > 0) {
    m.efficiency_database = m.gflops_median * 1e9 / peak->database->flops_per_s;
  }
  if (r.telemetry && r.telemetry->mean_power_w && *r.telemetry->mean_power_w > 0) {
    m.gflops_per_watt = m.gflops_median / *r.telemetry->mean_power_w;
  }
  return m;
}

// Verify a case's output with the check of its operation.
verification verify_output(const problem &op, const tensor_seeds &seeds,
                           std::span<const std::byte> out, uint64_t check_seed,
                           const run_options &options) {
  if (const auto *g = std::get_if<gemm_problem>(&op)) {
    return verify_gemm(*g, seeds, out, check_seed, options.verify);
  }
  return verify_attention(std::get<attention_problem>(op), seeds, out, check_seed,
                          options.verify_attention);
}

// Why a cold case rotates over fewer bytes than its policy asks (device memory, the set cap),
// or "" when it does not.
std::string cold_note(const problem &op, int64_t cold_bytes, uint32_t sets) {
  if (cold_bytes <= 0 || std::holds_alternative<collective_problem>(op)) {
    return "";
  }
  const uint64_t set_bytes =
      std::visit([](const auto &x) -> uint64_t { return x.bytes_total(); }, op);
  const uint64_t apart = set_bytes * (sets - 1);
  if (apart >= static_cast<uint64_t>(cold_bytes)) {
    return "";
  }
  return "cold: " + std::to_string(sets) + " buffer sets of " + std::to_string(set_bytes) +
         " bytes leave " + std::to_string(apart) +
         " bytes between two uses of a set, less than "
         "cold_bytes = " +
         std::to_string(cold_bytes) + " (limited by half of device memory)";
}

// Run one case to completion; backend errors become an `error` result.
case_result run_case(const suite_case &c, backend &b, const run_options &options,
                     const std::vector<peak_record> &peaks, telemetry_source *sensors,
                     const sample_observer &observe) {
  case_result r;
  r.name = c.name;
  r.origin = c.origin;
  r.backend = b.name();
  r.device = options.device;
  r.op = c.op;
  r.policy = c.policy;
  r.flops_per_call = problem_flops(c.op);
  const auto inputs = input_names(c.op);
  uint64_t *slots[] = {&r.seeds.a, &r.seeds.b, &r.seeds.c};
  for (size_t i = 0; i < inputs.size(); ++i) {
    *slots[i] = derive_seed(options.nonce, c.name, inputs[i]);
  }
  try {
    std::visit(
        [&](auto &op) {
          if constexpr (!std::is_same_v<std::decay_t<decltype(op)>, collective_problem>) {
            op.cold_bytes = c.policy.cold_bytes;
          }
        },
        r.op);
    auto prepared = b.prepare(r.op, options.device, r.seeds);
    if (!prepared.prepared) {
      r.status = case_status::unsupported;
      r.reason = prepared.unsupported_reason;
      return r;
    }
    r.implementation = prepared.prepared->implementation();
    r.timer = prepared.prepared->timer();
    r.buffer_sets = prepared.prepared->buffer_sets();
    r.note = cold_note(r.op, c.policy.cold_bytes, r.buffer_sets);
    {
      std::optional<telemetry_sampler> sampler;
      if (sensors != nullptr) {
        sampler.emplace(*sensors, options.telemetry_period_s);
      }
      r.measured = measure(*prepared.prepared, c.policy, observe);
      if (sampler) {
        r.telemetry = sampler->stop();
      }
    }
    const auto output = prepared.prepared->read_output();
    // Drawn only now, from the OS, so no backend can know the check before it wrote the output.
    r.check_seed = random_seed();
    r.verification = verify_output(c.op, r.seeds, output, r.check_seed, options);
  } catch (const error &e) {
    if (e.code() == exit_code::bad_input) {
      throw; // bad input stops the run: nothing half-measured is reported
    }
    r.status = case_status::error;
    r.reason = e.what();
    return r;
  }
  if (!passed(*r.verification)) {
    r.status = case_status::fail;
    r.reason = "verification failed: " + first_failure(*r.verification);
    return r;
  }
  r.status = case_status::pass;
  const sl_dtype dt = problem_peak_dtype(c.op);
  const auto peak =
      std::find_if(peaks.begin(), peaks.end(), [&](const peak_record &p) { return p.dtype == dt; });
  r.metrics = metrics_of(r, peak != peaks.end() ? &*peak : nullptr);
  return r;
}

// Attention rates against the best passed GEMM of the same precision name in the run.
void relate_attention_to_gemm(std::vector<case_result> &cases) {
  for (auto &a : cases) {
    const auto *attn = std::get_if<attention_problem>(&a.op);
    if (attn == nullptr || !a.metrics) {
      continue;
    }
    const case_result *best = nullptr;
    for (const auto &g : cases) {
      const auto *gemm = std::get_if<gemm_problem>(&g.op);
      if (gemm != nullptr && g.metrics && gemm->precision->name == attn->precision->name &&
          (best == nullptr || g.metrics->gflops_median > best->metrics->gflops_median)) {
        best = &g;
      }
    }
    if (best != nullptr) {
      a.metrics->efficiency_vs_gemm = a.metrics->gflops_median / best->metrics->gflops_median;
      a.metrics->gemm_reference = best->name;
    }
  }
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
    const auto why = std::visit([](const auto &p) { return p.invalid_reason(); }, c.op);
    if (why) {
      fail_input(c.origin + ": case " + c.name + ": " + *why);
    }
    const uint64_t need = std::visit([](const auto &p) { return p.bytes_total(); }, c.op);
    if (memory > 0 && need > memory) {
      fail_input(c.origin + ": case " + c.name + " is too large for memory: it needs " +
                 fixed(static_cast<double>(need) / double(1ull << 30), 2) + " GiB for its " +
                 (std::holds_alternative<gemm_problem>(c.op)        ? "A, B and C"
                  : std::holds_alternative<attention_problem>(c.op) ? "Q, K, V and O"
                                                                    : "send and receive buffers") +
                 "; " + b.name() + " device " + std::to_string(device) + " has " +
                 fixed(static_cast<double>(memory) / double(1ull << 30), 2) + " GiB available");
    }
  }
}

run_result run_suite(const suite &s, backend &b, const run_options &options) {
  const auto start = std::chrono::steady_clock::now();
  preflight(s, b, options.device);
  run_result out;
  // Peaks of every dtype the suite uses, measured once before the cases.
  for (const auto &c : s.cases) {
    const sl_dtype dt = problem_peak_dtype(c.op);
    if (std::none_of(out.peaks.begin(), out.peaks.end(),
                     [&](const peak_record &p) { return p.dtype == dt; })) {
      peak_record p;
      p.backend = b.name();
      p.device = options.device;
      p.dtype = dt;
      p.rated = b.rated_peak(options.device, dt, p.rated_reason);
      p.measured = b.measured_peak(options.device, dt, p.measured_reason);
      if (options.database_peak) {
        p.database = options.database_peak(dt, p.database_reason);
      } else {
        p.database_reason = "no device database was given";
      }
      out.peaks.push_back(std::move(p));
    }
  }
  std::unique_ptr<telemetry_source> sensors;
  if (options.telemetry_period_s > 0) {
    sensors = b.telemetry(options.device, out.telemetry_reason);
  } else {
    out.telemetry_reason = "telemetry turned off";
  }
  for (size_t i = 0; i < s.cases.size(); ++i) {
    if (options.on_case_start) {
      options.on_case_start(i, s.cases.size(), s.cases[i]);
    }
    sample_observer observe;
    if (options.on_sample) {
      observe = [&options, i, total = s.cases.size()](const measurement &m) {
        options.on_sample(i, total, m);
      };
    }
    out.cases.push_back(run_case(s.cases[i], b, options, out.peaks, sensors.get(), observe));
    if (options.on_case_end) {
      options.on_case_end(i, s.cases.size(), out.cases.back());
    }
  }
  // Measured peaks again after the cases, keeping the higher figure: a neighbour that disturbed
  // the first measurement must not leave efficiencies above 100%.
  for (auto &p : out.peaks) {
    std::string reason;
    auto again = b.measured_peak(options.device, p.dtype, reason);
    if (again && (!p.measured || again->flops_per_s > p.measured->flops_per_s)) {
      again->source +=
          p.measured
              ? " (the higher of a measurement before and one after the cases)"
              : " (measured after the cases; the one before failed: " + p.measured_reason + ")";
      p.measured = again;
      p.measured_reason.clear();
    }
  }
  for (auto &r : out.cases) {
    if (r.metrics) {
      const sl_dtype dt = problem_peak_dtype(r.op);
      const auto peak = std::find_if(out.peaks.begin(), out.peaks.end(),
                                     [&](const peak_record &p) { return p.dtype == dt; });
      r.metrics = metrics_of(r, peak != out.peaks.end() ? &*peak : nullptr);
    }
  }
  relate_attention_to_gemm(out.cases);
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
