#pragma once
// An attention_graph turned into cuDNN backend descriptors (cudnnBackendCreateDescriptor /
// SetAttribute / Finalize), an operation graph on a handle, and an execution plan chosen from
// the heuristics' engine configs: what cudnn_frontend's Graph does for its SDPA node.

#include <kernels/cuda/attention_graph_desc.hpp>
#include <kernels/cuda/cudnn_library.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace suanli::cuda {

/// An owned cudnnBackendDescriptor_t (destroyed through the loaded library).
class backend_descriptor {
public:
  backend_descriptor() = default;
  ~backend_descriptor();
  backend_descriptor(backend_descriptor &&other) noexcept;
  backend_descriptor &operator=(backend_descriptor &&other) noexcept;
  backend_descriptor(const backend_descriptor &) = delete;
  backend_descriptor &operator=(const backend_descriptor &) = delete;

  /// Create a descriptor of type; CUDNN_STATUS_SUCCESS or the failure.
  cudnnStatus_t create(cudnnBackendDescriptorType_t type);
  cudnnBackendDescriptor_t get() const { return d_; } ///< the raw descriptor (or NULL)

private:
  cudnnBackendDescriptor_t d_ = nullptr;
};

/// A failed cuDNN call: the status and what was being done (empty what: success).
struct cudnn_failure {
  cudnnStatus_t status = CUDNN_STATUS_SUCCESS; ///< cuDNN's status
  std::string what;                            ///< e.g. "finalize operation bmm1", + cuDNN's text
  explicit operator bool() const { return status != CUDNN_STATUS_SUCCESS; } ///< failed
};

/// The finalized tensor and operation descriptors of a graph (no handle needed).
struct cudnn_operations {
  std::vector<backend_descriptor> tensors; ///< one per attention_graph::tensors entry
  std::vector<backend_descriptor> ops;     ///< one per attention_graph::ops entry
  std::vector<backend_descriptor> aux;     ///< pointwise/matmul/reduction descriptors ops use
};

/// Create and finalize every tensor and operation of graph.
cudnn_failure build_operations(const attention_graph &graph, cudnn_operations &out);

/// The operation graph of ops, finalized; on handle when it is not NULL (cuDNN before 9.19
/// needs one; later releases finalize a graph without, for checks on a machine without GPU).
cudnn_failure build_operation_graph(const cudnn_operations &ops, cudnnHandle_t handle,
                                    backend_descriptor &out);

/// An execution plan chosen for an operation graph.
struct cudnn_program {
  cudnn_operations operations; ///< kept alive for the graph's lifetime
  backend_descriptor graph;    ///< the finalized operation graph
  backend_descriptor config;   ///< the engine config the plan was built from
  backend_descriptor plan;     ///< the finalized execution plan
  int64_t workspace_bytes = 0; ///< the plan's workspace [bytes]
  int64_t engine_index = -1;   ///< CUDNN_ATTR_ENGINE_GLOBAL_INDEX of the chosen engine
  std::string knobs;           ///< "type=value,..." of the chosen config's knob choices
  std::string heuristic;       ///< "A" or "FALLBACK": the list the config came from
  int configs_tried = 0;       ///< engine configs tried before one finalized
};

/// Build the operation graph of graph on handle, ask heuristics mode A (then FALLBACK) for
/// engine configs and take the first whose execution plan finalizes. On failure, what names
/// the step and holds cuDNN's reasons (the last config's when none finalized).
cudnn_failure build_program(const attention_graph &graph, cudnnHandle_t handle, cudnn_program &out);

/// Enqueue plan on handle's stream with pointers[i] bound to uids[i] and workspace.
cudnn_failure execute_program(const cudnn_program &program, cudnnHandle_t handle,
                              const std::vector<int64_t> &uids, const std::vector<void *> &pointers,
                              void *workspace);

} // namespace suanli::cuda
