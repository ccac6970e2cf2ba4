#pragma once
// The device-side fill (fill_kernel.cu), callable from plain C++.

#include <kernels/abi/suanli_backend.h>

#include <cuda_runtime_api.h>

#include <cstdint>

namespace suanli::cuda {

/// Enqueue dst[i] = encode_value(sl_fill_value(seed, i, dtype), dtype) for i < count on
/// stream, with at most max_blocks blocks; the launch's error (cudaGetLastError).
cudaError_t launch_fill(void *dst, sl_dtype dtype, uint64_t count, uint64_t seed,
                        cudaStream_t stream, int max_blocks);

} // namespace suanli::cuda
