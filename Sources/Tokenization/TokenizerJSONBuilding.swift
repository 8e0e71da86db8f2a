// A tokenizer.json built in memory (a GGUF file's metadata turned into the tokenizer transformers
// builds from it) together with the special-token names transformers' tokenizer class holds, which
// a tokenizer.json alone does not carry (they live in tokenizer_config.json).
import JSON

extension HuggingFaceTokenizer {
  /// `bytes` as tokenizer.json, with `specialTokens` as tokenizer_config.json's `unk_token`,
  /// `bos_token`, `eos_token`, `pad_token`, `mask_token` (nil: the tokenizer has none).
  public static func load(
    tokenizerJSON bytes: [UInt8], specialTokens: [String: String?]
  ) throws(TokenizationError) -> any SubwordTokenizer {
    var config = TokenizerConfig()
    for (key, name) in specialTokens { config.values[key] = name.map { .string($0) } ?? .null }
    return try TokenizerJSONLoader.load(bytes: bytes, config: config)
  }
}
