# CUDA backend tests (only where the plugin is built, i.e. the CUDA toolkit was found).
#  - gpu_logic_test (unit): host-side logic of the plugin; needs CUDA headers, no GPU.
#  - gpu_collective_logic_test (unit): the collectives' NCCL mapping and checks; nccl.h only.
#  - gpu_plugin_test (gpu): loads libsuanli-cuda.so through dlopen like the host does; every
#    test that needs a device skips with the plugin's reason when init fails or none is present.
#  - gpu_collective_np1/np2 (gpu): an MPI program (not GoogleTest) running every collective
#    through NCCL on 1 and 2 ranks, one device per rank; it exits 77 (skipped) with the reason
#    when the plugin cannot init, when there are fewer devices than ranks, or without NCCL.
if(TARGET suanli-cuda)
  suanli_add_test(gpu_logic_test
    SOURCES gpu_logic_test.cpp
    LIBS suanli_cuda_logic suanli_abi
    LABELS unit)
  suanli_add_test(gpu_collective_logic_test
    SOURCES gpu_collective_logic_test.cpp
    LIBS suanli_cuda_logic suanli_abi
    LABELS unit)
  suanli_add_test(gpu_plugin_test
    SOURCES gpu_plugin.cpp gpu_api_test.cpp gpu_fill_test.cpp gpu_gemm_test.cpp
    LIBS suanli_abi ${CMAKE_DL_LIBS}
    LABELS gpu)
  target_compile_definitions(gpu_plugin_test PRIVATE
    SUANLI_CUDA_PLUGIN="$<TARGET_FILE:suanli-cuda>")
  add_dependencies(gpu_plugin_test suanli-cuda)
  suanli_add_test(gpu_attention_graph_test
    SOURCES gpu_attention_graph_test.cpp
    LIBS suanli_cuda_logic suanli_abi
    LABELS unit)
endif()

# cuDNN attention (where cudnn_graph.h was found):
#  - gpu_attention_cudnn_test (unit): every descriptor of the attention graph finalized by the
#    installed libcudnn.so.9, no GPU needed; skips with the reason where cuDNN is absent.
#  - gpu_attention_test (gpu): the plugin's attention against an fp64 reference.
if(TARGET suanli-cuda AND TARGET suanli_cuda_cudnn)
  # The plugin's table offers attention only when built with cuDNN's header.
  target_compile_definitions(gpu_plugin_test PRIVATE SUANLI_CUDA_ATTENTION=1)
  suanli_add_test(gpu_attention_cudnn_test
    SOURCES gpu_attention_cudnn_test.cpp
    LIBS suanli_cuda_cudnn
    LABELS unit)
  suanli_add_test(gpu_attention_test
    SOURCES gpu_plugin.cpp gpu_attention_test.cpp
    LIBS suanli_abi ${CMAKE_DL_LIBS}
    LABELS gpu)
  target_compile_definitions(gpu_attention_test PRIVATE
    SUANLI_CUDA_PLUGIN="$<TARGET_FILE:suanli-cuda>")
  add_dependencies(gpu_attention_test suanli-cuda)
endif()

if(TARGET suanli-cuda AND MPI_C_FOUND)
  add_executable(gpu_collective_test gpu_collective_test.cpp)
  target_link_libraries(gpu_collective_test PRIVATE suanli_abi MPI::MPI_C ${CMAKE_DL_LIBS})
  target_compile_definitions(gpu_collective_test PRIVATE OMPI_SKIP_MPICXX=1 MPICH_SKIP_MPICXX=1)
  add_dependencies(gpu_collective_test suanli-cuda)
  suanli_warnings(gpu_collective_test)

  set(gpu_collective_run ${MPIEXEC_EXECUTABLE} --allow-run-as-root --oversubscribe)
  set(gpu_collective_args $<TARGET_FILE:gpu_collective_test> $<TARGET_FILE:suanli-cuda>)
  add_test(NAME gpu_collective_np1 COMMAND ${gpu_collective_run} -np 1 ${gpu_collective_args})
  add_test(NAME gpu_collective_np2 COMMAND ${gpu_collective_run} -np 2 ${gpu_collective_args})
  set_tests_properties(gpu_collective_np1 gpu_collective_np2 PROPERTIES
                       LABELS gpu SKIP_RETURN_CODE 77 TIMEOUT 300
                       ENVIRONMENT "OMPI_MCA_rmaps_base_oversubscribe=1")
endif()
