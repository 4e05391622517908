// DeiT / ViT as timm defines them (timm/models/vision_transformer.py, deit_tiny_patch16_224 = width 192, 12 blocks,
// 3 heads, MLP ratio 4): a 16x16 stride-16 patch conv, a class token and learned position embeddings, pre-norm blocks
// of multi-head self-attention and a GELU MLP with residuals, a final LayerNorm, and a linear head on the class
// token. Written with opset-14 operators only: LayerNormalization is ReduceMean/Sub/Mul/Sqrt/Div (the operator
// arrived in opset 17) and GELU is x * 0.5 * (1 + Erf(x / sqrt 2)). q, k and v are three Linears, which hold the
// same parameters and MACs as timm's single qkv Linear. The token sequence is kept 2-D, [tokens, width] (batch 1),
// with Linears as Gemm: OpenCV 4.6 broadcasts a constant operand of Mul/Add only along axis 1, so per-feature
// constants (LayerNorm gamma/beta, biases) must sit on axis 1 of the tensor they scale.
#include <cmath>

#include "onnx/zoo_architectures.hpp"

namespace edgeml::onnx {
namespace {

using A = GraphBuilder;

struct Vit {
  GraphBuilder& g;
  int64_t width, heads, tokens;

  std::string scalar(float v) { return g.weights("scalar", {1}, {v}); }

  std::string layer_norm(const std::string& x) {
    auto mean = g.node("ReduceMean", {x}, {A::ints_attr("axes", {-1}), A::int_attr("keepdims", 1)});
    auto centred = g.node("Sub", {x, mean});
    auto var = g.node("ReduceMean", {g.node("Mul", {centred, centred})},
                      {A::ints_attr("axes", {-1}), A::int_attr("keepdims", 1)});
    auto normed = g.node("Div", {centred, g.node("Sqrt", {g.node("Add", {var, scalar(1e-6f)})})});
    std::vector<float> ones(static_cast<size_t>(width), 1.0f), zeros(static_cast<size_t>(width), 0.0f);
    return g.node(
        "Add", {g.node("Mul", {normed, g.weights("ln_gamma", {width}, ones)}), g.weights("ln_beta", {width}, zeros)});
  }

  // x [tokens, in] -> x W^T + b, W [out, in] as torch nn.Linear stores it (and its default init range).
  std::string linear(const std::string& x, int64_t in, int64_t out) {
    const float bound = 1.0f / std::sqrt(static_cast<float>(in));
    return g.node("Gemm", {x, g.seeded_weights("w", {out, in}, bound), g.seeded_weights("b", {out}, bound)},
                  {A::int_attr("transB", 1)});
  }

  // [tokens, width] -> [heads, tokens, head_dim] (or [heads, head_dim, tokens] for keys).
  std::string split_heads(const std::string& x, bool transposed) {
    auto r = g.node("Reshape", {x, g.int64s("shape", {tokens, heads, width / heads})});
    return g.node("Transpose", {r},
                  {A::ints_attr("perm", transposed ? std::vector<int64_t>{1, 2, 0} : std::vector<int64_t>{1, 0, 2})});
  }

  std::string attention(const std::string& x) {
    auto q = split_heads(linear(x, width, width), false);
    auto k = split_heads(linear(x, width, width), true);
    auto v = split_heads(linear(x, width, width), false);
    const float scale = 1.0f / std::sqrt(static_cast<float>(width / heads));
    auto attn =
        g.node("Softmax", {g.node("Mul", {g.node("MatMul", {q, k}), scalar(scale)})}, {A::int_attr("axis", -1)});
    auto out = g.node("Transpose", {g.node("MatMul", {attn, v})}, {A::ints_attr("perm", {1, 0, 2})});
    out = g.node("Reshape", {out, g.int64s("shape", {tokens, width})});
    return linear(out, width, width);
  }

  std::string mlp(const std::string& x) {
    auto h = linear(x, width, 4 * width);
    auto erf = g.node("Erf", {g.node("Mul", {h, scalar(static_cast<float>(1.0 / std::sqrt(2.0)))})});
    auto gelu = g.node("Mul", {g.node("Mul", {h, scalar(0.5f)}), g.node("Add", {erf, scalar(1.0f)})});
    return linear(gelu, 4 * width, width);
  }
};

}  // namespace

void build_vit(GraphBuilder& g, int64_t width, int depth, int64_t heads) {
  constexpr int64_t kPatch = 16, kSide = 224 / kPatch, kPatches = kSide * kSide;
  Vit v{g, width, heads, kPatches + 1};
  const Tensor image = g.input(3, 224, 224);
  const float patch_bound = 1.0f / std::sqrt(3.0f * kPatch * kPatch);
  auto x = g.node("Conv",
                  {image.name, g.seeded_weights("patch_w", {width, 3, kPatch, kPatch}, patch_bound),
                   g.seeded_weights("patch_b", {width}, patch_bound)},
                  {A::ints_attr("kernel_shape", {kPatch, kPatch}), A::ints_attr("strides", {kPatch, kPatch})});
  x = g.node("Reshape", {x, g.int64s("shape", {width, kPatches})});
  x = g.node("Transpose", {x}, {A::ints_attr("perm", {1, 0})});
  x = g.node("Concat", {g.seeded_weights("cls_token", {1, width}, 0.02f), x}, {A::int_attr("axis", 0)});
  x = g.node("Add", {x, g.seeded_weights("pos_embed", {v.tokens, width}, 0.02f)});
  for (int d = 0; d < depth; ++d) {
    x = g.node("Add", {x, v.attention(v.layer_norm(x))});
    x = g.node("Add", {x, v.mlp(v.layer_norm(x))});
  }
  x = v.layer_norm(x);
  auto cls = g.node("Slice", {x, g.int64s("starts", {0}), g.int64s("ends", {1}), g.int64s("axes", {0})});
  const float bound = 1.0f / std::sqrt(static_cast<float>(width));
  g.node("Gemm", {cls, g.seeded_weights("head_w", {1000, width}, bound), g.seeded_weights("head_b", {1000}, bound)},
         {A::int_attr("transB", 1)}, "logits");
  g.declare_output("logits", std::vector<int64_t>{1, 1000});
}

}  // namespace edgeml::onnx
