// Hugging Face model folders (config.json with "model_type", model.safetensors, tokenizer files):
// the HuggingFace module maps the checkpoint onto the engine, one file per architecture family.
// Text is framed as transformers frames it — BERT reads [CLS] text [SEP]; GPT-2 reads the text
// alone (its tokenizer adds no BOS); Marian's encoder reads text </s>, its decoder starts from
// decoder_start_token_id and its target text goes through target.spm (transformers' `text_target`)
// — and decoded as `generate` decodes: generation_config.json's length, bad words, forced end,
// num_beams, length_penalty and early_stopping.
import Decoding
import Foundation
import HuggingFace
import Tokenization
import Transformer

enum HuggingFaceFolder: ModelFormatReader {
  static func reads(_ folder: ModelFolder) -> Bool { folder.config["model_type"] != nil }

  static func open(_ folder: ModelFolder) throws(ModelError) -> OpenedModel {
    let hf = try HuggingFaceModel(folder: folder.url, config: folder.config)
    if hf.config.architecture == .vision {
      // ViTImageProcessor resizes with Pillow's BILINEAR on 8-bit samples.
      return .image(
        LoadedVisionModel(
          name: folder.name, folder: folder.path, config: hf.config, model: try hf.visionTransformer(),
          resizesLikePillow: true))
    }
    return .text(
      LoadedModel(
        name: folder.name, folder: folder.path, config: hf.config, model: try hf.transformerModel(),
        format: try HuggingFaceText(hf, tokenizer: try hf.tokenizer())))
  }
}

/// A Hugging Face text model's tokenizer, special tokens and generation settings.
public struct HuggingFaceText: TextFormat {
  /// config.json's "model_type".
  public let modelType: String
  public let tokenizer: any SubwordTokenizer
  public let generation: GenerationSettings
  public let sourceTokenizer: any TextTokenizer
  public let targetTokenizer: any TextTokenizer
  /// Marian: decoder_start_token_id (the pad token); unused by single-stack models.
  let decoderStartID: Int
  public let endID: Int
  public let notices: [String]
  let maxPositions: Int

  /// `tokenizer`: the folder's (`hf.tokenizer()`), or one built from a GGUF file's metadata.
  init(_ hf: HuggingFaceModel, tokenizer loaded: (tokenizer: any SubwordTokenizer, notices: [String]))
    throws(ModelError)
  {
    let (subword, tokenizerNotices) = loaded
    let settings = hf.generation
    let special = subword.specialTokens
    var endID = settings.eosTokenIDs.first ?? special.end ?? special.separator ?? 0
    var start = 0
    if hf.config.architecture == .encoderDecoder {
      guard let id = settings.decoderStartTokenID ?? settings.padTokenID ?? special.padding else {
        throw ModelError("config.json: missing \"decoder_start_token_id\"")
      }
      start = id
      endID = settings.eosTokenIDs.first ?? special.end ?? 0
    }
    let size = hf.config.outputVocabSize
    let text = SubwordTextTokenizer(subword, size: size)
    let target: (any SubwordTokenizer)?
    do { target = try HuggingFaceTokenizer.loadMarianTarget(folder: hf.folder) } catch {
      throw ModelError(error.description)
    }
    modelType = hf.modelType
    tokenizer = subword
    generation = settings
    sourceTokenizer = text
    targetTokenizer = target.map { SubwordTextTokenizer($0, size: size) } ?? text
    decoderStartID = start
    self.endID = endID
    notices = hf.notices + tokenizerNotices
    maxPositions = hf.config.maxPositions
  }

  public func frame(_ text: String, side: TextSide, limit: Int, notices: inout [String]) throws(ModelError)
    -> [Token]
  {
    var tokens = (side == .target ? targetTokenizer.encode(text) : tokenizer.encode(text))
    guard !tokens.isEmpty else { throw ModelError("the \(side.noun) is empty: nothing to show") }
    let specials = side == .target ? 0 : tokenizer.addingSpecialTokens([]).count
    tokens = truncated(tokens, side: side, limit: limit - specials, maxPositions: maxPositions, &notices)
    return side == .target ? tokens : tokenizer.addingSpecialTokens(tokens)
  }

  public var decoderStart: Token { Token(id: decoderStartID, label: label(of: decoderStartID)) }
  public func label(of id: Int) -> String { tokenizer.token(of: id) ?? "<\(id)>" }

  /// num_beams (beam search becomes `decode`'s default when > 1), length_penalty, early_stopping.
  public var policy: DecodingPolicy {
    let stopping: BeamSearch.Stopping =
      switch generation.earlyStopping {
      case .heuristic: .heuristic
      case .finished: .whenFinished
      case .never: .never
      }
    return DecodingPolicy(
      beamWidth: generation.numBeams > 1 ? generation.numBeams : 4,
      prefersBeam: generation.numBeams > 1, lengthPenalty: generation.lengthPenalty, stopping: stopping)
  }

  /// transformers' max_length / max_new_tokens after the decoder start token or the prompt.
  public func defaultMaxLength(promptLength: Int) -> Int? {
    generation.newTokenBudget(promptLength: promptLength)
  }

  public func generationStepModel<Base: StepModel>(_ base: Base, maxLength: Int) -> any StepModel {
    GenerationStepModel(base, settings: generation, budget: maxLength)
  }
}

/// A Hugging Face tokenizer seen through attnscope's `TextTokenizer` (labels come from `vocabulary`,
/// the tokenizer's pieces in id order, padded with `<id>` up to the embedding size).
struct SubwordTextTokenizer: TextTokenizer {
  let subword: any SubwordTokenizer
  let vocabulary: Vocabulary

  init(_ subword: any SubwordTokenizer, size: Int) {
    self.subword = subword
    vocabulary = Vocabulary(
      pieces: (0..<max(size, subword.vocabularySize)).map { subword.token(of: $0) ?? "<\($0)>" })
  }

  func encode(_ text: String) -> [Token] { subword.encode(text) }
  func decode(_ ids: [Int]) -> String { subword.decode(ids) }
}
