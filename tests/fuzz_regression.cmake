# Replays every input kept in fuzz/regressions/<target>/ (inputs that once crashed a fuzz target)
# and the seed corpora in fuzz/corpus/<target>/ through the same entry functions the libFuzzer
# targets use, under the normal (and sanitized) build.
suanli_add_test(fuzz_regression_test SOURCES fuzz_regression_test.cpp
                LIBS suanli_fuzz_entry LABELS unit)
target_compile_definitions(fuzz_regression_test PRIVATE
  SUANLI_FUZZ_DIR="${PROJECT_SOURCE_DIR}/fuzz")
