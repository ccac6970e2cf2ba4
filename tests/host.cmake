# Plugins that must be refused, and the loader/adapter tests.
add_library(suanli-test-bad-major MODULE "${CMAKE_CURRENT_SOURCE_DIR}/plugins/bad_major.c")
target_link_libraries(suanli-test-bad-major PRIVATE suanli_abi)
add_library(suanli-test-no-entry MODULE "${CMAKE_CURRENT_SOURCE_DIR}/plugins/no_entry.c")
add_library(suanli-test-old-minor MODULE "${CMAKE_CURRENT_SOURCE_DIR}/plugins/old_minor.c")
target_link_libraries(suanli-test-old-minor PRIVATE suanli_abi ${CMAKE_DL_LIBS})
target_compile_definitions(suanli-test-old-minor PRIVATE
  SUANLI_CPU_PLUGIN="$<TARGET_FILE:suanli-cpu>")
add_library(suanli-test-missing-memcpy MODULE "${CMAKE_CURRENT_SOURCE_DIR}/plugins/missing_memcpy.c")
target_link_libraries(suanli-test-missing-memcpy PRIVATE suanli_abi)

suanli_add_test(host_plugin_test SOURCES host_plugin_test.cpp host_cold_test.cpp LIBS suanli_host LABELS unit)
target_compile_definitions(host_plugin_test PRIVATE
  BAD_MAJOR_PLUGIN="$<TARGET_FILE:suanli-test-bad-major>"
  NO_ENTRY_PLUGIN="$<TARGET_FILE:suanli-test-no-entry>"
  MISSING_MEMCPY_PLUGIN="$<TARGET_FILE:suanli-test-missing-memcpy>"
  OLD_MINOR_PLUGIN="$<TARGET_FILE:suanli-test-old-minor>")
add_dependencies(host_plugin_test suanli-test-bad-major suanli-test-no-entry
                 suanli-test-missing-memcpy suanli-test-old-minor)

suanli_add_test(bench_test SOURCES bench_stats_test.cpp bench_engine_test.cpp bench_verify_test.cpp
                                    bench_attention_verify_test.cpp bench_telemetry_test.cpp
                LIBS suanli_bench LABELS unit)

# The `suanli` binary end to end.
suanli_add_test(cli_test SOURCES cli_support.cpp cli_run_test.cpp cli_errors_test.cpp
                         cli_attention_test.cpp cli_cold_test.cpp
                LIBS suanli_reports nlohmann_json::nlohmann_json LABELS integration)
target_compile_definitions(cli_test PRIVATE BAD_MAJOR_PLUGIN="$<TARGET_FILE:suanli-test-bad-major>")
add_dependencies(cli_test suanli-test-bad-major)
