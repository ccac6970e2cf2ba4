// Engine selection for an operation graph, as cudnn_frontend's create_execution_plans({A,
// FALLBACK}) + build_plans do: the heuristics' engine configs of mode A, then of FALLBACK, tried in
// order until an execution plan finalizes on the handle.

#include <kernels/cuda/cudnn_graph.hpp>

#include <utility>

namespace suanli::cuda {

namespace {

const cudnn_api &api() {
  return cudnn().fn;
}

cudnn_failure check(cudnnStatus_t st, const std::string &what) {
  if (st != CUDNN_STATUS_SUCCESS) {
    return {st, what + ": " + cudnn_error_text(st)};
  }
  return {};
}

cudnn_failure set_desc(cudnnBackendDescriptor_t d, cudnnBackendAttributeName_t name,
                       cudnnBackendDescriptor_t value, const std::string &what) {
  return check(api().set_attribute(d, name, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &value), what);
}

cudnn_failure set_handle(cudnnBackendDescriptor_t d, cudnnBackendAttributeName_t name,
                         cudnnHandle_t handle, const std::string &what) {
  return check(api().set_attribute(d, name, CUDNN_TYPE_HANDLE, 1, &handle), what);
}

// The engine configs heuristics mode `mode` proposes for the graph, best first.
cudnn_failure engine_configs(const backend_descriptor &graph, cudnnBackendHeurMode_t mode,
                             const char *mode_name, std::vector<backend_descriptor> &out) {
  const std::string what = std::string("heuristics mode ") + mode_name;
  backend_descriptor heur;
  if (cudnn_failure f = check(heur.create(CUDNN_BACKEND_ENGINEHEUR_DESCRIPTOR), what)) {
    return f;
  }
  if (cudnn_failure f = set_desc(heur.get(), CUDNN_ATTR_ENGINEHEUR_OPERATION_GRAPH, graph.get(),
                                 what + ": set operation graph")) {
    return f;
  }
  if (cudnn_failure f = check(api().set_attribute(heur.get(), CUDNN_ATTR_ENGINEHEUR_MODE,
                                                  CUDNN_TYPE_HEUR_MODE, 1, &mode),
                              what + ": set mode")) {
    return f;
  }
  if (cudnn_failure f = check(api().finalize(heur.get()), what + ": finalize")) {
    return f;
  }
  int64_t count = 0;
  if (cudnn_failure f =
          check(api().get_attribute(heur.get(), CUDNN_ATTR_ENGINEHEUR_RESULTS,
                                    CUDNN_TYPE_BACKEND_DESCRIPTOR, 0, &count, nullptr),
                what + ": count results")) {
    return f;
  }
  std::vector<backend_descriptor> configs(static_cast<size_t>(count > 0 ? count : 0));
  std::vector<cudnnBackendDescriptor_t> raw;
  for (backend_descriptor &c : configs) {
    if (cudnn_failure f = check(c.create(CUDNN_BACKEND_ENGINECFG_DESCRIPTOR), what)) {
      return f;
    }
    raw.push_back(c.get());
  }
  int64_t got = 0;
  if (count > 0) {
    if (cudnn_failure f =
            check(api().get_attribute(heur.get(), CUDNN_ATTR_ENGINEHEUR_RESULTS,
                                      CUDNN_TYPE_BACKEND_DESCRIPTOR, count, &got, raw.data()),
                  what + ": get results")) {
      return f;
    }
  }
  configs.resize(static_cast<size_t>(got < count ? got : count));
  for (backend_descriptor &c : configs) {
    out.push_back(std::move(c));
  }
  return {};
}

// Global index and knob choices of a config, for plan descriptions (best effort).
void describe_config(const backend_descriptor &config, cudnn_program &p) {
  backend_descriptor engine;
  if (engine.create(CUDNN_BACKEND_ENGINE_DESCRIPTOR) == CUDNN_STATUS_SUCCESS) {
    cudnnBackendDescriptor_t raw = engine.get();
    int64_t n = 0;
    if (api().get_attribute(config.get(), CUDNN_ATTR_ENGINECFG_ENGINE,
                            CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &n, &raw) == CUDNN_STATUS_SUCCESS) {
      api().get_attribute(engine.get(), CUDNN_ATTR_ENGINE_GLOBAL_INDEX, CUDNN_TYPE_INT64, 1, &n,
                          &p.engine_index);
    }
  }
  std::vector<backend_descriptor> choices(CUDNN_KNOB_TYPE_COUNTS);
  std::vector<cudnnBackendDescriptor_t> raw;
  for (backend_descriptor &c : choices) {
    if (c.create(CUDNN_BACKEND_KNOB_CHOICE_DESCRIPTOR) != CUDNN_STATUS_SUCCESS) {
      return;
    }
    raw.push_back(c.get());
  }
  int64_t got = 0;
  if (api().get_attribute(config.get(), CUDNN_ATTR_ENGINECFG_KNOB_CHOICES,
                          CUDNN_TYPE_BACKEND_DESCRIPTOR, static_cast<int64_t>(raw.size()), &got,
                          raw.data()) != CUDNN_STATUS_SUCCESS) {
    return;
  }
  for (int64_t i = 0; i < got && i < static_cast<int64_t>(raw.size()); ++i) {
    cudnnBackendKnobType_t type{};
    int64_t value = 0, n = 0;
    if (api().get_attribute(raw[i], CUDNN_ATTR_KNOB_CHOICE_KNOB_TYPE, CUDNN_TYPE_KNOB_TYPE, 1, &n,
                            &type) == CUDNN_STATUS_SUCCESS &&
        api().get_attribute(raw[i], CUDNN_ATTR_KNOB_CHOICE_KNOB_VALUE, CUDNN_TYPE_INT64, 1, &n,
                            &value) == CUDNN_STATUS_SUCCESS) {
      p.knobs += (p.knobs.empty() ? "" : ",") + std::to_string(static_cast<int>(type)) + "=" +
                 std::to_string(value);
    }
  }
}

// An execution plan of config on handle, finalized, with its workspace size.
cudnn_failure build_plan(const backend_descriptor &config, cudnnHandle_t handle, cudnn_program &p) {
  backend_descriptor plan;
  if (cudnn_failure f = check(plan.create(CUDNN_BACKEND_EXECUTION_PLAN_DESCRIPTOR), "plan")) {
    return f;
  }
  if (cudnn_failure f =
          set_handle(plan.get(), CUDNN_ATTR_EXECUTION_PLAN_HANDLE, handle, "plan: set handle")) {
    return f;
  }
  if (cudnn_failure f = set_desc(plan.get(), CUDNN_ATTR_EXECUTION_PLAN_ENGINE_CONFIG, config.get(),
                                 "plan: set engine config")) {
    return f;
  }
  if (cudnn_failure f = check(api().finalize(plan.get()), "plan: finalize")) {
    return f;
  }
  int64_t bytes = 0, n = 0;
  if (cudnn_failure f =
          check(api().get_attribute(plan.get(), CUDNN_ATTR_EXECUTION_PLAN_WORKSPACE_SIZE,
                                    CUDNN_TYPE_INT64, 1, &n, &bytes),
                "plan: workspace size")) {
    return f;
  }
  p.plan = std::move(plan);
  p.workspace_bytes = bytes;
  return {};
}

} // namespace

cudnn_failure build_operation_graph(const cudnn_operations &ops, cudnnHandle_t handle,
                                    backend_descriptor &out) {
  if (cudnn_failure f =
          check(out.create(CUDNN_BACKEND_OPERATIONGRAPH_DESCRIPTOR), "create operation graph")) {
    return f;
  }
  std::vector<cudnnBackendDescriptor_t> raw;
  for (const backend_descriptor &op : ops.ops) {
    raw.push_back(op.get());
  }
  if (cudnn_failure f = check(api().set_attribute(out.get(), CUDNN_ATTR_OPERATIONGRAPH_OPS,
                                                  CUDNN_TYPE_BACKEND_DESCRIPTOR,
                                                  static_cast<int64_t>(raw.size()), raw.data()),
                              "operation graph: set operations")) {
    return f;
  }
  if (handle != nullptr) {
    if (cudnn_failure f = set_handle(out.get(), CUDNN_ATTR_OPERATIONGRAPH_HANDLE, handle,
                                     "operation graph: set handle")) {
      return f;
    }
  }
  return check(api().finalize(out.get()), "operation graph: finalize");
}

cudnn_failure build_program(const attention_graph &graph, cudnnHandle_t handle,
                            cudnn_program &out) {
  if (cudnn_failure f = build_operations(graph, out.operations)) {
    return f;
  }
  if (cudnn_failure f = build_operation_graph(out.operations, handle, out.graph)) {
    return f;
  }
  cudnn_failure last{CUDNN_STATUS_NOT_SUPPORTED, "no engine config was proposed"};
  const std::pair<cudnnBackendHeurMode_t, const char *> modes[] = {
      {CUDNN_HEUR_MODE_A, "A"}, {CUDNN_HEUR_MODE_FALLBACK, "FALLBACK"}};
  for (const auto &[mode, name] : modes) {
    std::vector<backend_descriptor> configs;
    if (cudnn_failure f = engine_configs(out.graph, mode, name, configs)) {
      last = f;
      continue;
    }
    if (configs.empty() && out.configs_tried == 0) {
      last = {CUDNN_STATUS_NOT_SUPPORTED,
              std::string("heuristics mode ") + name +
                  " proposed no engine config: " + cudnn_error_text(CUDNN_STATUS_NOT_SUPPORTED)};
    }
    for (backend_descriptor &config : configs) {
      ++out.configs_tried;
      if (cudnn_failure f = build_plan(config, handle, out)) {
        last = f;
        continue;
      }
      out.heuristic = name;
      describe_config(config, out);
      out.config = std::move(config);
      return {};
    }
  }
  last.what = "no engine config of " + std::to_string(out.configs_tried) +
              " tried finalizes (last: " + last.what + ")";
  return last;
}

} // namespace suanli::cuda
