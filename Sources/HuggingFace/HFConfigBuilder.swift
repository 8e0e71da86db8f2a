// A ModelConfig built from code rather than decoded (Hugging Face configs are mapped onto it).
import Foundation
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
    do { return try JSONDecoder().decode(ModelConfig.self, from: Data(json.utf8)) } catch {
      throw ModelError("config.json: \(error)")
    }
  }
}
