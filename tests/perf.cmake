# Benchmarks (Google Benchmark): run by hand, never timed as tests. CTest only checks, under the
# `perf` label, that the program starts and lists its benchmarks.
if(SUANLI_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
  add_executable(gemm_fidelity_bench "${CMAKE_CURRENT_SOURCE_DIR}/perf/gemm_fidelity_bench.cpp")
  target_link_libraries(gemm_fidelity_bench PRIVATE suanli_host suanli_bench DNNL::dnnl
                                                    benchmark::benchmark)
  target_compile_definitions(gemm_fidelity_bench PRIVATE SUANLI_CPU_PLUGIN="$<TARGET_FILE:suanli-cpu>")
  add_dependencies(gemm_fidelity_bench suanli-cpu)
  add_test(NAME gemm_fidelity_bench_lists COMMAND gemm_fidelity_bench --benchmark_list_tests)
  set_tests_properties(gemm_fidelity_bench_lists PROPERTIES LABELS perf)

  add_executable(attention_bench "${CMAKE_CURRENT_SOURCE_DIR}/perf/attention_bench.cpp")
  target_link_libraries(attention_bench PRIVATE suanli_host suanli_bench benchmark::benchmark)
  target_compile_definitions(attention_bench PRIVATE SUANLI_CPU_PLUGIN="$<TARGET_FILE:suanli-cpu>")
  add_dependencies(attention_bench suanli-cpu)
  add_test(NAME attention_bench_lists COMMAND attention_bench --benchmark_list_tests)
  set_tests_properties(attention_bench_lists PROPERTIES LABELS perf)

  # Harness overhead of collectives: collective_loop is the plain MPI reference that
  # tools/bench/collective_overhead.sh compares `suanli run --suite
  # tests/perf/collective_overhead.toml` with (run by hand; see the script). CTest only checks
  # that the script and the program start, and that one tiny untimed size runs on 2 ranks.
  add_executable(collective_loop "${CMAKE_CURRENT_SOURCE_DIR}/perf/collective_loop.c")
  target_link_libraries(collective_loop PRIVATE MPI::MPI_C)
  target_compile_definitions(collective_loop PRIVATE OMPI_SKIP_MPICXX=1 MPICH_SKIP_MPICXX=1)
  suanli_warnings(collective_loop)
  add_test(NAME collective_overhead_help
           COMMAND "${PROJECT_SOURCE_DIR}/tools/bench/collective_overhead.sh" --help)
  add_test(NAME collective_loop_starts
           COMMAND ${MPIEXEC_EXECUTABLE} --allow-run-as-root --oversubscribe -np 2
                   $<TARGET_FILE:collective_loop> --max-bytes 1024 --min-iters 2 --max-iters 2
                   --min-time 0 --warmup 0)
  set_tests_properties(collective_overhead_help collective_loop_starts PROPERTIES
                       LABELS perf TIMEOUT 60
                       ENVIRONMENT "OMPI_MCA_rmaps_base_oversubscribe=1")
  set_tests_properties(collective_loop_starts PROPERTIES
                       PASS_REGULAR_EXPRESSION "all_to_all\t1024\t")
endif()
