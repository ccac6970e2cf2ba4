# The watchdog that ends a job whose backend call hangs (bench/watchdog.*).
suanli_add_test(bench_watchdog_test
  SOURCES bench_watchdog_test.cpp
  LIBS suanli_bench
  LABELS unit)
