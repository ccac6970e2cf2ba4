# CUDA backend tests (only where the plugin is built, i.e. the CUDA toolkit was found).
#  - gpu_logic_test (unit): host-side logic of the plugin; needs CUDA headers, no GPU.
#  - gpu_plugin_test (gpu): loads libsuanli-cuda.so through dlopen like the host does; every
#    test that needs a device skips with the plugin's reason when init fails or none is present.
if(TARGET suanli-cuda)
  suanli_add_test(gpu_logic_test
    SOURCES gpu_logic_test.cpp
    LIBS suanli_cuda_logic suanli_abi
    LABELS unit)
  suanli_add_test(gpu_plugin_test
    SOURCES gpu_plugin.cpp gpu_api_test.cpp gpu_fill_test.cpp gpu_gemm_test.cpp
    LIBS suanli_abi ${CMAKE_DL_LIBS}
    LABELS gpu)
  target_compile_definitions(gpu_plugin_test PRIVATE
    SUANLI_CUDA_PLUGIN="$<TARGET_FILE:suanli-cuda>")
  add_dependencies(gpu_plugin_test suanli-cuda)
endif()
