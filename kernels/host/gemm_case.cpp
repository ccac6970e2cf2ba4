#include <kernels/host/gemm_case.hpp>

#include <bench/error.hpp>
#include <bench/text.hpp>
#include <kernels/host/device_objects.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <optional>

namespace suanli::host {
namespace {

std::string gib(uint64_t bytes) {
  return bench::fixed(static_cast<double>(bytes) / double(1ull << 30), 2) + " GiB";
}

// A GEMM plan, destroyed on destruction.
class gemm_plan {
public:
  gemm_plan(std::shared_ptr<plugin_context> ctx, sl_gemm_plan *plan)
      : ctx_(std::move(ctx)), plan_(plan) {}
  ~gemm_plan() { ctx_->api().gemm_plan_destroy(ctx_->get(), plan_); }
  gemm_plan(const gemm_plan &) = delete;
  gemm_plan &operator=(const gemm_plan &) = delete;
  [[nodiscard]] sl_gemm_plan *get() const { return plan_; }

private:
  std::shared_ptr<plugin_context> ctx_;
  sl_gemm_plan *plan_;
};

class gemm_case final : public bench::prepared_case {
public:
  gemm_case(std::shared_ptr<plugin_context> ctx, const bench::gemm_problem &problem,
            const bench::device_info &device, std::unique_ptr<gemm_plan> plan, uint64_t workspace)
      : ctx_(std::move(ctx)), device_(device.index), host_timed_(device.host_timed),
        plan_(std::move(plan)), a_(ctx_, device_, problem.bytes_a()),
        b_(ctx_, device_, problem.bytes_b()), c_(ctx_, device_, problem.bytes_c()),
        workspace_(ctx_, device_, workspace), stream_(ctx_, device_) {
    if (!host_timed_) {
      start_.emplace(ctx_, device_);
      stop_.emplace(ctx_, device_);
    }
  }

  void fill(const bench::gemm_problem &problem, const bench::tensor_seeds &seeds) {
    const auto &api = ctx_->api();
    if (api.fill == nullptr) {
      bench::fail_environment(std::string(api.name) + " backend has no fill function");
    }
    const auto count = [](uint64_t bytes, sl_dtype t) { return bytes / sl_dtype_size(t); };
    ctx_->check(api.fill(ctx_->get(), stream_.get(), a_.get(), problem.precision->a,
                         count(a_.size(), problem.precision->a), seeds.a, SL_FILL_UNIFORM),
                "fill(A)");
    ctx_->check(api.fill(ctx_->get(), stream_.get(), b_.get(), problem.precision->b,
                         count(b_.size(), problem.precision->b), seeds.b, SL_FILL_UNIFORM),
                "fill(B)");
    ctx_->check(api.stream_sync(ctx_->get(), stream_.get()), "stream_sync");
  }

  uint64_t run(int64_t iterations) override {
    const auto &api = ctx_->api();
    sl_context *c = ctx_->get();
    if (host_timed_) {
      const auto t0 = std::chrono::steady_clock::now();
      enqueue(iterations);
      ctx_->check(api.stream_sync(c, stream_.get()), "stream_sync");
      return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                       std::chrono::steady_clock::now() - t0)
                                       .count());
    }
    ctx_->check(api.event_record(c, start_->get(), stream_.get()), "event_record");
    enqueue(iterations);
    ctx_->check(api.event_record(c, stop_->get(), stream_.get()), "event_record");
    ctx_->check(api.stream_sync(c, stream_.get()), "stream_sync");
    uint64_t ns = 0;
    ctx_->check(api.event_elapsed_ns(c, start_->get(), stop_->get(), &ns), "event_elapsed_ns");
    return ns;
  }

  void poison_output() override {
    // All-ones bytes: NaN for floating types, -1 for integers; copied in 4 MiB pieces.
    const std::vector<std::byte> ones(std::min<uint64_t>(c_.size(), 4u << 20), std::byte{0xFF});
    for (uint64_t off = 0; off < c_.size(); off += ones.size()) {
      const uint64_t len = std::min<uint64_t>(ones.size(), c_.size() - off);
      ctx_->check(ctx_->api().memcpy_h2d(ctx_->get(), device_,
                                         static_cast<std::byte *>(c_.get()) + off, ones.data(),
                                         len),
                  "memcpy_h2d(C)");
    }
  }

  std::vector<std::byte> read_output() override {
    std::vector<std::byte> out(c_.size());
    ctx_->check(ctx_->api().memcpy_d2h(ctx_->get(), device_, out.data(), c_.get(), c_.size()),
                "memcpy_d2h(C)");
    return out;
  }

  std::string implementation() const override {
    const auto &api = ctx_->api();
    if (api.gemm_plan_describe == nullptr) {
      return "";
    }
    std::array<char, 1024> buf{};
    if (api.gemm_plan_describe(ctx_->get(), plan_->get(), buf.data(), buf.size()) != SL_OK) {
      return "";
    }
    buf.back() = '\0';
    return buf.data();
  }

  std::string timer() const override {
    return host_timed_ ? "host clock around stream sync" : "device events";
  }

private:
  void enqueue(int64_t iterations) {
    const auto &api = ctx_->api();
    for (int64_t i = 0; i < iterations; ++i) {
      ctx_->check(api.gemm_run(ctx_->get(), plan_->get(), stream_.get(), a_.get(), b_.get(),
                               c_.get(), workspace_.get()),
                  "gemm_run");
    }
  }

  std::shared_ptr<plugin_context> ctx_;
  int32_t device_;
  bool host_timed_;
  std::unique_ptr<gemm_plan> plan_;
  device_buffer a_, b_, c_, workspace_;
  device_stream stream_;
  std::optional<device_event> start_, stop_;
};

} // namespace

bench::prepare_result prepare_gemm(const std::shared_ptr<plugin_context> &ctx,
                                   const bench::gemm_problem &problem,
                                   const bench::device_info &device,
                                   const bench::tensor_seeds &seeds) {
  const auto &api = ctx->api();
  if (api.gemm_plan_create == nullptr || api.gemm_run == nullptr) {
    return {nullptr, std::string(api.name) + " backend offers no GEMM"};
  }
  if (const auto why = problem.invalid_reason()) {
    bench::fail_input("GEMM " + problem.shape_label() + ": " + *why);
  }
  const uint64_t need = problem.bytes_total();
  if (device.memory_bytes > 0 && need > device.memory_bytes) {
    bench::fail_input("GEMM " + std::string(problem.precision->name) + " " + problem.shape_label() +
                      " is too large for memory: it needs " + gib(need) +
                      " for A, B and C; device " + std::to_string(device.index) + " has " +
                      gib(device.memory_bytes) + " available");
  }
  const sl_gemm_desc desc = problem.to_desc();
  sl_gemm_plan *raw = nullptr;
  uint64_t workspace = 0;
  const sl_status s = api.gemm_plan_create(ctx->get(), device.index, &desc, &raw, &workspace);
  if (s == SL_UNSUPPORTED) {
    return {nullptr, ctx->last_error()};
  }
  ctx->check(s, "gemm_plan_create");
  auto plan = std::make_unique<gemm_plan>(ctx, raw);
  if (device.memory_bytes > 0 && need + workspace > device.memory_bytes) {
    bench::fail_environment("GEMM " + problem.shape_label() +
                            " is too large for memory: it needs " + gib(need + workspace) +
                            " with workspace; device has " + gib(device.memory_bytes));
  }
  auto prepared = std::make_unique<gemm_case>(ctx, problem, device, std::move(plan), workspace);
  prepared->fill(problem, seeds);
  return {std::move(prepared), {}};
}

} // namespace suanli::host
