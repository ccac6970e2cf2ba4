#pragma once

#include <bench/backend.hpp>
#include <kernels/host/device_objects.hpp>
#include <kernels/host/plugin_backend.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

namespace suanli::host {

/// What every prepared operation shares: its stream, the timing events, the run loop and
/// buffer helpers. Operations implement enqueue_one().
class timed_case : public bench::prepared_case {
public:
  /// Create the stream (and events unless the device is host-timed).
  timed_case(std::shared_ptr<plugin_context> ctx, const bench::device_info &device);

  uint64_t run(int64_t iterations) final;
  [[nodiscard]] std::string timer() const final;
  [[nodiscard]] uint32_t buffer_sets() const final { return sets_; }

protected:
  /// Enqueue one call of the operation on stream().
  virtual void enqueue_one() = 0;

  /// Fill a buffer with the counter-based generator (count = bytes / element size).
  void fill(const device_buffer &buffer, sl_dtype dtype, uint64_t seed);
  /// Overwrite a buffer with all-ones bytes (NaN for floating types, -1 for integers).
  void poison(const device_buffer &buffer);
  /// Append a buffer's contents to `out`.
  void read_into(const device_buffer &buffer, std::vector<std::byte> &out);
  /// Wait for the stream.
  void sync();
  /// Rotate over `sets` buffer sets (cold mode; 1 = warm).
  void set_rotation(uint32_t sets) { sets_ = sets; }
  /// Index of the set the next call uses; advances the rotation.
  [[nodiscard]] size_t next_set() {
    last_set_ = next_set_;
    next_set_ = (next_set_ + 1) % sets_;
    return last_set_;
  }
  /// Index of the set the last call used (whose output is read back).
  [[nodiscard]] size_t last_set() const { return last_set_; }

  [[nodiscard]] const std::shared_ptr<plugin_context> &ctx() const { return ctx_; }
  [[nodiscard]] int32_t device() const { return device_; }
  [[nodiscard]] sl_stream *stream() const { return stream_.get(); }

private:
  std::shared_ptr<plugin_context> ctx_;
  int32_t device_;
  bool host_timed_;
  device_stream stream_;
  std::optional<device_event> start_, stop_;
  uint32_t sets_ = 1;
  size_t next_set_ = 0, last_set_ = 0;
};

/// Most buffer sets a cold case allocates.
inline constexpr uint32_t max_buffer_sets = 4096;

/// Buffer sets a case of `set_bytes` per set rotates over so that between two uses of one set
/// at least `cold_bytes` of other sets are touched: 1 + ceil(cold_bytes / set_bytes), capped at
/// max_buffer_sets and at half of `memory_bytes` (0 = unknown); 1 when cold_bytes is 0.
[[nodiscard]] uint32_t buffer_sets_for(int64_t cold_bytes, uint64_t set_bytes,
                                       uint64_t memory_bytes);

/// "X GiB" with two decimals.
[[nodiscard]] std::string gib(uint64_t bytes);

} // namespace suanli::host
