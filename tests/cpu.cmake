# CPU backend plugin tests: load libsuanli-cpu.so through dlopen like the host does.
suanli_add_test(cpu_plugin_test
  SOURCES cpu_plugin.cpp cpu_api_test.cpp cpu_fill_test.cpp cpu_gemm_test.cpp cpu_fault_test.cpp
          cpu_peak_test.cpp
  LIBS suanli_abi ${CMAKE_DL_LIBS}
  LABELS unit)

# The plugin's own flash-attention kernel against a naive fp64 reference; descriptor checks.
suanli_add_test(cpu_attention_test
  SOURCES cpu_plugin.cpp cpu_attention.cpp cpu_attention_test.cpp cpu_attention_api_test.cpp
  LIBS suanli_abi ${CMAKE_DL_LIBS}
  LABELS unit)
