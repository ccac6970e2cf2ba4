# `suanli run` under mpirun end to end: cluster reports (layout, nodes, collective cases and
# their bandwidths recomputed), show, verify and the JSON Schema on them, the fitted sizes of
# odd rank counts, fault injection, the bad inputs of a multi-rank job, and a vendor-style
# restriction reported as unsupported (tests/cli_cluster_test.cpp).

# A backend that wraps the real plugin named by SUANLI_WRAPPED_PLUGIN and refuses int8 prod
# collectives, as HCCL does; libsuanli-test-restricted.so, so --backend-path finds it.
add_library(suanli-test-restricted MODULE "${CMAKE_CURRENT_SOURCE_DIR}/plugins/restricted_collectives.c")
target_link_libraries(suanli-test-restricted PRIVATE suanli_abi ${CMAKE_DL_LIBS})
suanli_warnings(suanli-test-restricted)

suanli_add_test(cli_cluster_test
  SOURCES cli_support.cpp cli_cluster_support.cpp cli_cluster_test.cpp
  LIBS suanli_reports nlohmann_json::nlohmann_json
  LABELS "mpi;integration"
  PROPERTIES RUN_SERIAL TRUE TIMEOUT 900)
target_compile_definitions(cli_cluster_test PRIVATE
  SUANLI_MPIEXEC="${MPIEXEC_EXECUTABLE}"
  RESTRICTED_PLUGIN="$<TARGET_FILE:suanli-test-restricted>")
add_dependencies(cli_cluster_test suanli-test-restricted)
