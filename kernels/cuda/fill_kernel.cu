// Device-side fill: one grid-stride loop per element size, the value from the ABI's generator.

#include <kernels/cuda/fill_encode.hpp>
#include <kernels/cuda/fill_kernel.hpp>

namespace suanli::cuda {

namespace {

constexpr int k_threads = 256;

template <class T>
__global__ void fill_elements(T *dst, sl_dtype dtype, uint64_t count, uint64_t seed) {
  const uint64_t step = static_cast<uint64_t>(gridDim.x) * blockDim.x;
  for (uint64_t i = static_cast<uint64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < count;
       i += step) {
    dst[i] = static_cast<T>(encode_value(sl_fill_value(seed, i, dtype), dtype));
  }
}

template <class T>
void launch(void *dst, sl_dtype dtype, uint64_t count, uint64_t seed, cudaStream_t stream,
            int blocks) {
  fill_elements<T><<<blocks, k_threads, 0, stream>>>(static_cast<T *>(dst), dtype, count, seed);
}

} // namespace

cudaError_t launch_fill(void *dst, sl_dtype dtype, uint64_t count, uint64_t seed,
                        cudaStream_t stream, int max_blocks) {
  if (count == 0) {
    return cudaSuccess;
  }
  const uint64_t wanted = (count + k_threads - 1) / k_threads;
  const int blocks =
      static_cast<int>(wanted < static_cast<uint64_t>(max_blocks) ? wanted : max_blocks);
  switch (sl_dtype_size(dtype)) {
  case 1: launch<uint8_t>(dst, dtype, count, seed, stream, blocks); break;
  case 2: launch<uint16_t>(dst, dtype, count, seed, stream, blocks); break;
  case 4: launch<uint32_t>(dst, dtype, count, seed, stream, blocks); break;
  case 8: launch<uint64_t>(dst, dtype, count, seed, stream, blocks); break;
  default: return cudaErrorInvalidValue;
  }
  return cudaGetLastError();
}

} // namespace suanli::cuda
