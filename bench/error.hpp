#pragma once

#include <stdexcept>
#include <string>

namespace suanli::bench {

/// Process exit codes shared by every command (DESIGN.md, "Errors and exit codes").
enum class exit_code : int {
  ok = 0,           ///< success
  check_failed = 1, ///< the check said no: bad signature, failed verification, failed audit
  bad_input = 2,    ///< bad input or usage
  environment = 3   ///< environment or backend failure: no device, plugin refused, timeout
};

/// An error that carries its exit code; what() is the one line shown to the user.
class error : public std::runtime_error {
public:
  /// Make an error with an exit code and a one-line message.
  error(exit_code code, const std::string &message) : std::runtime_error(message), code_(code) {}
  /// The exit code this error maps to.
  [[nodiscard]] exit_code code() const noexcept { return code_; }

private:
  exit_code code_;
};

/// Bad input or usage (exit 2): say what, where, and what was expected.
[[noreturn]] inline void fail_input(const std::string &message) {
  throw error(exit_code::bad_input, message);
}

/// Environment or backend failure (exit 3).
[[noreturn]] inline void fail_environment(const std::string &message) {
  throw error(exit_code::environment, message);
}

} // namespace suanli::bench
