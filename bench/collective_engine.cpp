#include <bench/collective_engine.hpp>

#include <bench/seeds.hpp>
#include <bench/stats.hpp>
#include <bench/stopping_rule.hpp>
#include <bench/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <utility>

namespace suanli::bench {
namespace {

using wall_clock = std::chrono::steady_clock;

// What a rank tells rank 0 at each step, and rank 0's answers.
enum payload_slot : size_t { slot_kind, slot_time_s, slot_wrong, slot_error, slot_count };
enum decision : int64_t { stop = 0, warm_call = 1, timed_call = 2 };

double seconds_since(wall_clock::time_point t) {
  return std::chrono::duration<double>(wall_clock::now() - t).count();
}

// Rank 0's view of the sampling: samples, the stopping rule, the warm-up.
struct sampler {
  explicit sampler(const measure_policy &p) : policy(p), rule(p, collective_max_samples) {}
  const measure_policy &policy;
  stopping_rule rule;
  wall_clock::time_point start = wall_clock::now();
  wall_clock::time_point sampling_start{};
  measurement m;
  uint64_t wrong = 0;
  std::vector<int32_t> ranks_wrong;
  bool failed = false;
  bool sampling = false;

  int64_t decide(std::span<const double> all, int32_t nranks) {
    double slowest = 0;
    bool timed = false;
    for (int32_t r = 0; r < nranks; ++r) {
      const auto *v = all.data() + static_cast<size_t>(r) * slot_count;
      failed = failed || v[slot_error] != 0;
      timed = static_cast<int64_t>(all[slot_kind]) == timed_call;
      slowest = std::max(slowest, v[slot_time_s]);
      if (v[slot_wrong] > 0) {
        wrong += static_cast<uint64_t>(v[slot_wrong]);
        if (std::find(ranks_wrong.begin(), ranks_wrong.end(), r) == ranks_wrong.end()) {
          ranks_wrong.push_back(r);
        }
      }
    }
    if (failed) {
      return stop;
    }
    if (timed) {
      m.samples_s.push_back(slowest);
      m.sampled_s += slowest;
    } else if (static_cast<int64_t>(all[slot_kind]) == warm_call) {
      ++m.warmup_calls;
    }
    if (!sampling) {
      if (m.warmup_calls < 1 || seconds_since(start) < policy.warmup_s) {
        return warm_call;
      }
      sampling = true;
      m.warmup_s = seconds_since(start);
      sampling_start = wall_clock::now();
      return timed_call;
    }
    return next_sample();
  }

  int64_t next_sample() { return rule.done(m, seconds_since(sampling_start)) ? stop : timed_call; }
};

// A rank's own account of the case, sent to rank 0 at the end.
struct rank_account {
  uint64_t checked = 0;
  uint64_t wrong = 0;
  int64_t samples = 0;
  std::string first_failure;
  std::string error;
  double check_s = 0;
};

std::string describe(const collective_mismatch &mm, int32_t rank, int64_t sample, uint64_t offset) {
  return "rank " + std::to_string(rank) + ", timed call " + std::to_string(sample + 1) +
         ": element " + std::to_string(offset + mm.first_index) + " of the receive buffer is " +
         significant(mm.first_got, 17) + ", expected " + significant(mm.first_expected, 17) + " (" +
         std::to_string(mm.wrong) + " wrong in that call)";
}

// Every rank agrees whether all of them can run the problem: the worst status of any rank
// (pass = every rank is ready), with the reason of the first rank that has it.
std::pair<case_status, std::string> agree_ready(const collective_context &ctx, case_status mine,
                                                const std::string &reason,
                                                const std::string &what) {
  const auto severity = [](case_status s) {
    return s == case_status::pass ? 0.0 : s == case_status::unsupported ? 1.0 : 2.0;
  };
  const double flag = severity(mine);
  const int64_t worst = ctx.ranks.step(
      std::span(&flag, 1),
      [](std::span<const double> all) {
        return static_cast<int64_t>(*std::max_element(all.begin(), all.end()));
      },
      what);
  if (worst == 0) {
    return {case_status::pass, {}};
  }
  const nlohmann::json entry = {{"severity", flag}, {"reason", reason}};
  const auto entries = ctx.ranks.gather(entry.dump(), what + " (reasons)");
  const case_status status = worst == 1 ? case_status::unsupported : case_status::error;
  for (size_t r = 0; r < entries.size(); ++r) {
    const auto j = nlohmann::json::parse(entries[r]);
    if (static_cast<int64_t>(j.at("severity").get<double>()) == worst) {
      return {status, "rank " + std::to_string(r) + ": " + j.at("reason").get<std::string>()};
    }
  }
  return {status, "another rank could not run the problem"};
}

// Read-back block of the output check [bytes]: a sixteenth of the output, at least 64 KiB.
// The output passes through a block that stays in a CPU's cache instead of a second full-size
// copy, so checking a call evicts no more of what the next call uses than the comparison itself
// must; a device backend still reads back in few large copies.
uint64_t check_block_bytes(uint64_t expected_bytes, uint64_t elem) {
  const uint64_t block = std::max<uint64_t>(64 << 10, expected_bytes / 16);
  return std::min(expected_bytes, block / elem * elem);
}

// Compare the output of the last call with images.expected, block by block through `block`.
collective_mismatch check_output(prepared_collective &prepared, const collective_buffers &images,
                                 sl_dtype dtype, std::vector<std::byte> &block) {
  collective_mismatch total;
  const uint64_t elem = sl_dtype_size(dtype);
  const std::span<const std::byte> expected(images.expected);
  for (uint64_t at = 0; at < expected.size(); at += block.size()) {
    const uint64_t len = std::min<uint64_t>(block.size(), expected.size() - at);
    const std::span<std::byte> got(block.data(), len);
    prepared.read_recv(images.check_offset + at / elem, got);
    const auto mm = compare_collective_output(got, expected.subspan(at, len), dtype);
    if (mm.wrong > 0 && total.wrong == 0) {
      total = mm;
      total.first_index += at / elem;
    } else {
      total.wrong += mm.wrong;
    }
  }
  return total;
}

} // namespace

case_result run_collective_case(const suite_case &c, const collective_context &ctx) {
  const auto &p = std::get<collective_problem>(c.op);
  const int32_t nranks = ctx.ranks.size();
  const int32_t rank = ctx.ranks.rank();
  case_result r;
  r.name = c.name;
  r.origin = c.origin;
  r.backend = ctx.b.name();
  r.device = ctx.device;
  r.op = c.op;
  r.policy = c.policy;
  r.ranks = nranks;
  r.note = p.fit_note(nranks);
  r.seeds.a = derive_seed(ctx.nonce, c.name, "data");
  const std::string where = "case " + c.name + " (" + format_bytes(p.fitted_bytes(nranks)) +
                            " on " + std::to_string(nranks) + " ranks)";

  // Prepare on every rank; the case runs only where all ranks can run it.
  std::string refused = collective_exactness_problem(p, nranks);
  std::unique_ptr<prepared_collective> prepared;
  std::string error_text;
  if (refused.empty()) {
    try {
      watch w(ctx.dog, ctx.ranks.timeout_s(), where + ": preparing");
      prepared = ctx.b.prepare_collective(ctx.comm, p, ctx.device, rank, nranks, refused);
    } catch (const error &e) {
      error_text = e.what();
    }
  }
  const case_status mine_status = !error_text.empty()   ? case_status::error
                                  : prepared == nullptr ? case_status::unsupported
                                                        : case_status::pass;
  if (auto [status, why] = agree_ready(ctx, mine_status, error_text.empty() ? refused : error_text,
                                       where + ": preparing");
      status != case_status::pass) {
    r.status = status;
    r.reason = std::move(why);
    return r;
  }
  r.timer = prepared->timer();
  r.implementation = ctx.b.name() + " collective_run";

  const auto t_check = wall_clock::now();
  const collective_buffers images = make_collective_buffers(p, nranks, rank, r.seeds.a);
  rank_account mine;
  mine.check_s = seconds_since(t_check);
  const uint64_t elem = sl_dtype_size(p.dtype);
  const uint64_t expected_elems = images.expected.size() / elem;
  std::vector<std::byte> block(check_block_bytes(images.expected.size(), elem)); // read-back

  sampler s(c.policy);
  std::array<double, slot_count> payload{0, 0, 0, 0};
  bool first_load = true;
  for (int64_t call = 0;; ++call) {
    const int64_t next = ctx.ranks.step(
        payload, [&](std::span<const double> all) { return s.decide(all, nranks); },
        where + ": call " + std::to_string(call + 1));
    if (next == stop) {
      break;
    }
    payload = {static_cast<double>(next), 0, 0, 0};
    try {
      watch w(ctx.dog, ctx.ranks.timeout_s(),
              where + ": call " + std::to_string(call + 1) + ", which all " +
                  std::to_string(nranks) +
                  " ranks had reached (a rank died or hung inside it or its buffer copies),");
      const auto t0 = wall_clock::now();
      prepared->load(images, first_load);
      first_load = false;
      mine.check_s += seconds_since(t0);
      // Start the call together, and let nobody verify while a peer is still inside it.
      ctx.ranks.align(where);
      payload[slot_time_s] = static_cast<double>(prepared->run()) * 1e-9;
      ctx.ranks.align(where);
      if (next == timed_call && expected_elems > 0) {
        const auto t1 = wall_clock::now();
        const auto mm = check_output(*prepared, images, p.dtype, block);
        mine.checked += expected_elems;
        if (mm.wrong > 0 && mine.first_failure.empty()) {
          mine.first_failure = describe(mm, rank, mine.samples, images.check_offset);
        }
        mine.wrong += mm.wrong;
        payload[slot_wrong] = static_cast<double>(mm.wrong);
        mine.check_s += seconds_since(t1);
      }
      if (next == timed_call) {
        ++mine.samples;
      }
    } catch (const timeout_error &) {
      throw; // a rank is gone: the job ends
    } catch (const error &e) {
      mine.error = e.what();
      payload[slot_error] = 1;
    }
  }

  // Every rank's account, on rank 0.
  const nlohmann::json account = {{"checked", mine.checked}, {"wrong", mine.wrong},
                                  {"samples", mine.samples}, {"first", mine.first_failure},
                                  {"error", mine.error},     {"check_s", mine.check_s}};
  const auto accounts = ctx.ranks.gather(account.dump(), where + ": results");
  if (rank != 0) {
    r.status = s.failed ? case_status::error : case_status::pass;
    return r;
  }
  collective_verification v;
  v.method = "every element of every timed call's output on every rank compared bit for bit "
             "with the exact result of integer-valued inputs";
  v.ranks_wrong = s.ranks_wrong;
  v.seconds = mine.check_s;
  std::string first_error;
  for (size_t i = 0; i < accounts.size(); ++i) {
    const auto j = nlohmann::json::parse(accounts[i]);
    v.elements_checked += j.at("checked").get<uint64_t>();
    v.wrong_elements += j.at("wrong").get<uint64_t>();
    if (i == 0) {
      v.samples_checked = j.at("samples").get<int64_t>();
    }
    if (v.first_failure.empty()) {
      v.first_failure = j.at("first").get<std::string>();
    }
    if (first_error.empty() && !j.at("error").get<std::string>().empty()) {
      first_error = "rank " + std::to_string(i) + ": " + j.at("error").get<std::string>();
    }
  }
  if (s.failed || !first_error.empty()) {
    r.status = case_status::error;
    r.reason = first_error.empty() ? "a rank failed" : first_error;
    return r;
  }
  s.m.wall_s = seconds_since(s.start);
  s.m.time_s = summarize(s.m.samples_s);
  r.measured = s.m;
  v.passed = v.wrong_elements == 0 && v.elements_checked > 0;
  if (v.elements_checked == 0) {
    v.first_failure = "no output was checked";
  }
  r.verification = v;
  if (!v.passed) {
    r.status = case_status::fail;
    r.reason = "verification failed: " + std::to_string(v.wrong_elements) +
               " wrong elements; first: " + v.first_failure;
    return r;
  }
  r.status = case_status::pass;
  const summary &t = r.measured->time_s;
  collective_metrics bw;
  bw.bytes = p.fitted_bytes(nranks);
  bw.busbw_factor = p.busbw_factor(nranks);
  bw.time_median_s = t.median;
  bw.algbw_gbps = p.algbw_gbps(nranks, t.median);
  bw.algbw_ci_low_gbps = p.algbw_gbps(nranks, t.ci_high);
  bw.algbw_ci_high_gbps = p.algbw_gbps(nranks, t.ci_low);
  bw.busbw_gbps = p.busbw_gbps(nranks, t.median);
  bw.busbw_ci_low_gbps = p.busbw_gbps(nranks, t.ci_high);
  bw.busbw_ci_high_gbps = p.busbw_gbps(nranks, t.ci_low);
  r.bandwidth = bw;
  return r;
}

} // namespace suanli::bench
