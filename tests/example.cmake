# The example backend plugin (kernels/example): its own tests through dlopen, then end-to-end
# runs of `suanli run` on it. The plugin is built into <build>/example-backends, outside the
# default backend folder, so these runs name it with --backend-path.
if(TARGET suanli-example)
  suanli_add_test(example_plugin_test
    SOURCES example_plugin_test.cpp
    LIBS suanli_abi ${CMAKE_DL_LIBS}
    LABELS unit)
  target_compile_definitions(example_plugin_test PRIVATE
    SUANLI_EXAMPLE_PLUGIN="$<TARGET_FILE:suanli-example>")
  add_dependencies(example_plugin_test suanli-example)

  # End to end: the host discovers the plugin in its folder, runs GEMM (fp32 and fp64 pass,
  # int8 is reported unsupported) and attention suites on it, verifies every result and writes
  # a report. Exit 0 means every case passed or was unsupported with a reason.
  foreach(suite tiny attn_tiny)
    add_test(NAME example_run_${suite}
             COMMAND suanli run --suite "${CMAKE_CURRENT_SOURCE_DIR}/data/cli/${suite}.toml"
                     --backend-path "$<TARGET_FILE_DIR:suanli-example>" --backend example
                     --nonce 00112233445566778899aabbccddeeff
                     --out "${CMAKE_CURRENT_BINARY_DIR}/example_${suite}.report.json")
    set_tests_properties(example_run_${suite} PROPERTIES
      LABELS integration
      TIMEOUT 300
      PASS_REGULAR_EXPRESSION "0 failed"
      FAIL_REGULAR_EXPRESSION "FAIL ")
  endforeach()
endif()
