// timing: device events against each other and against the host clock.

#include <conformance/checks.hpp>
#include <conformance/isolate.hpp>
#include <conformance/session.hpp>

#include <bench/text.hpp>
#include <kernels/host/device_objects.hpp>

#include <chrono>
#include <cmath>

namespace suanli::conformance {
namespace {

using host_clock = std::chrono::steady_clock;

constexpr uint64_t k_elements = uint64_t{4} << 20; // 16 MiB of fp32 per fill
constexpr double k_min_host_s = 0.02;              // grow the workload until this long
constexpr int k_max_fills = 1 << 14;               // ... or this many fills
constexpr double k_sum_tolerance_ns = 2000;        // e1->e3 vs e1->e2 + e2->e3
constexpr double k_host_slack = 1.05;              // device time may exceed host by 5%
constexpr double k_host_slack_ns = 200e3;          // ... plus 0.2 ms
constexpr double k_min_device_share = 0.25;        // of a host time of >= k_min_host_s

// The events and buffer of the check.
struct timing_rig {
  const session &s;
  host::device_stream stream;
  host::device_buffer buffer;
  host::device_event e1, e2, e3;

  explicit timing_rig(const session &owner)
      : s(owner), stream(owner.context(), 0), buffer(owner.context(), 0, k_elements * 4),
        e1(owner.context(), 0), e2(owner.context(), 0), e3(owner.context(), 0) {}

  void record(host::device_event &e, const char *name) {
    note_stage(std::string("event_record(") + name + ")");
    s.context()->check(s.api().event_record(s.ctx(), e.get(), stream.get()), "event_record");
  }
  void fills(int n) {
    note_stage("fill fp32 x" + std::to_string(k_elements) + " (" + std::to_string(n) + " times)");
    for (int i = 0; i < n; ++i) {
      s.context()->check(s.api().fill(s.ctx(), stream.get(), buffer.get(), SL_DTYPE_FP32,
                                      k_elements, static_cast<uint64_t>(i), SL_FILL_UNIFORM),
                         "fill");
    }
  }
  void sync() {
    note_stage("stream_sync after the fills");
    s.context()->check(s.api().stream_sync(s.ctx(), stream.get()), "stream_sync");
  }
  uint64_t elapsed(const host::device_event &a, const host::device_event &b, const char *what) {
    uint64_t ns = 0;
    note_stage(std::string("event_elapsed_ns(") + what + ")");
    s.context()->check(s.api().event_elapsed_ns(s.ctx(), a.get(), b.get(), &ns),
                       std::string("event_elapsed_ns(") + what + ")");
    return ns;
  }
};

std::string ms(double ns) {
  return bench::fixed(ns * 1e-6, 3) + " ms";
}

} // namespace

check_result check_timing(const check_input &in) {
  session s(in.plugin);
  const auto &api = s.api();
  if (api.event_create == nullptr || api.event_record == nullptr ||
      api.event_elapsed_ns == nullptr) {
    return unsupported("no device timers (event_create, event_record or event_elapsed_ns is "
                       "NULL): the host times this backend around stream_sync");
  }
  if (s.device(0).host_timed) {
    return unsupported("device 0 is flagged SL_DEVICE_HOST_TIMED: the host times it around "
                       "stream_sync");
  }
  timing_rig rig(s);
  // The workload: n fills between e1 and e2, n between e2 and e3, grown until the host sees it.
  int n = 1;
  double host_ns = 0;
  for (;;) {
    const auto t0 = host_clock::now();
    rig.record(rig.e1, "e1");
    rig.fills(n);
    rig.record(rig.e2, "e2");
    rig.fills(n);
    rig.record(rig.e3, "e3");
    rig.sync();
    host_ns = std::chrono::duration<double, std::nano>(host_clock::now() - t0).count();
    if (host_ns >= k_min_host_s * 1e9 || n >= k_max_fills) {
      break;
    }
    n *= 4;
  }
  const auto a = static_cast<double>(rig.elapsed(rig.e1, rig.e2, "e1, e2"));
  const auto b = static_cast<double>(rig.elapsed(rig.e2, rig.e3, "e2, e3"));
  const auto c = static_cast<double>(rig.elapsed(rig.e1, rig.e3, "e1, e3"));
  const std::string seen = "e1->e2 " + ms(a) + ", e2->e3 " + ms(b) + ", e1->e3 " + ms(c) +
                           ", host clock around all " + ms(host_ns) + " (" + std::to_string(2 * n) +
                           " fills of 16 MiB)";
  if (!(a > 0) || !(b > 0)) {
    return fail("a workload between two events took no device time: " + seen);
  }
  if (std::fabs(c - (a + b)) > k_sum_tolerance_ns + 1e-6 * c) {
    return fail("events are not consistent: e1->e3 differs from e1->e2 + e2->e3 by " +
                ms(std::fabs(c - (a + b))) + ": " + seen);
  }
  if (c > host_ns * k_host_slack + k_host_slack_ns) {
    return fail("device time exceeds the host clock measured around it (a unit or clock "
                "error?): " +
                seen);
  }
  if (host_ns >= k_min_host_s * 1e9 && c < k_min_device_share * host_ns) {
    return fail("device time is under " + bench::fixed(k_min_device_share * 100, 0) +
                "% of the host clock around a sync of the same work (a unit error?): " + seen);
  }
  return pass(seen);
}

} // namespace suanli::conformance
