// The tokenizer a GGUF file describes in its metadata (tokenizer.ggml.*), built as transformers
// builds it (integrations/gguf/gguf_tokenizer_mapping.py).
import GGUF
import Tokenization
import Transformer

enum GGUFTokenizer {
  static func load(_ file: GGUFFile) throws(ModelError) -> (
    tokenizer: any SubwordTokenizer, notices: [String]
  ) {
    let model = (try? file.stringIfPresent("tokenizer.ggml.model")) ?? nil
    throw ModelError(
      "\(file.fileName): its tokenizer (tokenizer.ggml.model \"\(model ?? "none")\") cannot be built yet")
  }
}
