#pragma once

#include <kernels/host/plugin_backend.hpp>

#include <cstdint>
#include <memory>

namespace suanli::host {

/// Device memory from mem_alloc, freed on destruction.
class device_buffer {
public:
  /// Allocate `bytes` on `device`. Throws bench::error (exit 3) on failure.
  device_buffer(std::shared_ptr<plugin_context> ctx, int32_t device, uint64_t bytes);
  ~device_buffer();
  device_buffer(const device_buffer &) = delete;
  device_buffer &operator=(const device_buffer &) = delete;
  /// Device pointer (null when 0 bytes were asked for).
  [[nodiscard]] void *get() const { return ptr_; }
  /// Size [bytes].
  [[nodiscard]] uint64_t size() const { return bytes_; }

private:
  std::shared_ptr<plugin_context> ctx_;
  int32_t device_;
  uint64_t bytes_;
  void *ptr_ = nullptr;
};

/// A stream, destroyed on destruction.
class device_stream {
public:
  /// Create a stream on `device`. Throws bench::error (exit 3) on failure.
  device_stream(std::shared_ptr<plugin_context> ctx, int32_t device);
  ~device_stream();
  device_stream(const device_stream &) = delete;
  device_stream &operator=(const device_stream &) = delete;
  /// The plugin's handle.
  [[nodiscard]] sl_stream *get() const { return stream_; }

private:
  std::shared_ptr<plugin_context> ctx_;
  sl_stream *stream_ = nullptr;
};

/// An event, destroyed on destruction.
class device_event {
public:
  /// Create an event on `device`. Throws bench::error (exit 3) on failure.
  device_event(std::shared_ptr<plugin_context> ctx, int32_t device);
  ~device_event();
  device_event(const device_event &) = delete;
  device_event &operator=(const device_event &) = delete;
  /// The plugin's handle.
  [[nodiscard]] sl_event *get() const { return event_; }

private:
  std::shared_ptr<plugin_context> ctx_;
  sl_event *event_ = nullptr;
};

} // namespace suanli::host
