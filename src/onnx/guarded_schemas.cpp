#include "onnx/guarded_schemas.hpp"

#include <onnx/defs/shape_inference.h>

#include <map>
#include <memory>
#include <mutex>

namespace edgeml::onnx {

namespace {

// Gemm before opset 9 (ONNX 1.12's Gemm-1/6/7): its inference takes dim(0)/dim(1) of A and B without checking that
// they have rank 2, so a rank-1 input read past the end of its shape and crashed the process (found by
// fuzz/onnx_inspect_fuzzer). The guarded copy makes the check Gemm-9 and later make, then runs the original.
class GuardedRegistry final : public ::onnx::ISchemaRegistry {
 public:
  const ::onnx::OpSchema* GetSchema(const std::string& key, const int max_version,
                                    const std::string& domain) const override {
    const ::onnx::OpSchema* schema = ::onnx::OpSchemaRegistry::Schema(key, max_version, domain);
    const bool onnx_domain = domain.empty() || domain == "ai.onnx";
    if (!schema || !onnx_domain || key != "Gemm" || schema->SinceVersion() >= 9) return schema;
    std::lock_guard lock(mu_);
    auto& guarded = guarded_[schema];
    if (!guarded) {
      guarded = std::make_unique<::onnx::OpSchema>(*schema);
      guarded->TypeAndShapeInferenceFunction(
          [original = schema->GetTypeAndShapeInferenceFunction()](::onnx::InferenceContext& ctx) {
            for (size_t i = 0; i < 2; ++i)
              if (::onnx::hasInputShape(ctx, i) && ctx.getInputType(i)->has_tensor_type() &&
                  ctx.getInputType(i)->tensor_type().shape().dim_size() != 2)
                // (fail_shape_inference, spelled out: the macro names ONNX_NAMESPACE, which is edgeml::onnx in here)
                throw ::onnx::InferenceError(
                    ::onnx::MakeString("[ShapeInferenceError] Gemm input ", i, " does not have rank 2"));
            if (original) original(ctx);
          });
    }
    return guarded.get();
  }

 private:
  mutable std::mutex mu_;
  mutable std::map<const ::onnx::OpSchema*, std::unique_ptr<::onnx::OpSchema>> guarded_;
};

}  // namespace

const ::onnx::ISchemaRegistry* guarded_schema_registry() {
  static const GuardedRegistry registry;
  return &registry;
}

}  // namespace edgeml::onnx
