# Collective benchmarks, vendor-neutral part: problems and conventions
# (bench/collective_problem.cpp), verification data (bench/collective_data.cpp) and [[collective]]
# suite tables (bench/suite_collective.cpp).
suanli_add_test(collective_test
  SOURCES bench_collective_test.cpp bench_collective_data_test.cpp suite_collective_test.cpp
  LIBS suanli_bench
  LABELS unit)
