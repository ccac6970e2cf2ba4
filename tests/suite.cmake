# Suite files (bench/suite*.cpp, suites/*.toml) and the system inventory (bench/inventory*.cpp).
suanli_add_test(suite_test
  SOURCES suite_files_test.cpp suite_errors_test.cpp suite_resolve_test.cpp
          suite_attention_test.cpp suite_attention_errors_test.cpp suite_readme_test.cpp
  LIBS suanli_bench
  LABELS unit)
suanli_add_test(inventory_test
  SOURCES inventory_test.cpp
  LIBS suanli_bench
  LABELS unit)
