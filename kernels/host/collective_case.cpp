#include <kernels/host/collective_case.hpp>

#include <bench/backend_call.hpp>
#include <bench/error.hpp>
#include <kernels/host/device_objects.hpp>
#include <kernels/host/timed_case.hpp>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <vector>

namespace suanli::host {
namespace {

// The plugin's communicator, destroyed with the object.
class plugin_communicator final : public bench::communicator {
public:
  plugin_communicator(std::shared_ptr<plugin_context> ctx, sl_comm *comm)
      : ctx_(std::move(ctx)), comm_(comm) {}
  ~plugin_communicator() override { ctx_->api().comm_destroy(ctx_->get(), comm_); }
  plugin_communicator(const plugin_communicator &) = delete;
  plugin_communicator &operator=(const plugin_communicator &) = delete;

  [[nodiscard]] sl_comm *get() const { return comm_; }

private:
  std::shared_ptr<plugin_context> ctx_;
  sl_comm *comm_;
};

// The timed part: one collective_run per call, on the shared run loop.
class collective_runner final : public timed_case {
public:
  collective_runner(const std::shared_ptr<plugin_context> &ctx, const bench::device_info &device,
                    sl_comm *comm, const sl_collective_desc &desc)
      : timed_case(ctx, device), comm_(comm), desc_(desc) {}

  void set_buffers(const void *send, void *recv) {
    send_ = send;
    recv_ = recv;
  }
  // prepared_case's verification hooks are unused: collective_case loads and reads images.
  void poison_output() override {}
  [[nodiscard]] std::vector<std::byte> read_output() override { return {}; }
  [[nodiscard]] std::string implementation() const override { return {}; }

protected:
  void enqueue_one() override {
    const bench::backend_call call("collective_run");
    ctx()->check(ctx()->api().collective_run(ctx()->get(), comm_, &desc_, send_, recv_, stream()),
                 "collective_run");
  }

private:
  sl_comm *comm_;
  sl_collective_desc desc_;
  const void *send_ = nullptr;
  void *recv_ = nullptr;
};

// One collective on one rank: send and receive buffers (one buffer in place) with the
// pointers NCCL's in-place rules ask for.
class collective_case final : public bench::prepared_collective {
public:
  collective_case(const std::shared_ptr<plugin_context> &ctx, const bench::device_info &device,
                  sl_comm *comm, const bench::collective_problem &p, int32_t rank, int32_t nranks)
      : ctx_(ctx), device_(device.index), elem_(sl_dtype_size(p.dtype)),
        runner_(ctx, device, comm, p.desc(nranks)),
        recv_(ctx, device.index,
              (p.in_place ? std::max(p.send_elems(nranks), p.recv_elems(nranks))
                          : p.recv_elems(nranks)) *
                  elem_) {
    if (!p.in_place) {
      send_.emplace(ctx, device.index, p.send_elems(nranks) * elem_);
    }
    auto *recv = static_cast<std::byte *>(recv_.get());
    const uint64_t block = p.count(nranks) * elem_;
    const void *send_ptr = p.in_place ? recv : send_->get();
    void *recv_ptr = recv;
    if (p.in_place && p.op == SL_COLL_ALL_GATHER) {
      send_ptr = recv + static_cast<uint64_t>(rank) * block;
    } else if (p.in_place && p.op == SL_COLL_REDUCE_SCATTER) {
      recv_ptr = recv + static_cast<uint64_t>(rank) * block;
    }
    runner_.set_buffers(send_ptr, recv_ptr);
  }

  void load(const bench::collective_buffers &images, bool with_send) override {
    if (with_send && send_ && !images.send.empty()) {
      copy_in(*send_, images.send);
    }
    if (images.recv_all_poison) {
      poison_recv(images.recv);
    } else {
      copy_in(recv_, images.recv);
    }
  }

  uint64_t run() override { return runner_.run(1); }

  void read_recv(uint64_t offset, std::span<std::byte> out) override {
    if (!out.empty()) {
      ctx_->check(ctx_->api().memcpy_d2h(ctx_->get(), device_, out.data(),
                                         static_cast<std::byte *>(recv_.get()) + offset * elem_,
                                         out.size()),
                  "memcpy_d2h");
    }
  }

  [[nodiscard]] std::string timer() const override { return runner_.timer(); }

private:
  // Poison is one repeated element, so the receive buffer is written from a prefix of its
  // image (a sixteenth, at least 64 KiB) copied again and again: between timed calls a CPU's
  // caches see the buffers the call uses, as in a plain loop, rather than a second full-size
  // host image, while a device backend still gets few large copies.

  void check_size(const device_buffer &buffer, const std::vector<std::byte> &image) const {
    if (image.size() != buffer.size()) {
      bench::fail_environment("internal: collective buffer image of " +
                              std::to_string(image.size()) + " bytes for a buffer of " +
                              std::to_string(buffer.size()));
    }
  }

  void copy_in(const device_buffer &buffer, const std::vector<std::byte> &image) {
    check_size(buffer, image);
    ctx_->check(
        ctx_->api().memcpy_h2d(ctx_->get(), device_, buffer.get(), image.data(), image.size()),
        "memcpy_h2d");
  }

  void poison_recv(const std::vector<std::byte> &image) {
    check_size(recv_, image);
    const uint64_t block =
        std::min<uint64_t>(image.size(), std::max<uint64_t>(64 << 10, image.size() / 16)) / elem_ *
        elem_;
    auto *dst = static_cast<std::byte *>(recv_.get());
    for (uint64_t at = 0; at < image.size(); at += block) {
      const uint64_t len = std::min(block, image.size() - at);
      ctx_->check(ctx_->api().memcpy_h2d(ctx_->get(), device_, dst + at, image.data(), len),
                  "memcpy_h2d");
    }
  }

  std::shared_ptr<plugin_context> ctx_;
  int32_t device_;
  uint64_t elem_;
  collective_runner runner_;
  device_buffer recv_;
  std::optional<device_buffer> send_;
};

} // namespace

bool plugin_has_collectives(const plugin_library &lib, std::string &reason) {
  const auto &api = lib.api();
  const bool present = lib.has_field(offsetof(sl_backend_api, collective_run), sizeof(void *)) &&
                       api.comm_unique_id_size != nullptr && api.comm_unique_id != nullptr &&
                       api.comm_init != nullptr && api.comm_destroy != nullptr &&
                       api.collective_check != nullptr && api.collective_run != nullptr;
  if (!present) {
    reason = std::string(api.name) + " backend (ABI " + std::to_string(api.abi_major) + "." +
             std::to_string(api.abi_minor) + ") offers no collectives";
  }
  return present;
}

std::unique_ptr<bench::communicator>
join_plugin_communicator(const std::shared_ptr<plugin_context> &ctx, int32_t device,
                         bench::coordinator &ranks) {
  const auto &api = ctx->api();
  uint64_t bytes = 0;
  ctx->check(api.comm_unique_id_size(ctx->get(), &bytes), "comm_unique_id_size");
  if (bytes == 0 || bytes > 4096) {
    bench::fail_environment(std::string(api.name) + ": comm_unique_id_size gave " +
                            std::to_string(bytes) + " bytes; expected 1 to 4096");
  }
  std::string id(bytes, '\0');
  if (ranks.rank() == 0) {
    ctx->check(api.comm_unique_id(ctx->get(), id.data(), bytes), "comm_unique_id");
  }
  id = ranks.broadcast(id, "sending the communicator's unique id");
  if (id.size() != bytes) {
    bench::fail_environment("the unique id from rank 0 has " + std::to_string(id.size()) +
                            " bytes; this rank's backend expects " + std::to_string(bytes));
  }
  sl_comm *comm = nullptr;
  const bench::backend_call call("comm_init");
  ctx->check(api.comm_init(ctx->get(), device, ranks.rank(), ranks.size(), id.data(), bytes, &comm),
             "comm_init");
  return std::make_unique<plugin_communicator>(ctx, comm);
}

std::unique_ptr<bench::prepared_collective>
prepare_plugin_collective(const std::shared_ptr<plugin_context> &ctx, bench::communicator &comm,
                          const bench::collective_problem &p, const bench::device_info &device,
                          int32_t rank, int32_t nranks, std::string &reason) {
  auto *c = dynamic_cast<plugin_communicator *>(&comm);
  if (c == nullptr) {
    bench::fail_environment("internal: a communicator of another backend");
  }
  const sl_collective_desc desc = p.desc(nranks);
  const sl_status s = ctx->api().collective_check(ctx->get(), c->get(), &desc);
  if (s == SL_UNSUPPORTED) {
    reason = ctx->last_error();
    return nullptr;
  }
  ctx->check(s, "collective_check");
  return std::make_unique<collective_case>(ctx, device, c->get(), p, rank, nranks);
}

} // namespace suanli::host
