// A ModelConfig built from code rather than decoded (Hugging Face configs are mapped onto it).
import Transformer

enum HFConfigBuilder {
  /// The fields every architecture sets; the mapping fills in the rest.
  static func base(_ architecture: Architecture, d: Int, heads: Int, ffn: Int, positions: Int)
    throws(ModelError)
    -> ModelConfig
  {
    let json = """
      {"architecture": "\(architecture.rawValue)", "d_model": \(d), "num_heads": \(heads),
       "ffn_dim": \(ffn), "max_positions": \(positions), "positional": "learned", "norm": "post",
       "activation": "gelu"}
      """
    return try ModelConfig(jsonText: json)
  }
}
