#pragma once
// The operator schemas shape inference runs with: ONNX's own, except where an old schema's inference function reads
// past the shapes it is given (a crash on a hostile file, not an error); those check the ranks first.
#include <onnx/defs/schema.h>

namespace edgeml::onnx {

// Pass to ::onnx::shape_inference::InferShapes instead of OpSchemaRegistry::Instance(). Thread-safe.
const ::onnx::ISchemaRegistry* guarded_schema_registry();

}  // namespace edgeml::onnx
