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
endif()
