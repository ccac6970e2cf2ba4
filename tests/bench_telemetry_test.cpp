// Telemetry summaries (pure) and the sampler thread with a scripted sensor source.

#include <bench/telemetry.hpp>
#include <kernels/abi/suanli_backend.h>

#include <gtest/gtest.h>

#include <atomic>

namespace suanli::bench {
namespace {

telemetry_reading at(double t_s) {
  telemetry_reading r;
  r.t_s = t_s;
  return r;
}

TEST(telemetry, summary_takes_ranges_energy_and_mean_power_from_the_counter) {
  std::vector<telemetry_reading> v;
  for (int i = 0; i < 5; ++i) {
    auto r = at(0.1 * i);
    r.clock_mhz = 1000 + 100 * i; // 1000 .. 1400
    r.power_w = 300 + 10 * i;     // 300 .. 340
    r.temperature_c = 60 + i;
    r.energy_j = 5000 + 40.0 * i; // 400 W over the window
    r.throttle_bits = i >= 3 ? uint64_t{SL_THROTTLE_POWER_CAP} : 0;
    v.push_back(r);
  }
  const auto s = summarize_telemetry(v, 0.1, "note");
  EXPECT_EQ(s.readings, 5);
  EXPECT_DOUBLE_EQ(s.period_s, 0.1);
  EXPECT_NEAR(s.window_s, 0.4, 1e-12);
  ASSERT_TRUE(s.clock_mhz);
  EXPECT_DOUBLE_EQ(s.clock_mhz->min, 1000);
  EXPECT_DOUBLE_EQ(s.clock_mhz->median, 1200);
  EXPECT_DOUBLE_EQ(s.clock_mhz->max, 1400);
  EXPECT_FALSE(s.mem_clock_mhz);
  ASSERT_TRUE(s.temperature_max_c);
  EXPECT_DOUBLE_EQ(*s.temperature_max_c, 64);
  ASSERT_TRUE(s.energy_j);
  EXPECT_DOUBLE_EQ(*s.energy_j, 160);
  ASSERT_TRUE(s.mean_power_w);
  EXPECT_NEAR(*s.mean_power_w, 400, 1e-9) << "the counter wins over the power readings";
  EXPECT_EQ(s.mean_power_source, "energy counter");
  EXPECT_TRUE(s.throttle_known);
  ASSERT_EQ(s.throttle.size(), 1U);
  EXPECT_EQ(s.throttle[0].reason, "power_cap");
  EXPECT_DOUBLE_EQ(s.throttle[0].fraction, 0.4);
  EXPECT_EQ(s.note, "note");
}

TEST(telemetry, without_a_counter_mean_power_is_the_mean_reading) {
  std::vector<telemetry_reading> v;
  for (int i = 0; i < 4; ++i) {
    auto r = at(i);
    r.power_w = 100 * (i + 1); // 100 .. 400, median 250
    v.push_back(r);
  }
  const auto s = summarize_telemetry(v, 1, "");
  ASSERT_TRUE(s.mean_power_w);
  EXPECT_DOUBLE_EQ(*s.mean_power_w, 250);
  EXPECT_EQ(s.mean_power_source, "power readings");
  EXPECT_DOUBLE_EQ(s.power_w->median, 250);
  EXPECT_FALSE(s.energy_j);
  EXPECT_FALSE(s.throttle_known);
  EXPECT_TRUE(s.throttle.empty());
}

TEST(telemetry, a_counter_that_went_backwards_or_one_reading_gives_no_energy) {
  auto a = at(0);
  a.energy_j = 100;
  auto b = at(1);
  b.energy_j = 50; // a reset driver: no figure rather than a negative one
  EXPECT_FALSE(summarize_telemetry({a, b}, 1, "").energy_j);
  EXPECT_FALSE(summarize_telemetry({a}, 1, "").mean_power_w);
  EXPECT_EQ(summarize_telemetry({}, 1, "why").readings, 0);
}

TEST(telemetry, throttle_names_follow_the_bits) {
  EXPECT_EQ(throttle_reason_names(0), std::vector<std::string>{});
  EXPECT_EQ(throttle_reason_names(SL_THROTTLE_THERMAL | SL_THROTTLE_OTHER),
            (std::vector<std::string>{"thermal", "other"}));
}

// A sensor whose energy counter advances by one joule per reading.
class counting_source final : public telemetry_source {
public:
  bool read(telemetry_reading &r, std::string &why) override {
    const int n = calls.fetch_add(1);
    if (fail) {
      why = "sensor offline";
      return false;
    }
    r.energy_j = n;
    r.clock_mhz = 1500;
    why = "no temperature: none";
    return true;
  }
  std::atomic<int> calls{0};
  bool fail = false;
};

TEST(telemetry, sampler_reads_at_start_and_stop_and_keeps_the_sources_note) {
  counting_source src;
  telemetry_sampler sampler(src, 0.001);
  EXPECT_GE(src.calls.load(), 1) << "the first reading is taken before the case starts";
  const auto s = sampler.stop();
  EXPECT_GE(s.readings, 2);
  EXPECT_EQ(s.readings, src.calls.load());
  ASSERT_TRUE(s.energy_j);
  EXPECT_DOUBLE_EQ(*s.energy_j, static_cast<double>(s.readings - 1));
  EXPECT_EQ(s.note, "no temperature: none");
}

TEST(telemetry, a_failing_source_gives_no_readings_and_its_reason) {
  counting_source src;
  src.fail = true;
  telemetry_sampler sampler(src, 0.001);
  const auto s = sampler.stop();
  EXPECT_EQ(s.readings, 0);
  EXPECT_EQ(s.note, "sensor offline");
  EXPECT_FALSE(s.clock_mhz);
}

TEST(telemetry, a_sampler_destroyed_without_stop_joins_its_thread) {
  counting_source src;
  { telemetry_sampler sampler(src, 10); } // a period far longer than the test: woken, not waited
  EXPECT_EQ(src.calls.load(), 1);
}

} // namespace
} // namespace suanli::bench
