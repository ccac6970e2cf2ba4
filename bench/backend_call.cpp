#include <bench/backend_call.hpp>

#include <atomic>

namespace suanli::bench {
namespace {

// A lock-free atomic pointer: readable from a signal handler. Relaxed order suffices: the
// handler runs on a thread of this process and only needs some recent value for its message.
std::atomic<const char *> in_progress{nullptr};
static_assert(std::atomic<const char *>::is_always_lock_free);

} // namespace

// Only the thread that drives the run writes it, so a load and a store (plain moves on x86 and
// ARM, no read-modify-write) suffice: this sits around every timed backend call.
backend_call::backend_call(const char *name) noexcept
    : outer_(in_progress.load(std::memory_order_relaxed)) {
  in_progress.store(name, std::memory_order_relaxed);
}

backend_call::~backend_call() {
  in_progress.store(outer_, std::memory_order_relaxed);
}

const char *backend_call_in_progress() noexcept {
  return in_progress.load(std::memory_order_relaxed);
}

} // namespace suanli::bench
