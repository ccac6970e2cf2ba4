#include <kernels/host/attention_case.hpp>

#include <bench/backend_call.hpp>
#include <bench/error.hpp>
#include <kernels/host/plugin_text.hpp>
#include <kernels/host/timed_case.hpp>

#include <array>
#include <cstddef>
#include <vector>

namespace suanli::host {
namespace {

// An attention plan, destroyed on destruction.
class attention_plan {
public:
  attention_plan(std::shared_ptr<plugin_context> ctx, sl_attention_plan *plan)
      : ctx_(std::move(ctx)), plan_(plan) {}
  ~attention_plan() {
    const bench::backend_call call("attention_plan_destroy");
    ctx_->api().attention_plan_destroy(ctx_->get(), plan_);
  }
  attention_plan(const attention_plan &) = delete;
  attention_plan &operator=(const attention_plan &) = delete;
  [[nodiscard]] sl_attention_plan *get() const { return plan_; }

private:
  std::shared_ptr<plugin_context> ctx_;
  sl_attention_plan *plan_;
};

// One copy of the operands: Q, K, V, O and LSE (0 bytes when not wanted).
struct attention_buffers {
  attention_buffers(const std::shared_ptr<plugin_context> &ctx, int32_t device,
                    const bench::attention_problem &p)
      : q(ctx, device, p.bytes_q()), k(ctx, device, p.bytes_k()), v(ctx, device, p.bytes_v()),
        o(ctx, device, p.bytes_o()), lse(ctx, device, p.bytes_lse()) {}
  device_buffer q, k, v, o, lse;
};

class attention_case final : public timed_case {
public:
  attention_case(const std::shared_ptr<plugin_context> &ctx, const bench::attention_problem &p,
                 const bench::device_info &device, std::unique_ptr<attention_plan> plan,
                 uint64_t workspace, uint32_t sets)
      : timed_case(ctx, device), plan_(std::move(plan)), workspace_(ctx, device.index, workspace) {
    for (uint32_t i = 0; i < sets; ++i) {
      sets_.push_back(std::make_unique<attention_buffers>(ctx, device.index, p));
    }
    set_rotation(sets);
  }

  // Every set holds the same inputs: which set a call used never changes its result.
  void fill_inputs(const bench::attention_problem &p, const bench::tensor_seeds &seeds) {
    for (const auto &s : sets_) {
      fill(s->q, p.precision->qkv, seeds.a);
      fill(s->k, p.precision->qkv, seeds.b);
      fill(s->v, p.precision->qkv, seeds.c);
    }
    sync();
  }

  void poison_output() override {
    for (const auto &s : sets_) {
      poison(s->o);
      if (s->lse.size() > 0) {
        poison(s->lse);
      }
    }
  }

  // O, then LSE when the problem wants it, of the set the last call wrote.
  std::vector<std::byte> read_output() override {
    const auto &s = *sets_[last_set()];
    std::vector<std::byte> out;
    read_into(s.o, out);
    if (s.lse.size() > 0) {
      read_into(s.lse, out);
    }
    return out;
  }

  std::string implementation() const override {
    const auto &api = ctx()->api();
    std::array<char, 1024> buf{};
    const bench::backend_call call("attention_plan_describe");
    if (api.attention_plan_describe == nullptr ||
        api.attention_plan_describe(ctx()->get(), plan_->get(), buf.data(), buf.size()) != SL_OK) {
      return "";
    }
    bool terminated = true; // a description filling buf to its end is cut there
    return plugin_text(buf.data(), buf.size(), terminated);
  }

private:
  void enqueue_one() override {
    const auto &s = *sets_[next_set()];
    const bench::backend_call call("attention_forward");
    ctx()->check(ctx()->api().attention_forward(
                     ctx()->get(), plan_->get(), stream(), s.q.get(), s.k.get(), s.v.get(),
                     s.o.get(), static_cast<float *>(s.lse.get()), workspace_.get()),
                 "attention_forward");
  }

  std::unique_ptr<attention_plan> plan_;
  std::vector<std::unique_ptr<attention_buffers>> sets_;
  device_buffer workspace_;
};

// The plugin's table reaches the attention entries (ABI >= 1.1) and fills them in.
bool offers_attention(const plugin_context &ctx) {
  const auto &lib = ctx.library();
  return lib.has_field(offsetof(sl_backend_api, attention_plan_describe), sizeof(void *)) &&
         ctx.api().attention_plan_create != nullptr && ctx.api().attention_forward != nullptr &&
         ctx.api().attention_plan_destroy != nullptr;
}

} // namespace

bench::prepare_result prepare_attention(const std::shared_ptr<plugin_context> &ctx,
                                        const bench::attention_problem &problem,
                                        const bench::device_info &device,
                                        const bench::tensor_seeds &seeds) {
  const auto &api = ctx->api();
  if (!offers_attention(*ctx)) {
    return {nullptr, std::string(api.name) + " backend offers no attention (ABI " +
                         std::to_string(api.abi_major) + "." + std::to_string(api.abi_minor) +
                         " table without attention entries)"};
  }
  if (const auto why = problem.invalid_reason()) {
    bench::fail_input("attention " + problem.shape_label() + ": " + *why);
  }
  const uint64_t need = problem.bytes_total();
  if (device.memory_bytes > 0 && need > device.memory_bytes) {
    bench::fail_input("attention " + problem.shape_label() + " is too large for memory: it needs " +
                      gib(need) + " for Q, K, V and O; device " + std::to_string(device.index) +
                      " has " + gib(device.memory_bytes) + " available");
  }
  const sl_attention_desc desc = problem.to_desc();
  sl_attention_plan *raw = nullptr;
  uint64_t workspace = 0;
  const sl_status s = [&] {
    const bench::backend_call call("attention_plan_create");
    return api.attention_plan_create(ctx->get(), device.index, &desc, &raw, &workspace);
  }();
  if (s == SL_UNSUPPORTED) {
    return {nullptr, ctx->last_error()};
  }
  ctx->check(s, "attention_plan_create");
  auto plan = std::make_unique<attention_plan>(ctx, raw);
  if (device.memory_bytes > 0 && need + workspace > device.memory_bytes) {
    bench::fail_environment("attention " + problem.shape_label() +
                            " is too large for memory: it needs " + gib(need + workspace) +
                            " with workspace; device has " + gib(device.memory_bytes));
  }
  const uint32_t sets =
      buffer_sets_for(problem.cold_bytes, need,
                      device.memory_bytes > workspace ? device.memory_bytes - workspace : 0);
  auto prepared =
      std::make_unique<attention_case>(ctx, problem, device, std::move(plan), workspace, sets);
  prepared->fill_inputs(problem, seeds);
  return {std::move(prepared), {}};
}

} // namespace suanli::host
