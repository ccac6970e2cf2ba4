#include <kernels/host/gemm_case.hpp>

#include <bench/backend_call.hpp>
#include <bench/error.hpp>
#include <kernels/host/plugin_text.hpp>
#include <kernels/host/timed_case.hpp>

#include <array>
#include <vector>

namespace suanli::host {
namespace {

// A GEMM plan, destroyed on destruction.
class gemm_plan {
public:
  gemm_plan(std::shared_ptr<plugin_context> ctx, sl_gemm_plan *plan)
      : ctx_(std::move(ctx)), plan_(plan) {}
  ~gemm_plan() {
    const bench::backend_call call("gemm_plan_destroy");
    ctx_->api().gemm_plan_destroy(ctx_->get(), plan_);
  }
  gemm_plan(const gemm_plan &) = delete;
  gemm_plan &operator=(const gemm_plan &) = delete;
  [[nodiscard]] sl_gemm_plan *get() const { return plan_; }

private:
  std::shared_ptr<plugin_context> ctx_;
  sl_gemm_plan *plan_;
};

// One copy of the operands: A, B and C.
struct gemm_buffers {
  gemm_buffers(const std::shared_ptr<plugin_context> &ctx, int32_t device,
               const bench::gemm_problem &p)
      : a(ctx, device, p.bytes_a()), b(ctx, device, p.bytes_b()), c(ctx, device, p.bytes_c()) {}
  device_buffer a, b, c;
};

class gemm_case final : public timed_case {
public:
  gemm_case(const std::shared_ptr<plugin_context> &ctx, const bench::gemm_problem &problem,
            const bench::device_info &device, std::unique_ptr<gemm_plan> plan, uint64_t workspace,
            uint32_t sets)
      : timed_case(ctx, device), plan_(std::move(plan)), workspace_(ctx, device.index, workspace) {
    for (uint32_t i = 0; i < sets; ++i) {
      sets_.push_back(std::make_unique<gemm_buffers>(ctx, device.index, problem));
    }
    set_rotation(sets);
  }

  // Every set holds the same inputs: which set a call used never changes its result.
  void fill_inputs(const bench::gemm_problem &problem, const bench::tensor_seeds &seeds) {
    for (const auto &s : sets_) {
      fill(s->a, problem.precision->a, seeds.a);
      fill(s->b, problem.precision->b, seeds.b);
    }
    sync();
  }

  void poison_output() override {
    for (const auto &s : sets_) {
      poison(s->c);
    }
  }

  std::vector<std::byte> read_output() override {
    std::vector<std::byte> out;
    read_into(sets_[last_set()]->c, out);
    return out;
  }

  std::string implementation() const override {
    const auto &api = ctx()->api();
    std::array<char, 1024> buf{};
    const bench::backend_call call("gemm_plan_describe");
    if (api.gemm_plan_describe == nullptr ||
        api.gemm_plan_describe(ctx()->get(), plan_->get(), buf.data(), buf.size()) != SL_OK) {
      return "";
    }
    bool terminated = true; // a description filling buf to its end is cut there
    return plugin_text(buf.data(), buf.size(), terminated);
  }

private:
  void enqueue_one() override {
    const auto &s = *sets_[next_set()];
    const bench::backend_call call("gemm_run");
    ctx()->check(ctx()->api().gemm_run(ctx()->get(), plan_->get(), stream(), s.a.get(), s.b.get(),
                                       s.c.get(), workspace_.get()),
                 "gemm_run");
  }

  std::unique_ptr<gemm_plan> plan_;
  std::vector<std::unique_ptr<gemm_buffers>> sets_;
  device_buffer workspace_;
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
  const sl_status s = [&] {
    const bench::backend_call call("gemm_plan_create");
    return api.gemm_plan_create(ctx->get(), device.index, &desc, &raw, &workspace);
  }();
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
  const uint32_t sets =
      buffer_sets_for(problem.cold_bytes, need,
                      device.memory_bytes > workspace ? device.memory_bytes - workspace : 0);
  auto prepared =
      std::make_unique<gemm_case>(ctx, problem, device, std::move(plan), workspace, sets);
  prepared->fill_inputs(problem, seeds);
  return {std::move(prepared), {}};
}

} // namespace suanli::host
