#include <conformance/session.hpp>

#include <bench/error.hpp>
#include <kernels/host/plugin_library.hpp>

#include <utility>
#include <vector>

namespace suanli::conformance {
namespace {

// The SL_UNSUPPORTED answers of this process (one check per child process).
struct unsupported_log {
  int seen = 0;
  std::vector<std::string> missing;
};

unsupported_log &log_of_process() {
  static unsupported_log log;
  return log;
}

} // namespace

std::string plugin_text(const char *text, size_t capacity) {
  if (text == nullptr) {
    return "";
  }
  size_t len = 0;
  while (len < capacity && text[len] != '\0') {
    ++len;
  }
  return {text, len};
}

void log_unsupported(const std::string &where, const std::string &reason) {
  auto &log = log_of_process();
  ++log.seen;
  if (reason.empty()) {
    log.missing.push_back(where);
  }
}

void take_unsupported_log(check_result &r) {
  auto &log = log_of_process();
  r.unsupported_seen += log.seen;
  r.missing_reasons.insert(r.missing_reasons.end(), log.missing.begin(), log.missing.end());
  log = {};
}

std::string no_reason_text(const std::string &where) {
  return "no reason: " + where + " answered unsupported with an empty last_error";
}

std::string clip(const std::string &text, size_t max) {
  std::string one_line = text;
  for (char &c : one_line) {
    if (c == '\n' || c == '\r' || c == '\t') {
      c = ' ';
    }
  }
  return one_line.size() <= max ? one_line : one_line.substr(0, max) + "...";
}

session::session(const std::filesystem::path &plugin)
    : context_(std::make_shared<host::plugin_context>(host::plugin_library::open(plugin),
                                                      host::backend_options{})) {}

std::string session::last_error() const {
  return plugin_text(api().last_error(ctx()));
}

std::string session::unsupported_reason(const std::string &where) const {
  std::string reason = last_error();
  log_unsupported(where, reason);
  return reason;
}

int32_t session::device_count() const {
  int32_t count = 0;
  context_->check(api().device_count(ctx(), &count), "device_count");
  return count;
}

bench::device_info session::device(int32_t index) const {
  sl_device_props p{};
  p.struct_size = sizeof(p);
  context_->check(api().device_props(ctx(), index, &p),
                  "device_props(" + std::to_string(index) + ")");
  bench::device_info d;
  d.index = index;
  d.model = plugin_text(p.model, sizeof p.model);
  d.memory_bytes = p.memory_bytes;
  d.host_timed = (p.flags & SL_DEVICE_HOST_TIMED) != 0 || api().event_create == nullptr ||
                 api().event_record == nullptr || api().event_elapsed_ns == nullptr;
  return d;
}

} // namespace suanli::conformance
