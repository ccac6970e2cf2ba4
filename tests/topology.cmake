# Device links (ABI 1.4): the inventory's link matrix over a fake backend (unit), and the CUDA
# plugin's NVML mapping (unit, CUDA headers only, no GPU). The plugins' device_link is covered
# by host_plugin_test, example_plugin_test and plugin_check_test (the "links" check).
suanli_add_test(inventory_links_test
  SOURCES inventory_links_test.cpp
  LIBS suanli_bench
  LABELS unit)
if(TARGET suanli-cuda)
  suanli_add_test(gpu_topology_test
    SOURCES gpu_topology_test.cpp
    LIBS suanli_cuda_logic suanli_abi
    LABELS unit)
endif()
if(TARGET suanli-cuda)
  # device_link of the CUDA plugin on the machine's GPUs (skips with the reason without one).
  suanli_add_test(gpu_link_test
    SOURCES gpu_plugin.cpp gpu_link_test.cpp
    LIBS suanli_abi ${CMAKE_DL_LIBS}
    LABELS gpu)
  target_compile_definitions(gpu_link_test PRIVATE
    SUANLI_CUDA_PLUGIN="$<TARGET_FILE:suanli-cuda>")
  add_dependencies(gpu_link_test suanli-cuda)
endif()

# libsuanli-test-two-linked.so: the CPU plugin forwarded as two devices joined by "NV2", for the
# `suanli devices` matrix end to end.
add_library(suanli-test-two-linked MODULE "${CMAKE_CURRENT_SOURCE_DIR}/plugins/two_linked_devices.c")
target_link_libraries(suanli-test-two-linked PRIVATE suanli_abi ${CMAKE_DL_LIBS})
target_compile_definitions(suanli-test-two-linked PRIVATE
  SUANLI_CPU_PLUGIN="$<TARGET_FILE:suanli-cpu>")
add_dependencies(suanli-test-two-linked suanli-cpu)
suanli_warnings(suanli-test-two-linked)
suanli_add_test(cli_links_test
  SOURCES cli_support.cpp cli_links_test.cpp
  LABELS integration)
target_compile_definitions(cli_links_test PRIVATE
  TWO_LINKED_PLUGIN="$<TARGET_FILE:suanli-test-two-linked>"
  OLD_MINOR_PLUGIN="$<TARGET_FILE:suanli-test-old-minor>")
add_dependencies(cli_links_test suanli-test-two-linked suanli-test-old-minor)
