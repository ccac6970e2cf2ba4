#pragma once
// Runs a command on a pseudo-terminal (to answer its passphrase prompts) or with no terminal.

#include <string>
#include <vector>

namespace suanli::test {

/// What a command run by run_on_pty or run_without_tty did.
struct tty_result {
  int exit_code = -1;     ///< exit status; -1 when it was killed at the time limit
  std::string transcript; ///< everything it wrote to the terminal (stdout and stderr together)
};

/// Runs `argv` as the session leader of a new pseudo-terminal. Each time its output ends in
/// ": " (a prompt), the next of `answers` is typed, followed by a newline; an answer is only
/// typed after its prompt appeared, that is after the program turned echo off. Killed after
/// `timeout_s` seconds.
tty_result run_on_pty(const std::vector<std::string> &argv, std::vector<std::string> answers,
                      double timeout_s = 60);

/// Runs `argv` in a new session with no controlling terminal, stdin from /dev/null, stdout and
/// stderr captured together.
tty_result run_without_tty(const std::vector<std::string> &argv, double timeout_s = 60);

} // namespace suanli::test
