// attnscope's own model folders (docs/MODEL_FORMAT.md): config.json with "architecture",
// model.safetensors in the engine's names, and word or character vocabularies. Text is framed as
// the built-in tasks were trained: the encoder reads text </s>, the decoder starts from <s>, a
// decoder-only model reads <s> text.
import Decoding
import Foundation
import Tokenization
import Transformer

enum AttnscopeFolder: ModelFormatReader {
  static func reads(_ folder: ModelFolder) -> Bool { folder.config["architecture"] != nil }

  static func open(_ folder: ModelFolder) throws(ModelError) -> OpenedModel {
    let config = try ModelConfig(json: folder.config)
    try config.validate()
    let weights = folder.url.appendingPathComponent("model.safetensors").path
    if config.architecture == .vision {
      let model = try VisionTransformer(config: config, weightsPath: weights)
      return .image(LoadedVisionModel(name: folder.name, folder: folder.path, config: config, model: model))
    }
    let model = try TransformerModel(config: config, weightsPath: weights)
    let single = config.architecture != .encoderDecoder
    let source = try tokenizer(
      folder, single ? "vocab.txt" : "source_vocab.txt", config: config,
      expectedSize: config.encoderVocabSize == 0 ? config.decoderVocabSize : config.encoderVocabSize)
    let target =
      single
      ? source
      : try tokenizer(folder, "target_vocab.txt", config: config, expectedSize: config.decoderVocabSize)
    return .text(
      LoadedModel(
        name: folder.name, folder: folder.path, config: config, model: model,
        format: AttnscopeText(config: config, source: source, target: target)))
  }

  /// The vocabulary must have exactly as many entries as the embedding has rows.
  static func tokenizer(_ folder: ModelFolder, _ file: String, config: ModelConfig, expectedSize: Int)
    throws(ModelError) -> any TextTokenizer
  {
    let vocabulary: Vocabulary
    do { vocabulary = try Vocabulary.load(path: folder.url.appendingPathComponent(file).path) } catch {
      throw ModelError(error.description)
    }
    guard vocabulary.count == expectedSize else {
      throw ModelError(
        "\(file) has \(vocabulary.count) tokens, config.json's vocabulary size is \(expectedSize)")
    }
    return AttnscopeText.makeTokenizer(vocabulary, config: config)
  }
}

/// attnscope's framing: <s> and </s> around the text as the built-in tasks were trained, unknown
/// words shown as <unk> and named in a notice.
public struct AttnscopeText: TextFormat {
  let architecture: Architecture
  let maxPositions: Int
  public let sourceTokenizer: any TextTokenizer
  public let targetTokenizer: any TextTokenizer

  public init(config: ModelConfig, source: any TextTokenizer, target: any TextTokenizer) {
    architecture = config.architecture
    maxPositions = config.maxPositions
    sourceTokenizer = source
    targetTokenizer = target
  }

  /// The tokenizer `config.tokenizer` names over `vocabulary`.
  public static func makeTokenizer(_ vocabulary: Vocabulary, config: ModelConfig) -> any TextTokenizer {
    config.tokenizer == "char"
      ? CharacterTokenizer(vocabulary: vocabulary, lowercase: config.lowercase)
      : WordTokenizer(vocabulary: vocabulary, lowercase: config.lowercase)
  }

  public func frame(_ text: String, side: TextSide, limit: Int, notices: inout [String]) throws(ModelError)
    -> [Token]
  {
    let (tokenizer, before, after): (any TextTokenizer, [Token], [Token]) =
      switch (side, architecture) {
      case (.prompt, _): (targetTokenizer, [decoderStart], [])
      case (.target, _): (targetTokenizer, [], [])
      case (.input, .encoderDecoder): (sourceTokenizer, [], [Token(id: Vocabulary.endID, label: "</s>")])
      case (.input, _): (sourceTokenizer, [], [])
      }
    var tokens = tokenizer.encode(text)
    guard !tokens.isEmpty else { throw ModelError("the \(side.noun) is empty: nothing to show") }
    tokens = truncated(
      tokens, side: side, limit: limit - before.count - after.count, maxPositions: maxPositions, &notices)
    let unknown = tokens.filter(\.isUnknown).map(\.label)
    if !unknown.isEmpty {
      notices.append("not in the vocabulary, shown as <unk>: \(unknown.prefix(5).joined(separator: " "))")
    }
    return before + tokens.map { $0.isUnknown ? Token(id: $0.id, label: "<unk>", isUnknown: true) : $0 }
      + after
  }

  public var decoderStart: Token { Token(id: Vocabulary.startID, label: "<s>") }
  public var endID: Int { Vocabulary.endID }
  public func label(of id: Int) -> String { targetTokenizer.vocabulary.token(of: id) }
  public var policy: DecodingPolicy { .attnscope }
  public func defaultMaxLength(promptLength: Int) -> Int? { nil }
  public func generationStepModel<Base: StepModel>(_ base: Base, maxLength: Int) -> any StepModel { base }
  public var notices: [String] { [] }
}
