// attnscope's own model configuration (config.json), as documented in docs/MODEL_FORMAT.md.
import FileInput
import JSON
import Tensors

public enum Architecture: String, Codable, Sendable {
  case encoderDecoder = "encoder-decoder"
  case decoderOnly = "decoder-only"
  case encoderOnly = "encoder-only"
  /// A Vision Transformer (Dosovitskiy et al. 2021): patches and [CLS] into an encoder, a class head.
  case vision = "vit"

  public var hasEncoder: Bool { self != .decoderOnly }
  public var hasDecoder: Bool { self == .encoderDecoder || self == .decoderOnly }
}

public enum PositionalKind: String, Codable, Sendable {
  case sinusoidal, learned
  /// Fixed 2-D sine-cosine over the patch grid, for ViT (see `SinusoidalEncoding.table2D`).
  case sincos2d = "sincos-2d"
  /// Marian's sinusoidal table: sines in the first half of the dimensions, cosines in the second
  /// (see `SinusoidalEncoding.splitTable`).
  case sinusoidalSplit = "sinusoidal-split"
  /// No table: queries and keys are rotated by their position (RoPE; `LanguageModelOptions.rotary`).
  case rotary
}

/// What the final hidden state becomes: vocabulary logits through `lm_head`, or itself (an encoder
/// such as BertModel / sentence-transformers, whose output is the hidden state).
public enum OutputHead: String, Codable, Sendable {
  case lmHead = "lm_head"
  case none
}

/// Where LayerNorm sits around each sublayer: after the residual sum (Vaswani et al.) or before the
/// sublayer (GPT-2 / Xiong et al. 2020), the latter with a final norm after the last layer.
/// `sandwich` normalises the sublayer's input and its output before the residual sum, x + N₂(f(N₁(x)))
/// (Gemma 2 and 3), again with a final norm.
public enum NormPlacement: String, Codable, Sendable {
  case post, pre, sandwich
}

public struct ModelConfig: Codable, Sendable, Equatable {
  public var architecture: Architecture
  public var dModel: Int
  public var numHeads: Int
  /// Key/value heads; fewer than `numHeads` gives grouped-query attention. Defaults to `numHeads`.
  public var numKVHeads: Int
  public var ffnDim: Int
  public var encoderLayers: Int
  public var decoderLayers: Int
  /// Vocabulary of a single-stack model; the fallback for the two below.
  public var vocabSize: Int?
  public var sourceVocabSize: Int?
  public var targetVocabSize: Int?
  public var maxPositions: Int
  public var positional: PositionalKind
  public var norm: NormPlacement
  public var activation: Activation
  /// Default 1e-5, PyTorch's LayerNorm default.
  public var layerNormEps: Float
  /// Multiply token embeddings by √d_model (Vaswani et al. §3.4). Default false.
  public var scaleEmbeddings: Bool
  /// Whether q/k/v/o projections have biases. Default true.
  public var attentionBias: Bool
  /// "word" or "char". Default "word".
  public var tokenizer: String
  public var lowercase: Bool
  public var description: String?
  /// The built-in task a sample was trained on ("translate", "reverse", "induction"), for `eval`.
  public var task: String?
  public var defaultText: String?
  public var defaultTarget: String?
  /// Image and class settings of a Vision Transformer (`"architecture": "vit"` only).
  public var vision: VisionSettings?
  // Options Hugging Face architectures need (docs/MODEL_FORMAT.md); absent = off, so configs
  // written before them load and save unchanged.
  /// A LayerNorm over the summed embeddings, `{stack}.embed_norm` (BERT). Default false.
  public var embeddingNorm: Bool?
  /// Rows of a token-type table `{stack}.embed_token_types.weight` whose row 0 is added to every
  /// position (BERT's segment A). Default none.
  public var tokenTypeVocabSize: Int?
  /// Whether `lm_head` has a bias (Marian's `final_logits_bias`; GPT-2 has none). Default true.
  public var lmHeadBias: Bool?
  /// "lm_head" (default) or "none": logits are the final hidden state, no lm_head tensors.
  public var outputHead: OutputHead?
  /// RMSNorm, rotary positions, gated feed-forward … (LanguageModelOptions.swift). Default none.
  public var languageModel: LanguageModelOptions?

  enum CodingKeys: String, CodingKey {
    case architecture
    case dModel = "d_model"
    case numHeads = "num_heads"
    case numKVHeads = "num_kv_heads"
    case ffnDim = "ffn_dim"
    case encoderLayers = "encoder_layers"
    case decoderLayers = "decoder_layers"
    case vocabSize = "vocab_size"
    case sourceVocabSize = "source_vocab_size"
    case targetVocabSize = "target_vocab_size"
    case maxPositions = "max_positions"
    case positional, norm, activation
    case layerNormEps = "layer_norm_eps"
    case scaleEmbeddings = "scale_embeddings"
    case attentionBias = "attention_bias"
    case tokenizer, lowercase, description, task
    case defaultText = "default_text"
    case defaultTarget = "default_target"
    case vision
    case embeddingNorm = "embedding_norm"
    case tokenTypeVocabSize = "token_type_vocab_size"
    case lmHeadBias = "lm_head_bias"
    case outputHead = "output_head"
    case languageModel = "language_model"
  }

  public var headDim: Int { languageModel?.headDim ?? dModel / numHeads }
  public var hasEmbeddingNorm: Bool { embeddingNorm ?? false }
  public var hasLMHead: Bool { (outputHead ?? .lmHead) == .lmHead }
  public var encoderVocabSize: Int { sourceVocabSize ?? vocabSize ?? 0 }
  public var decoderVocabSize: Int { targetVocabSize ?? vocabSize ?? 0 }
  /// Rows of the output projection: the decoder's vocabulary, or the encoder's for encoder-only.
  public var outputVocabSize: Int {
    guard hasLMHead else { return dModel }
    return architecture.hasDecoder ? decoderVocabSize : encoderVocabSize
  }

  /// Checks the numbers agree with each other; the message names both sides of a disagreement.
  /// Token ids must be present, non-empty, inside `vocabulary` and no longer than the position
  /// table; `what` names them in the message ("encoder input", "training example: decoder input").
  /// The one check the engine's forward passes and the trainer's examples share.
  public func checkedIDs(_ ids: [Int]?, _ what: String, vocabulary: Int) throws(ModelError) -> [Int] {
    guard let ids, !ids.isEmpty else { throw ModelError("\(what) is empty: nothing to show") }
    guard ids.count <= maxPositions else {
      throw ModelError("\(what) has \(ids.count) tokens, more than max_positions \(maxPositions)")
    }
    if let bad = ids.first(where: { $0 < 0 || $0 >= vocabulary }) {
      throw ModelError("\(what) token id \(bad) is outside the vocabulary (size \(vocabulary))")
    }
    return ids
  }

  public func validate() throws(ModelError) {
    func require(_ condition: Bool, _ message: String) throws(ModelError) {
      if !condition { throw ModelError("config.json: \(message)") }
    }
    // Every size in its range first (ConfigLimits), so no product below can overflow (found by
    // fuzzing) and nothing is allocated from a size that was never checked.
    try ConfigLimits.check(dModel, in: ConfigLimits.width, key: "d_model")
    try ConfigLimits.check(numHeads, in: ConfigLimits.heads, key: "num_heads")
    try ConfigLimits.check(numKVHeads, in: ConfigLimits.heads, key: "num_kv_heads")
    try ConfigLimits.check(ffnDim, in: ConfigLimits.feedForward, key: "ffn_dim")
    try ConfigLimits.check(maxPositions, in: ConfigLimits.positions, key: "max_positions")
    try ConfigLimits.check(encoderLayers, in: ConfigLimits.layers, key: "encoder_layers")
    try ConfigLimits.check(decoderLayers, in: ConfigLimits.layers, key: "decoder_layers")
    for (key, size) in [
      ("vocab_size", vocabSize), ("source_vocab_size", sourceVocabSize),
      ("target_vocab_size", targetVocabSize),
    ] {
      if let size { try ConfigLimits.check(size, in: ConfigLimits.vocabulary, key: key) }
    }
    if let tokenTypeVocabSize {
      try ConfigLimits.check(tokenTypeVocabSize, in: ConfigLimits.tokenTypes, key: "token_type_vocab_size")
    }
    try require(
      languageModel?.headDim != nil || dModel % numHeads == 0,
      "d_model \(dModel) is not divisible by num_heads \(numHeads)")
    try require(
      numHeads % numKVHeads == 0, "num_heads \(numHeads) is not divisible by num_kv_heads \(numKVHeads)")
    try require(layerNormEps > 0 && layerNormEps.isFinite, "layer_norm_eps must be positive")
    try require(!architecture.hasEncoder || encoderLayers > 0, "encoder_layers must be positive")
    try require(!architecture.hasDecoder || decoderLayers > 0, "decoder_layers must be positive")
    if architecture == .vision { return try validateVision() }
    try require(positional != .sincos2d, "positional \"sincos-2d\" is for ViT models only")
    try require(vision == nil, "\"vision\" settings need \"architecture\": \"vit\"")
    try require(!architecture.hasEncoder || encoderVocabSize > 4, "encoder vocabulary size missing or < 5")
    try require(!architecture.hasDecoder || decoderVocabSize > 4, "decoder vocabulary size missing or < 5")
    try require(dModel * max(ffnDim, dModel) <= 1 << 28, "d_model × ffn_dim too large")
    try require(dModel * numHeads * headDim <= 1 << 28, "d_model × num_heads × head_dim too large")
    if positional == .sinusoidal || positional == .sinusoidalSplit {
      // Computed, not read: a small file must not make the engine build an 8 GB table.
      try ConfigLimits.checkComputedTable(
        "the sinusoidal position table", rows: maxPositions, columns: dModel)
    }
    if let languageModel { try validateLanguageModel(languageModel) }
    try require(
      positional != .rotary || languageModel != nil, "positional \"rotary\" needs \"language_model\" options")
    try require(["word", "char"].contains(tokenizer), "unknown tokenizer \"\(tokenizer)\"")
    try require(hasLMHead || architecture == .encoderOnly, "output_head \"none\" is for encoder-only models")
  }
}

extension ModelConfig {
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    architecture = try c.decode(Architecture.self, forKey: .architecture)
    dModel = try c.decode(Int.self, forKey: .dModel)
    numHeads = try c.decode(Int.self, forKey: .numHeads)
    numKVHeads = try c.decodeIfPresent(Int.self, forKey: .numKVHeads) ?? numHeads
    ffnDim = try c.decode(Int.self, forKey: .ffnDim)
    encoderLayers = try c.decodeIfPresent(Int.self, forKey: .encoderLayers) ?? 0
    decoderLayers = try c.decodeIfPresent(Int.self, forKey: .decoderLayers) ?? 0
    vocabSize = try c.decodeIfPresent(Int.self, forKey: .vocabSize)
    sourceVocabSize = try c.decodeIfPresent(Int.self, forKey: .sourceVocabSize)
    targetVocabSize = try c.decodeIfPresent(Int.self, forKey: .targetVocabSize)
    maxPositions = try c.decode(Int.self, forKey: .maxPositions)
    positional = try c.decode(PositionalKind.self, forKey: .positional)
    norm = try c.decode(NormPlacement.self, forKey: .norm)
    activation = try c.decode(Activation.self, forKey: .activation)
    layerNormEps = try c.decodeIfPresent(Float.self, forKey: .layerNormEps) ?? 1e-5
    scaleEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .scaleEmbeddings) ?? false
    attentionBias = try c.decodeIfPresent(Bool.self, forKey: .attentionBias) ?? true
    tokenizer = try c.decodeIfPresent(String.self, forKey: .tokenizer) ?? "word"
    lowercase = try c.decodeIfPresent(Bool.self, forKey: .lowercase) ?? true
    description = try c.decodeIfPresent(String.self, forKey: .description)
    task = try c.decodeIfPresent(String.self, forKey: .task)
    defaultText = try c.decodeIfPresent(String.self, forKey: .defaultText)
    defaultTarget = try c.decodeIfPresent(String.self, forKey: .defaultTarget)
    vision = try c.decodeIfPresent(VisionSettings.self, forKey: .vision)
    embeddingNorm = try c.decodeIfPresent(Bool.self, forKey: .embeddingNorm)
    tokenTypeVocabSize = try c.decodeIfPresent(Int.self, forKey: .tokenTypeVocabSize)
    lmHeadBias = try c.decodeIfPresent(Bool.self, forKey: .lmHeadBias)
    outputHead = try c.decodeIfPresent(OutputHead.self, forKey: .outputHead)
    languageModel = try c.decodeIfPresent(LanguageModelOptions.self, forKey: .languageModel)
  }
}

extension ModelConfig {
  /// Decodes a parsed config.json (through the project's JSON parser, not Foundation's); a problem
  /// is one line naming `file` and the key, e.g. `config.json: "d_model": expected a whole number,
  /// found 512.5`. Not validated: call `validate()`.
  public init(json: JSONValue, file: String = "config.json") throws(ModelError) {
    do { self = try JSONValueDecoder().decode(ModelConfig.self, from: json) } catch {
      throw ModelError("\(file): \(error.description)")
    }
  }

  /// Parses and decodes config.json text (built-in tasks, tests, `init-model`).
  public init<Bytes: Collection<UInt8>>(jsonBytes: Bytes, file: String = "config.json") throws(ModelError) {
    let value: JSONValue
    do { value = try JSONValue.parse(jsonBytes) } catch {
      throw ModelError("\(file): not valid JSON: \(error.description)")
    }
    try self.init(json: value, file: file)
  }

  public init(jsonText: String, file: String = "config.json") throws(ModelError) {
    try self.init(jsonBytes: Array(jsonText.utf8), file: file)
  }
}

/// A problem with a model, its config or its input: one line, naming the file or value at fault.
/// Values quoted from a file (a model_type, a layer type, a tensor name) may hold any character, so
/// control characters are escaped here, once for every message (found by fuzzing config.json).
public struct ModelError: Error, CustomStringConvertible, Equatable {
  public let description: String
  public init(_ description: String) { self.description = escapeControlCharacters(description) }
}
