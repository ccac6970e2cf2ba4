// links: device_link (ABI 1.4): self, symmetry, out-of-range indices, short structs, reasons.

#include <conformance/checks.hpp>
#include <conformance/isolate.hpp>
#include <conformance/session.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <vector>

namespace suanli::conformance {
namespace {

constexpr unsigned char k_sentinel = 0xA5; // bytes past struct_size the plugin must not write
constexpr int32_t k_max_devices = 8;       // pairs checked: the first devices only

std::string pair_text(int32_t a, int32_t b) {
  return "device_link(" + std::to_string(a) + ", " + std::to_string(b) + ")";
}

// One call with a full struct; the status and what the plugin wrote.
sl_status ask(const session &s, int32_t a, int32_t b, sl_device_link &out) {
  out = {};
  out.struct_size = sizeof out;
  note_stage(pair_text(a, b));
  return s.api().device_link(s.ctx(), a, b, &out);
}

// What is wrong with an OK answer for (a, b), or "".
std::string answer_problem(const sl_device_link &l, int32_t a, int32_t b) {
  const std::string where = pair_text(a, b) + ": ";
  if (std::memchr(l.name, '\0', sizeof l.name) == nullptr) {
    return where + "name has no NUL terminator inside its 32-byte array";
  }
  if (static_cast<int>(l.kind) < SL_LINK_SELF || static_cast<int>(l.kind) > SL_LINK_UNKNOWN) {
    return where + "kind " + std::to_string(static_cast<int>(l.kind)) + " is outside sl_link_kind";
  }
  if ((a == b) != (l.kind == SL_LINK_SELF)) {
    return where + (a == b ? "a device to itself is not SL_LINK_SELF"
                           : "two different devices answered SL_LINK_SELF");
  }
  if (!std::isfinite(l.bandwidth_gb_s) || l.bandwidth_gb_s < 0) {
    return where + "bandwidth_gb_s is negative or not finite";
  }
  return "";
}

bool same_answer(const sl_device_link &x, const sl_device_link &y) {
  return x.kind == y.kind && x.links == y.links && x.bandwidth_gb_s == y.bandwidth_gb_s &&
         std::strncmp(x.name, y.name, sizeof x.name) == 0;
}

// (a, b) and (b, a): the same status and the same answer; an unsupported one has a reason.
std::string pair_problem(const session &s, int32_t a, int32_t b, int &unsupported) {
  sl_device_link ab{}, ba{};
  const sl_status st = ask(s, a, b, ab);
  const std::string reason = st == SL_OK ? "" : s.last_error();
  const sl_status ts = ask(s, b, a, ba);
  if (a == b && st != SL_OK) {
    return pair_text(a, b) + " returned " + sl_status_name(st) + ": " + clip(reason) +
           "; a device to itself is always SL_OK with SL_LINK_SELF";
  }
  if (st == SL_UNSUPPORTED) {
    ++unsupported;
    log_unsupported(pair_text(a, b), reason);
    if (reason.empty()) {
      return no_reason_text(pair_text(a, b));
    }
  } else if (st != SL_OK) {
    return pair_text(a, b) + " failed: " + sl_status_name(st) + ": " + clip(reason);
  }
  if (ts != st) {
    return pair_text(a, b) + " answered " + sl_status_name(st) + " but " + pair_text(b, a) + " " +
           sl_status_name(ts) + " (the answer must be symmetric)";
  }
  if (st != SL_OK) {
    return "";
  }
  if (std::string p = answer_problem(ab, a, b); !p.empty()) {
    return p;
  }
  if (!same_answer(ab, ba)) {
    return pair_text(a, b) + " and " + pair_text(b, a) + " differ (the answer must be symmetric)";
  }
  return "";
}

// An index outside [0, count) must be SL_INVALID_ARGUMENT with a reason.
std::string bad_index_problem(const session &s, int32_t a, int32_t b) {
  sl_device_link l{};
  const sl_status st = ask(s, a, b, l);
  if (st != SL_INVALID_ARGUMENT) {
    return pair_text(a, b) + " of a device that does not exist returned " + sl_status_name(st) +
           ", expected invalid argument";
  }
  if (s.last_error().empty()) {
    return pair_text(a, b) + " returned invalid argument with no reason";
  }
  return "";
}

// A struct_size too small for the struct: no byte past it may change, and the answer is not OK.
std::string short_struct_problem(const session &s) {
  constexpr size_t k_short = 8;
  std::vector<unsigned char> buf(sizeof(sl_device_link) + 16, k_sentinel);
  const uint32_t size = k_short;
  std::memcpy(buf.data(), &size, sizeof size);
  note_stage("device_link with struct_size 8");
  const sl_status st =
      s.api().device_link(s.ctx(), 0, 0, reinterpret_cast<sl_device_link *>(buf.data()));
  for (size_t i = k_short; i < buf.size(); ++i) {
    if (buf[i] != k_sentinel) {
      return "device_link with struct_size 8 wrote byte " + std::to_string(i) +
             ", past the caller's struct (struct_size not honoured)";
    }
  }
  if (st == SL_OK) {
    return "device_link with struct_size 8 returned ok; expected invalid argument";
  }
  return "";
}

} // namespace

check_result check_links(const check_input &in) {
  session s(in.plugin);
  const auto &api = s.api();
  if (!s.covers(offsetof(sl_backend_api, device_link)) || api.device_link == nullptr) {
    return unsupported("the plugin (ABI " + std::to_string(api.abi_major) + "." +
                       std::to_string(api.abi_minor) + ") offers no device_link");
  }
  const int32_t count = s.device_count();
  if (count < 1) {
    return fail("device_count gave " + std::to_string(count) + "; the check needs a device");
  }
  const int32_t checked = std::min(count, k_max_devices);
  int unsupported_pairs = 0;
  for (int32_t a = 0; a < checked; ++a) {
    for (int32_t b = a; b < checked; ++b) {
      if (const std::string p = pair_problem(s, a, b, unsupported_pairs); !p.empty()) {
        return fail(p);
      }
    }
  }
  for (const auto &[a, b] : {std::pair<int32_t, int32_t>{-1, 0}, {0, count}, {count, count}}) {
    if (const std::string p = bad_index_problem(s, a, b); !p.empty()) {
      return fail(p);
    }
  }
  if (const std::string p = short_struct_problem(s); !p.empty()) {
    return fail(p);
  }
  const int32_t pairs = checked * (checked + 1) / 2;
  return pass(std::to_string(pairs) + (pairs == 1 ? " pair" : " pairs") + " of " +
              std::to_string(checked) + (checked == 1 ? " device" : " devices") +
              " symmetric (self is SELF" +
              (unsupported_pairs > 0
                   ? ", " + std::to_string(unsupported_pairs) + " unsupported with a reason"
                   : std::string()) +
              "); indices -1 and " + std::to_string(count) +
              " refused with a reason; short struct_size honoured");
}

} // namespace suanli::conformance
