#include <kernels/host/timed_case.hpp>

#include <bench/backend_call.hpp>
#include <bench/error.hpp>
#include <bench/text.hpp>

#include <algorithm>
#include <chrono>

namespace suanli::host {

std::string gib(uint64_t bytes) {
  return bench::fixed(static_cast<double>(bytes) / double(1ull << 30), 2) + " GiB";
}

uint32_t buffer_sets_for(int64_t cold_bytes, uint64_t set_bytes, uint64_t memory_bytes) {
  if (cold_bytes <= 0 || set_bytes == 0) {
    return 1;
  }
  const uint64_t others = (static_cast<uint64_t>(cold_bytes) + set_bytes - 1) / set_bytes;
  uint64_t sets = std::min<uint64_t>(others + 1, max_buffer_sets);
  if (memory_bytes > 0) {
    sets = std::min<uint64_t>(sets, std::max<uint64_t>(1, memory_bytes / 2 / set_bytes));
  }
  return static_cast<uint32_t>(sets);
}

timed_case::timed_case(std::shared_ptr<plugin_context> ctx, const bench::device_info &device)
    : ctx_(std::move(ctx)), device_(device.index), host_timed_(device.host_timed),
      stream_(ctx_, device_) {
  if (!host_timed_) {
    start_.emplace(ctx_, device_);
    stop_.emplace(ctx_, device_);
  }
}

uint64_t timed_case::run(int64_t iterations) {
  const auto &api = ctx_->api();
  sl_context *c = ctx_->get();
  if (host_timed_) {
    const auto t0 = std::chrono::steady_clock::now();
    for (int64_t i = 0; i < iterations; ++i) {
      enqueue_one();
    }
    sync();
    return static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0)
            .count());
  }
  {
    const bench::backend_call call("event_record");
    ctx_->check(api.event_record(c, start_->get(), stream_.get()), "event_record");
  }
  for (int64_t i = 0; i < iterations; ++i) {
    enqueue_one();
  }
  {
    const bench::backend_call call("event_record");
    ctx_->check(api.event_record(c, stop_->get(), stream_.get()), "event_record");
  }
  sync();
  uint64_t ns = 0;
  const bench::backend_call call("event_elapsed_ns");
  ctx_->check(api.event_elapsed_ns(c, start_->get(), stop_->get(), &ns), "event_elapsed_ns");
  return ns;
}

std::string timed_case::timer() const {
  return host_timed_ ? "host clock around stream sync" : "device events";
}

void timed_case::fill(const device_buffer &buffer, sl_dtype dtype, uint64_t seed) {
  const bench::backend_call call("fill");
  ctx_->check(ctx_->api().fill(ctx_->get(), stream_.get(), buffer.get(), dtype,
                               buffer.size() / sl_dtype_size(dtype), seed, SL_FILL_UNIFORM),
              "fill");
}

void timed_case::poison(const device_buffer &buffer) {
  const std::vector<std::byte> ones(std::min<uint64_t>(buffer.size(), 4u << 20), std::byte{0xFF});
  for (uint64_t off = 0; off < buffer.size(); off += ones.size()) {
    const uint64_t len = std::min<uint64_t>(ones.size(), buffer.size() - off);
    const bench::backend_call call("memcpy_h2d");
    ctx_->check(ctx_->api().memcpy_h2d(ctx_->get(), device_,
                                       static_cast<std::byte *>(buffer.get()) + off, ones.data(),
                                       len),
                "memcpy_h2d");
  }
}

void timed_case::read_into(const device_buffer &buffer, std::vector<std::byte> &out) {
  const size_t at = out.size();
  out.resize(at + buffer.size());
  const bench::backend_call call("memcpy_d2h");
  ctx_->check(
      ctx_->api().memcpy_d2h(ctx_->get(), device_, out.data() + at, buffer.get(), buffer.size()),
      "memcpy_d2h");
}

void timed_case::sync() {
  const bench::backend_call call("stream_sync");
  ctx_->check(ctx_->api().stream_sync(ctx_->get(), stream_.get()), "stream_sync");
}

} // namespace suanli::host
