#pragma once
// Running one check in a child process: fork, the child runs the check and writes its outcome as
// one JSON line to a pipe, then _exit()s; the parent waits with a timeout. A child killed by a
// signal is a FAIL naming the signal ("killed by SIGSEGV"); one that does not answer in time is
// a FAIL after its process group is killed. The child may report the step it is in
// (note_stage), so that a crash or a hang also says where.

#include <conformance/check.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace suanli::conformance {

/// Run `fn` in a child process (its own process group, stdout sent to stderr, no core file)
/// and return what it found. An exception thrown by `fn` is a FAIL with its message; a signal,
/// an exit without a result or no result within `timeout` is a FAIL saying so (and naming the
/// last stage the child noted). `seconds` is set to the child's wall time.
[[nodiscard]] check_result run_isolated(const std::function<check_result()> &fn,
                                        std::chrono::milliseconds timeout);

/// In a child of run_isolated: note the step about to be taken ("fill fp16"), so that a crash
/// or a hang in it is reported with it. Does nothing outside such a child.
void note_stage(std::string_view stage);

/// "SIGSEGV" for SIGSEGV, ..., "signal 42" for a signal without a common name.
[[nodiscard]] std::string signal_name(int signal);

} // namespace suanli::conformance
