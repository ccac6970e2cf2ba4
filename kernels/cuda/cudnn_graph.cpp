// cuDNN backend descriptors for an attention_graph, following what cudnn_frontend's
// Tensor/Operation/OperationGraph/EngineHeuristics/ExecutionPlan builders set.

#include <kernels/cuda/cudnn_graph.hpp>

#include <utility>

namespace suanli::cuda {

namespace {

const cudnn_api &api() {
  return cudnn().fn;
}

cudnnDataType_t data_type(graph_dtype t) {
  switch (t) {
  case graph_dtype::half: return CUDNN_DATA_HALF;
  case graph_dtype::bfloat16: return CUDNN_DATA_BFLOAT16;
  case graph_dtype::float32: return CUDNN_DATA_FLOAT;
  case graph_dtype::int32: return CUDNN_DATA_INT32;
  case graph_dtype::boolean: return CUDNN_DATA_BOOLEAN;
  }
  return CUDNN_DATA_FLOAT;
}

cudnnPointwiseMode_t pointwise(pointwise_mode m) {
  switch (m) {
  case pointwise_mode::add: return CUDNN_POINTWISE_ADD;
  case pointwise_mode::sub: return CUDNN_POINTWISE_SUB;
  case pointwise_mode::mul: return CUDNN_POINTWISE_MUL;
  case pointwise_mode::div: return CUDNN_POINTWISE_DIV;
  case pointwise_mode::exp: return CUDNN_POINTWISE_EXP;
  case pointwise_mode::log: return CUDNN_POINTWISE_LOG;
  case pointwise_mode::cmp_ge: return CUDNN_POINTWISE_CMP_GE;
  case pointwise_mode::gen_index: return CUDNN_POINTWISE_GEN_INDEX;
  case pointwise_mode::binary_select: return CUDNN_POINTWISE_BINARY_SELECT;
  }
  return CUDNN_POINTWISE_MUL;
}

// Collects the first failure of a sequence of calls on one descriptor.
class setter {
public:
  setter(cudnnBackendDescriptor_t d, std::string what) : d_(d), what_(std::move(what)) {}

  template <class T>
  setter &set(cudnnBackendAttributeName_t name, cudnnBackendAttributeType_t type, const T *values,
              int64_t count = 1) {
    if (!failure_) {
      check(api().set_attribute(d_, name, type, count, values),
            "set attribute " + std::to_string(static_cast<int>(name)));
    }
    return *this;
  }

  setter &desc(cudnnBackendAttributeName_t name, const backend_descriptor &value) {
    const cudnnBackendDescriptor_t raw = value.get();
    return set(name, CUDNN_TYPE_BACKEND_DESCRIPTOR, &raw);
  }

  cudnn_failure finalize() {
    if (!failure_) {
      check(api().finalize(d_), "finalize");
    }
    return failure_;
  }

private:
  void check(cudnnStatus_t st, const std::string &step) {
    if (st != CUDNN_STATUS_SUCCESS) {
      failure_ = {st, what_ + ": " + step + ": " + cudnn_error_text(st)};
    }
  }

  cudnnBackendDescriptor_t d_;
  std::string what_;
  cudnn_failure failure_;
};

cudnn_failure create(backend_descriptor &d, cudnnBackendDescriptorType_t type,
                     const std::string &what) {
  if (const cudnnStatus_t st = d.create(type); st != CUDNN_STATUS_SUCCESS) {
    return {st, what + ": create descriptor: " + cudnn_error_text(st)};
  }
  return {};
}

cudnn_failure build_tensor(const graph_tensor &t, backend_descriptor &out) {
  const std::string what = "tensor " + t.name;
  if (cudnn_failure f = create(out, CUDNN_BACKEND_TENSOR_DESCRIPTOR, what)) {
    return f;
  }
  const cudnnDataType_t type = data_type(t.dtype);
  const int64_t alignment = 16;
  const bool is_virtual = t.is_virtual, by_value = t.by_value;
  setter s(out.get(), what);
  s.set(CUDNN_ATTR_TENSOR_DATA_TYPE, CUDNN_TYPE_DATA_TYPE, &type)
      .set(CUDNN_ATTR_TENSOR_DIMENSIONS, CUDNN_TYPE_INT64, t.dims.data(), 4)
      .set(CUDNN_ATTR_TENSOR_STRIDES, CUDNN_TYPE_INT64, t.strides.data(), 4)
      .set(CUDNN_ATTR_TENSOR_UNIQUE_ID, CUDNN_TYPE_INT64, &t.uid)
      .set(CUDNN_ATTR_TENSOR_BYTE_ALIGNMENT, CUDNN_TYPE_INT64, &alignment)
      .set(CUDNN_ATTR_TENSOR_IS_VIRTUAL, CUDNN_TYPE_BOOLEAN, &is_virtual);
  if (by_value) {
    s.set(CUDNN_ATTR_TENSOR_IS_BY_VALUE, CUDNN_TYPE_BOOLEAN, &by_value);
  }
  return s.finalize();
}

// The operation descriptor of o, with its pointwise/matmul/reduction descriptor in aux.
cudnn_failure build_op(const graph_op &o, const cudnn_operations &t, backend_descriptor &aux,
                       backend_descriptor &out) {
  const std::string what = "operation " + o.name;
  const cudnnDataType_t compute = data_type(o.compute);
  const auto tensor = [&](int i) -> const backend_descriptor & {
    return t.tensors.at(static_cast<size_t>(i));
  };
  if (o.kind == graph_op_kind::matmul) {
    if (cudnn_failure f = create(aux, CUDNN_BACKEND_MATMUL_DESCRIPTOR, what)) {
      return f;
    }
    if (cudnn_failure f = setter(aux.get(), what + " (matmul descriptor)")
                              .set(CUDNN_ATTR_MATMUL_COMP_TYPE, CUDNN_TYPE_DATA_TYPE, &compute)
                              .finalize()) {
      return f;
    }
    if (cudnn_failure f = create(out, CUDNN_BACKEND_OPERATION_MATMUL_DESCRIPTOR, what)) {
      return f;
    }
    return setter(out.get(), what)
        .desc(CUDNN_ATTR_OPERATION_MATMUL_ADESC, tensor(o.x))
        .desc(CUDNN_ATTR_OPERATION_MATMUL_BDESC, tensor(o.b))
        .desc(CUDNN_ATTR_OPERATION_MATMUL_CDESC, tensor(o.y))
        .desc(CUDNN_ATTR_OPERATION_MATMUL_DESC, aux)
        .finalize();
  }
  if (o.kind == graph_op_kind::reduction_max || o.kind == graph_op_kind::reduction_add) {
    const cudnnReduceTensorOp_t mode =
        o.kind == graph_op_kind::reduction_max ? CUDNN_REDUCE_TENSOR_MAX : CUDNN_REDUCE_TENSOR_ADD;
    if (cudnn_failure f = create(aux, CUDNN_BACKEND_REDUCTION_DESCRIPTOR, what)) {
      return f;
    }
    if (cudnn_failure f =
            setter(aux.get(), what + " (reduction descriptor)")
                .set(CUDNN_ATTR_REDUCTION_OPERATOR, CUDNN_TYPE_REDUCTION_OPERATOR_TYPE, &mode)
                .set(CUDNN_ATTR_REDUCTION_COMP_TYPE, CUDNN_TYPE_DATA_TYPE, &compute)
                .finalize()) {
      return f;
    }
    if (cudnn_failure f = create(out, CUDNN_BACKEND_OPERATION_REDUCTION_DESCRIPTOR, what)) {
      return f;
    }
    return setter(out.get(), what)
        .desc(CUDNN_ATTR_OPERATION_REDUCTION_XDESC, tensor(o.x))
        .desc(CUDNN_ATTR_OPERATION_REDUCTION_YDESC, tensor(o.y))
        .desc(CUDNN_ATTR_OPERATION_REDUCTION_DESC, aux)
        .finalize();
  }
  const cudnnPointwiseMode_t mode = pointwise(o.mode);
  if (cudnn_failure f = create(aux, CUDNN_BACKEND_POINTWISE_DESCRIPTOR, what)) {
    return f;
  }
  setter pw(aux.get(), what + " (pointwise descriptor)");
  pw.set(CUDNN_ATTR_POINTWISE_MODE, CUDNN_TYPE_POINTWISE_MODE, &mode)
      .set(CUDNN_ATTR_POINTWISE_MATH_PREC, CUDNN_TYPE_DATA_TYPE, &compute);
  if (o.mode == pointwise_mode::gen_index) {
    pw.set(CUDNN_ATTR_POINTWISE_AXIS, CUDNN_TYPE_INT64, &o.axis);
  }
  if (cudnn_failure f = pw.finalize()) {
    return f;
  }
  if (cudnn_failure f = create(out, CUDNN_BACKEND_OPERATION_POINTWISE_DESCRIPTOR, what)) {
    return f;
  }
  setter op(out.get(), what);
  op.desc(CUDNN_ATTR_OPERATION_POINTWISE_PW_DESCRIPTOR, aux)
      .desc(CUDNN_ATTR_OPERATION_POINTWISE_XDESC, tensor(o.x));
  if (o.b >= 0) {
    op.desc(CUDNN_ATTR_OPERATION_POINTWISE_BDESC, tensor(o.b));
  }
  if (o.t >= 0) {
    op.desc(CUDNN_ATTR_OPERATION_POINTWISE_TDESC, tensor(o.t));
  }
  return op.desc(CUDNN_ATTR_OPERATION_POINTWISE_YDESC, tensor(o.y)).finalize();
}

} // namespace

backend_descriptor::~backend_descriptor() {
  if (d_ != nullptr && api().destroy_descriptor != nullptr) {
    api().destroy_descriptor(d_);
  }
}

backend_descriptor::backend_descriptor(backend_descriptor &&other) noexcept
    : d_(std::exchange(other.d_, nullptr)) {}

backend_descriptor &backend_descriptor::operator=(backend_descriptor &&other) noexcept {
  if (this != &other) {
    backend_descriptor old(std::move(*this));
    d_ = std::exchange(other.d_, nullptr);
  }
  return *this;
}

cudnnStatus_t backend_descriptor::create(cudnnBackendDescriptorType_t type) {
  *this = backend_descriptor{};
  if (api().create_descriptor == nullptr) {
    return CUDNN_STATUS_NOT_INITIALIZED;
  }
  return api().create_descriptor(type, &d_);
}

cudnn_failure build_operations(const attention_graph &graph, cudnn_operations &out) {
  out = cudnn_operations{};
  out.tensors.resize(graph.tensors.size());
  for (size_t i = 0; i < graph.tensors.size(); ++i) {
    if (cudnn_failure f = build_tensor(graph.tensors[i], out.tensors[i])) {
      return f;
    }
  }
  out.ops.resize(graph.ops.size());
  out.aux.resize(graph.ops.size());
  for (size_t i = 0; i < graph.ops.size(); ++i) {
    if (cudnn_failure f = build_op(graph.ops[i], out, out.aux[i], out.ops[i])) {
      return f;
    }
  }
  return {};
}

cudnn_failure execute_program(const cudnn_program &program, cudnnHandle_t handle,
                              const std::vector<int64_t> &uids, const std::vector<void *> &pointers,
                              void *workspace) {
  backend_descriptor pack;
  if (cudnn_failure f = create(pack, CUDNN_BACKEND_VARIANT_PACK_DESCRIPTOR, "variant pack")) {
    return f;
  }
  if (cudnn_failure f = setter(pack.get(), "variant pack")
                            .set(CUDNN_ATTR_VARIANT_PACK_UNIQUE_IDS, CUDNN_TYPE_INT64, uids.data(),
                                 static_cast<int64_t>(uids.size()))
                            .set(CUDNN_ATTR_VARIANT_PACK_DATA_POINTERS, CUDNN_TYPE_VOID_PTR,
                                 pointers.data(), static_cast<int64_t>(pointers.size()))
                            .set(CUDNN_ATTR_VARIANT_PACK_WORKSPACE, CUDNN_TYPE_VOID_PTR, &workspace)
                            .finalize()) {
    return f;
  }
  if (const cudnnStatus_t st = api().execute(handle, program.plan.get(), pack.get());
      st != CUDNN_STATUS_SUCCESS) {
    return {st, "cudnnBackendExecute: " + cudnn_error_text(st)};
  }
  return {};
}

} // namespace suanli::cuda
