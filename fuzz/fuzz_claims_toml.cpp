// libFuzzer target: claims_toml (fuzz/entry_points.hpp, fuzz_claims_toml).
#include "entry_points.hpp"

/// libFuzzer's entry: one input.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return suanli::fuzz::fuzz_claims_toml(data, size);
}
