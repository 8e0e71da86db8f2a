// The metadata keys a model loader reads, as llama.cpp writes them (gguf-py `constants.py`,
// `Keys`; llama.cpp `src/llama-arch.cpp` LLM_KV_NAMES). Model keys are prefixed with the
// architecture: `GGUFKeys.blockCount` is "{arch}.block_count", e.g. "llama.block_count".

public enum GGUFKeys {
  public static let architecture = "general.architecture"
  public static let name = "general.name"
  public static let alignment = "general.alignment"
  public static let fileType = "general.file_type"
  public static let quantizationVersion = "general.quantization_version"

  // "{arch}." + these.
  public static let contextLength = "context_length"
  public static let embeddingLength = "embedding_length"
  public static let blockCount = "block_count"
  public static let feedForwardLength = "feed_forward_length"
  public static let vocabSize = "vocab_size"
  public static let headCount = "attention.head_count"
  public static let headCountKV = "attention.head_count_kv"
  public static let keyLength = "attention.key_length"
  public static let valueLength = "attention.value_length"
  public static let rmsNormEpsilon = "attention.layer_norm_rms_epsilon"
  public static let layerNormEpsilon = "attention.layer_norm_epsilon"
  public static let slidingWindow = "attention.sliding_window"
  public static let ropeDimensionCount = "rope.dimension_count"
  public static let ropeFreqBase = "rope.freq_base"
  public static let ropeScalingType = "rope.scaling.type"
  public static let ropeScalingFactor = "rope.scaling.factor"
  public static let ropeScalingOriginalContextLength = "rope.scaling.original_context_length"
  public static let finalLogitSoftcapping = "final_logit_softcapping"
  public static let attentionLogitSoftcapping = "attn_logit_softcapping"

  // The tokenizer (not prefixed).
  public static let tokenizerModel = "tokenizer.ggml.model"
  public static let tokenizerPre = "tokenizer.ggml.pre"
  public static let tokens = "tokenizer.ggml.tokens"
  public static let scores = "tokenizer.ggml.scores"
  public static let tokenType = "tokenizer.ggml.token_type"
  public static let merges = "tokenizer.ggml.merges"
  public static let bosTokenID = "tokenizer.ggml.bos_token_id"
  public static let eosTokenID = "tokenizer.ggml.eos_token_id"
  public static let unknownTokenID = "tokenizer.ggml.unknown_token_id"
  public static let paddingTokenID = "tokenizer.ggml.padding_token_id"
  public static let addBOSToken = "tokenizer.ggml.add_bos_token"
  public static let addEOSToken = "tokenizer.ggml.add_eos_token"
  public static let addSpacePrefix = "tokenizer.ggml.add_space_prefix"
  public static let chatTemplate = "tokenizer.chat_template"
}

extension GGUFFile {
  /// `general.architecture`: "llama", "qwen2", "gemma3" …
  public func architecture() throws(GGUFError) -> String { try string(GGUFKeys.architecture) }

  /// The architecture-prefixed key: `modelKey(GGUFKeys.blockCount)` → "llama.block_count".
  public func modelKey(_ suffix: String) throws(GGUFError) -> String {
    try architecture() + "." + suffix
  }
}
