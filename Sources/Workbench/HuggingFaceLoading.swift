// A Hugging Face model folder as a LoadedModel: the engine model the HuggingFace module maps its
// checkpoint onto, its own tokenizer (so the screens label tokens with the real sub-word pieces),
// its special tokens, and `generate`'s settings (generation_config.json).
import Decoding
import Foundation
import HuggingFace
import Tokenization
import Trace
import Transformer

/// What a Hugging Face text model adds to a LoadedModel.
public struct HuggingFaceText: Sendable {
  public let modelType: HuggingFaceModelType
  public let tokenizer: any SubwordTokenizer
  public let generation: GenerationSettings
  /// Marian: decoder_start_token_id (the pad token). nil for single-stack models.
  public let decoderStartID: Int?
  /// Ends generation: eos_token_id (GPT-2's <|endoftext|>, Marian's </s>).
  public let endID: Int
  public let notices: [String]
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

extension LoadedModel {
  /// Loads a folder whose config.json has "model_type" (bert, gpt2, marian).
  init(huggingFaceFolder folder: String, name: String?) throws(ModelError) {
    let url = URL(fileURLWithPath: folder)
    let hf = try HuggingFaceModel(folder: url)
    let model = try hf.transformerModel()
    let subword = try hf.tokenizer()
    let settings = hf.generation
    let special = subword.specialTokens
    var endID = settings.eosTokenIDs.first ?? special.end ?? special.separator ?? 0
    var decoderStart: Int? = nil
    if hf.config.architecture == .encoderDecoder {
      guard let start = settings.decoderStartTokenID ?? settings.padTokenID ?? special.padding else {
        throw ModelError("config.json: missing \"decoder_start_token_id\"")
      }
      decoderStart = start
      endID = settings.eosTokenIDs.first ?? special.end ?? 0
    }
    let text = SubwordTextTokenizer(subword, size: hf.config.outputVocabSize)
    self.name = name ?? url.lastPathComponent
    self.folder = folder
    config = hf.config
    self.model = model
    sourceTokenizer = text
    // Marian segments target text with target.spm (transformers' `text_target`).
    let targetSubword: (any SubwordTokenizer)?
    do { targetSubword = try HuggingFaceTokenizer.loadMarianTarget(folder: url) } catch {
      throw ModelError(error.description)
    }
    targetTokenizer = targetSubword.map { SubwordTextTokenizer($0, size: hf.config.outputVocabSize) } ?? text
    huggingFace = HuggingFaceText(
      modelType: hf.modelType, tokenizer: subword, generation: settings, decoderStartID: decoderStart,
      endID: endID, notices: hf.notices)
  }

  /// The token that ends a decode: the model's eos for Hugging Face folders, `</s>` (2) otherwise.
  public var endID: Int { huggingFace?.endID ?? Vocabulary.endID }

  /// Tokens a decode may generate by default: transformers' max_length / max_new_tokens for a
  /// Hugging Face model (after the decoder start token or the prompt), nil for attnscope's own.
  public func defaultMaxLength(_ source: DecodingSource) -> Int? {
    guard let hf = huggingFace else { return nil }
    let prompt = source.prefill.count + 1
    return hf.generation.newTokenBudget(promptLength: prompt)
  }

  /// `stepModel` with the generation config's logits processors (bad words, forced EOS at the
  /// `maxLength`-th token) for a Hugging Face model; unchanged for attnscope's own.
  public func generationStepModel(_ source: DecodingSource, cached: Bool = true, maxLength: Int)
    -> any StepModel
  {
    let base = stepModel(source, cached: cached)
    guard let hf = huggingFace else { return base }
    func wrap<M: StepModel>(_ model: M) -> any StepModel {
      GenerationStepModel(model, settings: hf.generation, budget: maxLength)
    }
    return wrap(base)
  }

  /// Beam search as `generate(num_beams: width)` runs it for a Hugging Face model (its length
  /// penalty and early stopping unless `alpha` is given), attnscope's `BeamSearch` otherwise.
  public func beamSearch(
    _ source: DecodingSource, width: Int, alpha: Float?, options: DecodingOptions, cached: Bool = true
  ) throws -> DecodingResult {
    let model = generationStepModel(source, cached: cached, maxLength: options.maxLength)
    func run<M: StepModel>(_ model: M) throws -> DecodingResult {
      guard let hf = huggingFace else {
        return try BeamSearch.decode(model, width: width, alpha: alpha ?? 0, options: options)
      }
      let stopping: HuggingFaceBeamSearch.EarlyStopping =
        switch hf.generation.earlyStopping {
        case .heuristic: .heuristic
        case .finished: .whenFinished
        case .never: .never
        }
      return try HuggingFaceBeamSearch.decode(
        model, width: width, lengthPenalty: alpha ?? hf.generation.lengthPenalty, earlyStopping: stopping,
        promptLength: source.prefill.count + 1, options: options)
    }
    return try run(model)
  }
}
