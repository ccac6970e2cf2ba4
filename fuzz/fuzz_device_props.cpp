// libFuzzer target: device_props (fuzz/entry_points.hpp, fuzz_device_props).
#include "entry_points.hpp"

/// libFuzzer's entry: one input.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return suanli::fuzz::fuzz_device_props(data, size);
}
