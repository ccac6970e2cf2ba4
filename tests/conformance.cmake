# `suanli plugin check`: the child-process isolation and the ABI table sizes (unit), the checker
# on the CPU plugin and on a deliberately broken plugin, one mutation per test (integration).

# libsuanli-test-broken.so: the CPU plugin forwarded, with the mutation SUANLI_BROKEN names.
add_library(suanli-test-broken MODULE "${CMAKE_CURRENT_SOURCE_DIR}/plugins/broken_plugin.c")
target_link_libraries(suanli-test-broken PRIVATE suanli_abi ${CMAKE_DL_LIBS})
target_compile_definitions(suanli-test-broken PRIVATE
  SUANLI_CPU_PLUGIN="$<TARGET_FILE:suanli-cpu>")
add_dependencies(suanli-test-broken suanli-cpu)
suanli_warnings(suanli-test-broken)

suanli_add_test(conformance_test SOURCES conformance_test.cpp LIBS suanli_conformance
                LABELS unit)

suanli_add_test(plugin_check_test
  SOURCES cli_support.cpp plugin_check_test.cpp
  LIBS nlohmann_json::nlohmann_json
  LABELS integration
  PROPERTIES TIMEOUT 300)
target_compile_definitions(plugin_check_test PRIVATE
  BROKEN_PLUGIN="$<TARGET_FILE:suanli-test-broken>"
  EXAMPLE_PLUGIN="$<TARGET_FILE:suanli-example>")
add_dependencies(plugin_check_test suanli-test-broken suanli-example)
