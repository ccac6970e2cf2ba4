#include <kernels/host/device_objects.hpp>

#include <bench/backend_call.hpp>

namespace suanli::host {

device_buffer::device_buffer(std::shared_ptr<plugin_context> ctx, int32_t device, uint64_t bytes)
    : ctx_(std::move(ctx)), device_(device), bytes_(bytes) {
  if (bytes_ > 0) {
    const bench::backend_call call("mem_alloc");
    ctx_->check(ctx_->api().mem_alloc(ctx_->get(), device_, bytes_, &ptr_),
                "mem_alloc(" + std::to_string(bytes_) + " bytes)");
  }
}

device_buffer::~device_buffer() {
  if (ptr_ != nullptr) {
    const bench::backend_call call("mem_free");
    ctx_->api().mem_free(ctx_->get(), device_, ptr_);
  }
}

device_stream::device_stream(std::shared_ptr<plugin_context> ctx, int32_t device)
    : ctx_(std::move(ctx)) {
  const bench::backend_call call("stream_create");
  ctx_->check(ctx_->api().stream_create(ctx_->get(), device, &stream_), "stream_create");
}

device_stream::~device_stream() {
  if (stream_ != nullptr) {
    const bench::backend_call call("stream_destroy");
    ctx_->api().stream_destroy(ctx_->get(), stream_);
  }
}

device_event::device_event(std::shared_ptr<plugin_context> ctx, int32_t device)
    : ctx_(std::move(ctx)) {
  const bench::backend_call call("event_create");
  ctx_->check(ctx_->api().event_create(ctx_->get(), device, &event_), "event_create");
}

device_event::~device_event() {
  if (event_ != nullptr) {
    const bench::backend_call call("event_destroy");
    ctx_->api().event_destroy(ctx_->get(), event_);
  }
}

} // namespace suanli::host
