// memory and fill: round trips through device memory, and the device generator against the
// host's sl_fill_value.

#include <conformance/checks.hpp>
#include <conformance/isolate.hpp>
#include <conformance/session.hpp>

#include <bench/dtype.hpp>
#include <kernels/host/device_objects.hpp>
#include <kernels/reference/element.hpp>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <utility>
#include <vector>

namespace suanli::conformance {
namespace {

// Every dtype of the ABI header.
constexpr std::array<sl_dtype, 10> k_dtypes = {
    SL_DTYPE_FP64,     SL_DTYPE_FP32,     SL_DTYPE_TF32, SL_DTYPE_FP16,  SL_DTYPE_BF16,
    SL_DTYPE_FP8_E4M3, SL_DTYPE_FP8_E5M2, SL_DTYPE_INT8, SL_DTYPE_UINT8, SL_DTYPE_INT32};

// Fills compared per dtype: {count, seed}; the second is large enough for a parallel path.
constexpr std::array<std::pair<uint64_t, uint64_t>, 2> k_fill_runs = {
    {{4099, 0x5eed0001}, {(uint64_t{1} << 17) + 5, 0x5eed0002}}};

// fp8 bit pattern of a value exactly representable as a normal number or zero (the generator
// only makes k/8, |k| <= 8, which both fp8 formats hold exactly).
uint8_t fp8_bits(double v, int exp_bits, int man_bits) {
  const uint8_t sign = std::signbit(v) ? 0x80 : 0x00;
  if (v == 0) {
    return sign;
  }
  int e = 0;
  const double m = std::frexp(std::fabs(v), &e); // |v| = m * 2^e, m in [0.5, 1)
  const int bias = (1 << (exp_bits - 1)) - 1;
  const auto man = static_cast<unsigned>(std::ldexp(m * 2 - 1, man_bits));
  const auto exp = static_cast<unsigned>(e - 1 + bias);
  return static_cast<uint8_t>(sign | (exp << man_bits) | man);
}

// The host's image of a device fill: sl_fill_value in dtype's bit pattern.
std::vector<unsigned char> expected_fill(sl_dtype dtype, uint64_t count, uint64_t seed) {
  std::vector<unsigned char> out(count * sl_dtype_size(dtype));
  for (uint64_t i = 0; i < count; ++i) {
    const double v = sl_fill_value(seed, i, dtype);
    if (dtype == SL_DTYPE_FP8_E4M3 || dtype == SL_DTYPE_FP8_E5M2) {
      out[i] = dtype == SL_DTYPE_FP8_E4M3 ? fp8_bits(v, 4, 3) : fp8_bits(v, 5, 2);
    } else {
      reference::store(out.data(), dtype, static_cast<int64_t>(i), v);
    }
  }
  return out;
}

std::string hex_of(const unsigned char *p, size_t n) {
  std::string out = "0x";
  for (size_t i = n; i-- > 0;) { // little-endian element, most significant byte first
    char two[3];
    std::snprintf(two, sizeof two, "%02x", p[i]);
    out += two;
  }
  return out;
}

// One fill compared with the host; "" when equal, "unsupported" handled by the caller.
std::string fill_mismatch(const session &s, host::device_stream &stream, sl_dtype dtype,
                          uint64_t count, uint64_t seed) {
  const size_t size = sl_dtype_size(dtype);
  host::device_buffer buf(s.context(), 0, count * size);
  const std::string what = std::string(bench::name(dtype)) + " x" + std::to_string(count);
  note_stage("fill " + what);
  s.context()->check(
      s.api().fill(s.ctx(), stream.get(), buf.get(), dtype, count, seed, SL_FILL_UNIFORM),
      "fill(" + what + ")");
  note_stage("stream_sync after fill " + what);
  s.context()->check(s.api().stream_sync(s.ctx(), stream.get()), "stream_sync");
  std::vector<unsigned char> got(count * size, 0xEE);
  s.context()->check(s.api().memcpy_d2h(s.ctx(), 0, got.data(), buf.get(), got.size()),
                     "memcpy_d2h");
  const auto want = expected_fill(dtype, count, seed);
  for (uint64_t i = 0; i < count; ++i) {
    if (std::memcmp(got.data() + i * size, want.data() + i * size, size) != 0) {
      return what + " seed " + std::to_string(seed) + ": element " + std::to_string(i) + " is " +
             hex_of(got.data() + i * size, size) + ", sl_fill_value gives " +
             hex_of(want.data() + i * size, size) + " (" +
             std::to_string(sl_fill_value(seed, i, dtype)) + ")";
    }
  }
  return "";
}

// One size's round trip: host pattern -> device -> host, plus an unaligned partial copy.
std::string round_trip_problem(const session &s, uint64_t bytes) {
  const std::string what = std::to_string(bytes) + " B";
  std::vector<unsigned char> pattern(bytes);
  for (uint64_t i = 0; i < bytes; ++i) {
    pattern[i] = static_cast<unsigned char>((i * 131 + 7) ^ (i >> 8));
  }
  note_stage("mem_alloc " + what);
  host::device_buffer buf(s.context(), 0, bytes);
  if (buf.get() == nullptr) {
    return "mem_alloc(" + what + ") returned ok with a NULL pointer";
  }
  note_stage("memcpy_h2d " + what);
  s.context()->check(s.api().memcpy_h2d(s.ctx(), 0, buf.get(), pattern.data(), bytes),
                     "memcpy_h2d(" + what + ")");
  std::vector<unsigned char> back(bytes, static_cast<unsigned char>(~pattern[0]));
  note_stage("memcpy_d2h " + what);
  s.context()->check(s.api().memcpy_d2h(s.ctx(), 0, back.data(), buf.get(), bytes),
                     "memcpy_d2h(" + what + ")");
  for (uint64_t i = 0; i < bytes; ++i) {
    if (back[i] != pattern[i]) {
      return "round trip of " + what + ": byte " + std::to_string(i) + " came back as " +
             std::to_string(back[i]) + ", sent " + std::to_string(pattern[i]);
    }
  }
  if (bytes > 8) { // 5 bytes from an odd offset of the device buffer
    std::array<unsigned char, 5> part{};
    note_stage("memcpy_d2h of 5 bytes at offset 3 of " + what);
    s.context()->check(s.api().memcpy_d2h(s.ctx(), 0, part.data(),
                                          static_cast<unsigned char *>(buf.get()) + 3, part.size()),
                       "memcpy_d2h(5 bytes at offset 3)");
    if (std::memcmp(part.data(), pattern.data() + 3, part.size()) != 0) {
      return "memcpy_d2h of 5 bytes at offset 3 of " + what + " read other bytes";
    }
  }
  return "";
}

} // namespace

check_result check_memory(const check_input &in) {
  session s(in.plugin);
  for (const uint64_t bytes : {uint64_t{1}, uint64_t{4096 + 3}, uint64_t{1} << 20}) {
    if (const std::string problem = round_trip_problem(s, bytes); !problem.empty()) {
      return fail(problem);
    }
  }
  note_stage("mem_alloc with a NULL output pointer");
  if (const sl_status st = s.api().mem_alloc(s.ctx(), 0, 64, nullptr); st == SL_OK) {
    return fail("mem_alloc(64 B, ptr = NULL) returned ok; expected an error");
  } else if (s.last_error().empty()) {
    return fail(std::string("mem_alloc(64 B, ptr = NULL) returned ") + sl_status_name(st) +
                " with no reason");
  }
  int not_allocated = 0;
  note_stage("mem_free of a pointer mem_alloc never gave");
  if (const sl_status st = s.api().mem_free(s.ctx(), 0, &not_allocated); st == SL_OK) {
    return fail("mem_free of a pointer mem_alloc never gave (a host stack address) returned ok");
  } else if (s.last_error().empty()) {
    return fail(std::string("mem_free of an unknown pointer returned ") + sl_status_name(st) +
                " with no reason");
  }
  return pass("round trips of 1 B, 4099 B and 1 MiB exact (and an unaligned partial read); "
              "NULL output pointer and unknown pointer refused with a reason");
}

check_result check_fill(const check_input &in) {
  session s(in.plugin);
  host::device_stream stream(s.context(), 0);
  std::string exact, refused;
  for (const sl_dtype dtype : k_dtypes) {
    const std::string name(bench::name(dtype));
    { // A first call of one element tells whether the dtype is offered at all.
      host::device_buffer probe(s.context(), 0, sl_dtype_size(dtype));
      note_stage("fill " + name + " x1");
      const sl_status st =
          s.api().fill(s.ctx(), stream.get(), probe.get(), dtype, 1, 1, SL_FILL_UNIFORM);
      if (st == SL_UNSUPPORTED) {
        const std::string why = s.unsupported_reason("fill(" + name + ")");
        if (why.empty()) {
          return fail(no_reason_text("fill(" + name + ")"));
        }
        refused += (refused.empty() ? "" : "; ") + name + " (\"" + clip(why, 80) + "\")";
        continue;
      }
      s.context()->check(st, "fill(" + name + " x1)");
      note_stage("stream_sync after fill " + name + " x1");
      s.context()->check(s.api().stream_sync(s.ctx(), stream.get()), "stream_sync");
    }
    for (const auto &[count, seed] : k_fill_runs) {
      if (const std::string problem = fill_mismatch(s, stream, dtype, count, seed);
          !problem.empty()) {
        return fail(problem);
      }
    }
    exact += (exact.empty() ? "" : " ") + name;
  }
  if (exact.empty()) {
    return fail("no dtype can be filled: " + refused);
  }
  return pass("bit-exact: " + exact + (refused.empty() ? "" : "; unsupported: " + refused));
}

} // namespace suanli::conformance
