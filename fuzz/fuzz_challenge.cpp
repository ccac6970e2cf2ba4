// libFuzzer target: challenge (fuzz/entry_points.hpp, fuzz_challenge).
#include "entry_points.hpp"

/// libFuzzer's entry: one input.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return suanli::fuzz::fuzz_challenge(data, size);
}
