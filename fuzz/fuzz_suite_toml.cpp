// libFuzzer target: suite_toml (fuzz/entry_points.hpp, fuzz_suite_toml).
#include "entry_points.hpp"

/// libFuzzer's entry: one input.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return suanli::fuzz::fuzz_suite_toml(data, size);
}
