// A model folder made usable: config, weights and tokenizers loaded and checked against each other.
import Foundation
import HuggingFace
import Tokenization
import Transformer

public struct LoadedModel: Sendable {
  /// The sample name or the folder's last path component.
  public let name: String
  public let folder: String
  public let config: ModelConfig
  public let model: TransformerModel
  /// Tokenizer of the encoder (or of the only stack).
  public let sourceTokenizer: any TextTokenizer
  /// Tokenizer of the decoder; the same as `sourceTokenizer` for single-stack models.
  public let targetTokenizer: any TextTokenizer
  /// Set for a Hugging Face folder: its tokenizer, special tokens and generation settings
  /// (HuggingFaceLoading.swift); nil for attnscope's own format.
  public internal(set) var huggingFace: HuggingFaceText? = nil

  /// A model already in memory (e.g. one being trained) with its tokenizers.
  public init(
    name: String, config: ModelConfig, model: TransformerModel, sourceTokenizer: any TextTokenizer,
    targetTokenizer: any TextTokenizer
  ) {
    self.name = name
    folder = ""
    self.config = config
    self.model = model
    self.sourceTokenizer = sourceTokenizer
    self.targetTokenizer = targetTokenizer
  }

  /// Loads `config.json`, `model.safetensors` and the vocabularies from `folder`.
  public init(folder: String, name: String? = nil) throws(ModelError) {
    let url = URL(fileURLWithPath: folder)
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue
    else { throw ModelError("\(folder): no such model folder") }
    if HuggingFaceModel.isHuggingFaceFolder(folder) {
      self = try LoadedModel(huggingFaceFolder: folder, name: name)
      return
    }
    let config = try LoadedModel.readConfig(url.appendingPathComponent("config.json").path)
    try config.validate()
    self.name = name ?? url.lastPathComponent
    self.folder = folder
    self.config = config
    model = try TransformerModel(
      config: config, weightsPath: url.appendingPathComponent("model.safetensors").path)
    let single = config.architecture != .encoderDecoder
    sourceTokenizer = try LoadedModel.tokenizer(
      url.appendingPathComponent(single ? "vocab.txt" : "source_vocab.txt").path, config: config,
      expectedSize: config.encoderVocabSize == 0 ? config.decoderVocabSize : config.encoderVocabSize)
    targetTokenizer =
      single
      ? sourceTokenizer
      : try LoadedModel.tokenizer(
        url.appendingPathComponent("target_vocab.txt").path, config: config,
        expectedSize: config.decoderVocabSize)
  }

  static func readConfig(_ path: String) throws(ModelError) -> ModelConfig {
    try ModelConfig.load(path: path)
  }

  /// The vocabulary must have exactly as many entries as the embedding has rows.
  static func tokenizer(_ path: String, config: ModelConfig, expectedSize: Int) throws(ModelError)
    -> any TextTokenizer
  {
    let vocabulary: Vocabulary
    do { vocabulary = try Vocabulary.load(path: path) } catch { throw ModelError(error.description) }
    let file = (path as NSString).lastPathComponent
    guard vocabulary.count == expectedSize else {
      throw ModelError(
        "\(file) has \(vocabulary.count) tokens, config.json's vocabulary size is \(expectedSize)")
    }
    return makeTokenizer(vocabulary, config: config)
  }

  /// The tokenizer `config.tokenizer` names over `vocabulary`.
  public static func makeTokenizer(_ vocabulary: Vocabulary, config: ModelConfig) -> any TextTokenizer {
    config.tokenizer == "char"
      ? CharacterTokenizer(vocabulary: vocabulary, lowercase: config.lowercase)
      : WordTokenizer(vocabulary: vocabulary, lowercase: config.lowercase)
  }
}
