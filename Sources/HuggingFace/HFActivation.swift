// transformers' ACT2FN names (activations.py) mapped onto the engine's activations.
import Tensors
import Transformer

enum HFActivation {
  /// The engine activation for a config's `hidden_act` / `activation_function`, or a one-line refusal.
  static func parse(_ name: String, key: String) throws(ModelError) -> Activation {
    switch name {
    case "gelu": return .gelu  // erf form (GELUActivation)
    case "gelu_new", "gelu_pytorch_tanh", "gelu_fast": return .geluTanh  // the same tanh formula
    case "relu": return .relu
    case "silu", "swish": return .silu
    default: throw ModelError("config.json: \(key) \"\(name)\" is not supported (gelu, gelu_new, relu, silu)")
    }
  }
}
