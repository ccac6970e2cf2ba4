# Fault injection (docs/faults.md): libsuanli-test-fault.so forwards the CPU plugin and injects
# the fault SUANLI_FAULT names (a failed allocation or timer, a hang, a crash, wrong results,
# over-long or unterminated strings); cli_fault_injection_test runs `suanli run` on it, and
# interrupts runs with SIGINT and SIGTERM, checking the exit code, the one line the user sees,
# that no signed report holds partial data, and that nothing outlives its timeout.
add_library(suanli-test-fault MODULE "${CMAKE_CURRENT_SOURCE_DIR}/plugins/fault_plugin.c")
target_link_libraries(suanli-test-fault PRIVATE suanli_abi ${CMAKE_DL_LIBS})
target_compile_definitions(suanli-test-fault PRIVATE
  SUANLI_CPU_PLUGIN="$<TARGET_FILE:suanli-cpu>")
add_dependencies(suanli-test-fault suanli-cpu)
suanli_warnings(suanli-test-fault)

suanli_add_test(cli_fault_injection_test
  SOURCES cli_support.cpp cli_child.cpp cli_fault_injection_test.cpp
  LIBS suanli_reports nlohmann_json::nlohmann_json
  LABELS integration
  PROPERTIES TIMEOUT 120)
target_compile_definitions(cli_fault_injection_test PRIVATE
  FAULT_PLUGIN="$<TARGET_FILE:suanli-test-fault>")
add_dependencies(cli_fault_injection_test suanli-test-fault)
