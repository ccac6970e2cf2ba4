// libFuzzer target: report_verify (fuzz/entry_points.hpp, fuzz_report_verify).
#include "entry_points.hpp"

/// libFuzzer's entry: one input.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return suanli::fuzz::fuzz_report_verify(data, size);
}
