// Each kernel and layer against PyTorch (Fixtures/layers.safetensors).
import Foundation
import TestSupport
import Testing

@testable import Tensors
@testable import Trace
@testable import Transformer

@Suite struct LayerParityTests {
  let file = try! Fixtures.file("layers.safetensors")
  func t(_ name: String) throws -> Tensor { try Fixtures.tensor(file, name) }

  @Test func matmul() throws {
    let (a, b) = (try t("matmul.a"), try t("matmul.b"))
    expectClose(a.matmul(b).scalars, try t("matmul.c").scalars, "matmul (BLAS)")
    expectClose(a.matmul(b, naive: true).scalars, try t("matmul.c").scalars, "matmul (naive)")
  }

  @Test func linear() throws {
    let store = ParameterStore(tensors: [
      "fc.weight": try t("linear.weight"),
      "fc.bias": try t("linear.bias").reshaped([3]),
    ])
    expectClose(Linear(store, "fc")(try t("linear.x")).scalars, try t("linear.y").scalars, "linear")
  }

  @Test func layerNorm() throws {
    let store = ParameterStore(tensors: [
      "ln.weight": try t("layernorm.weight"), "ln.bias": try t("layernorm.bias"),
    ])
    let y = LayerNorm(store, "ln", epsilon: 1e-5)(try t("layernorm.x"))
    expectClose(y.scalars, try t("layernorm.y").scalars, "layernorm")
  }

  @Test func activations() throws {
    expectClose(try t("gelu.x").applying(.gelu).scalars, try t("gelu.y").scalars, "gelu")
    expectClose(try t("relu.x").applying(.relu).scalars, try t("relu.y").scalars, "relu")
  }

  @Test func maskedSoftmax() throws {
    let mask = try t("softmax.mask").scalars.map { $0 == 1 }
    let y = try t("softmax.x").softmaxRows(mask: .explicit(mask))
    expectClose(y.scalars, try t("softmax.y").scalars, "softmax")
    #expect(zip(y.scalars, mask).allSatisfy { $1 || $0 == 0 }, "masked entries are exactly 0")
  }

  @Test func sinusoidalTable() throws {
    let expected = try t("sinusoidal.table")
    let table = SinusoidalEncoding.table(positions: expected.shape[0], dimensions: expected.shape[1])
    expectClose(table.scalars, expected.scalars, tolerance: 1e-6, "sinusoidal")
  }

  /// Attention alone: identity projections so q/k/v reach the kernel unchanged.
  @Test(arguments: [("attention", false), ("attention_causal", true)])
  func scaledDotProductAttention(prefix: String, causal: Bool) throws {
    let (q, k, v) = (try t("\(prefix).q"), try t("\(prefix).k"), try t("\(prefix).v"))
    let d = q.columns
    var tensors: [String: Tensor] = [:]
    for name in ["q_proj", "k_proj", "v_proj", "o_proj"] {
      tensors["a.\(name).weight"] = Tensor(zeros: [d, d])
    }
    var config = try ModelConfig.fixture(dModel: d, heads: 4)
    config.attentionBias = false
    let attention = MultiHeadAttention(ParameterStore(tensors: tensors), "a", config: config)
    // The fixture gives q, k and v directly, so the kernels are run without the projections.
    let (_, probabilities, out) = attention.headsAttention(
      q, k, v, mask: causal ? .causal(offset: 0) : .none)
    expectClose(probabilities, try t("\(prefix).probs").scalars, "\(prefix) probabilities")
    expectClose(out.scalars, try t("\(prefix).out").scalars, "\(prefix) output")
  }
}

extension ModelConfig {
  /// A minimal valid config for layer tests.
  static func fixture(dModel: Int, heads: Int) throws -> ModelConfig {
    let json = """
      {"architecture": "encoder-only", "d_model": \(dModel), "num_heads": \(heads), "ffn_dim": 8,
       "encoder_layers": 1, "vocab_size": 10, "max_positions": 8, "positional": "sinusoidal",
       "norm": "post", "activation": "relu"}
      """
    return try JSONDecoder().decode(ModelConfig.self, from: Data(json.utf8))
  }
}
