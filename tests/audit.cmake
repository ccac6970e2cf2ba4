# `suanli audit` and its fraud corpus (issue 7, items 4 and 5).
suanli_add_test(audit_test SOURCES cli_support.cpp audit_corpus.cpp audit_test.cpp
                LIBS suanli_reports suanli_bench nlohmann_json::nlohmann_json LABELS integration)

# Benchmark corpus (run by hand: tools/bench/audit_bench.sh BUILD_DIR); CTest only checks that
# the script starts.
if(SUANLI_BUILD_BENCHMARKS)
  add_executable(audit_corpus_gen "${CMAKE_CURRENT_SOURCE_DIR}/perf/audit_corpus_gen.cpp"
                                  "${CMAKE_CURRENT_SOURCE_DIR}/audit_corpus.cpp")
  target_link_libraries(audit_corpus_gen PRIVATE suanli_reports suanli_bench
                                                 nlohmann_json::nlohmann_json)
  suanli_warnings(audit_corpus_gen)
  add_test(NAME audit_bench_help COMMAND "${PROJECT_SOURCE_DIR}/tools/bench/audit_bench.sh" --help)
  set_tests_properties(audit_bench_help PROPERTIES LABELS perf)
endif()

# The same on a cluster report written under mpirun.
suanli_add_test(audit_cluster_test
  SOURCES cli_support.cpp cli_cluster_support.cpp audit_corpus.cpp audit_cluster_test.cpp
  LIBS suanli_reports suanli_bench nlohmann_json::nlohmann_json
  LABELS "mpi;integration"
  PROPERTIES RUN_SERIAL TRUE TIMEOUT 300)
target_compile_definitions(audit_cluster_test PRIVATE SUANLI_MPIEXEC="${MPIEXEC_EXECUTABLE}")
