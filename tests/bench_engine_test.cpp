#include <bench/engine.hpp>
#include <bench/error.hpp>

#include <gtest/gtest.h>

namespace suanli::bench {
namespace {

// A prepared case whose calls take a scripted time; it sleeps for nothing.
class scripted_case final : public prepared_case {
public:
  explicit scripted_case(uint64_t ns_per_call, uint64_t jitter_ns = 0)
      : ns_(ns_per_call), jitter_(jitter_ns) {}
  uint64_t run(int64_t iterations) override {
    ++calls;
    total_iterations += iterations;
    const uint64_t j = jitter_ == 0 ? 0 : (calls * 7919) % jitter_;
    return static_cast<uint64_t>(iterations) * ns_ + j;
  }
  void poison_output() override { ++poisoned; }
  std::vector<std::byte> read_output() override { return {}; }
  std::string implementation() const override { return "scripted"; }
  std::string timer() const override { return "scripted"; }
  int64_t calls = 0;
  int64_t poisoned = 0;
  int64_t total_iterations = 0;

private:
  uint64_t ns_, jitter_;
};

TEST(engine, batches_short_calls_to_reach_the_minimum_sample_time) {
  scripted_case c(1000); // 1 us per call
  measure_policy p;
  p.warmup_s = 0;
  p.min_sample_s = 1e-3;
  p.min_samples = 5;
  p.min_time_s = 0;
  const auto m = measure(c, p);
  EXPECT_NEAR(static_cast<double>(m.batch), 1000.0, 1.0);
  EXPECT_TRUE(m.converged);
  EXPECT_EQ(m.time_s.count, static_cast<int64_t>(m.samples_s.size()));
  EXPECT_GE(m.time_s.count, 6); // CI needs >= 6 samples to reach 95%
  EXPECT_NEAR(m.time_s.median, 1e-6, 1e-12);
  EXPECT_EQ(c.poisoned, 1) << "the output is poisoned once, before sampling";
}

TEST(engine, a_timer_that_reads_zero_is_an_error) {
  scripted_case c(0);
  EXPECT_THROW((void)measure(c, measure_policy{}), error);
}

TEST(engine, batch_grows_until_a_sample_reaches_the_minimum_time) {
  // The first call looks slow (1 ms); later calls take 1 us: calibration must notice.
  class slow_first final : public prepared_case {
  public:
    uint64_t run(int64_t iterations) override {
      return first_++ == 0 ? 1'000'000 : static_cast<uint64_t>(iterations) * 1000;
    }
    void poison_output() override {}
    std::vector<std::byte> read_output() override { return {}; }
    std::string implementation() const override { return ""; }
    std::string timer() const override { return ""; }

  private:
    int first_ = 0;
  } c;
  measure_policy p;
  p.warmup_s = 0;
  p.min_sample_s = 1e-3;
  const auto m = measure(c, p);
  EXPECT_GE(m.batch, 500);
}

TEST(engine, stops_at_the_time_cap_and_says_it_did_not_converge) {
  scripted_case c(1'000'000, 900'000); // 1 ms +- 0.9 ms: never within 0.01%
  measure_policy p;
  p.warmup_s = 0;
  p.min_samples = 3;
  p.min_time_s = 0;
  p.max_time_s = 0.05;
  p.target_rel_ci = 1e-4;
  const auto m = measure(c, p);
  EXPECT_FALSE(m.converged);
  EXPECT_NE(m.stop_reason.find("did not converge"), std::string::npos);
  EXPECT_GE(m.samples_s.size(), 3u);
}

TEST(engine, honours_minimum_samples_and_time) {
  scripted_case c(10'000'000); // 10 ms, no noise
  measure_policy p;
  p.warmup_s = 0;
  p.min_samples = 12;
  p.min_time_s = 0.2; // 20 samples of 10 ms
  const auto m = measure(c, p);
  EXPECT_GE(m.samples_s.size(), 20u);
  EXPECT_GE(m.sampled_s, 0.2);
  EXPECT_EQ(m.warmup_calls, 1);
}

} // namespace

TEST(engine, the_observer_sees_every_sample_as_it_is_taken) {
  scripted_case c(10'000'000); // 10 ms, no noise
  measure_policy p;
  p.warmup_s = 0;
  p.min_samples = 5;
  p.min_time_s = 0;
  std::vector<size_t> seen;
  const auto m = measure(c, p, [&](const measurement &so_far) {
    seen.push_back(so_far.samples_s.size());
  });
  ASSERT_EQ(seen.size(), m.samples_s.size());
  for (size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i], i + 1);
  }
}

} // namespace suanli::bench
