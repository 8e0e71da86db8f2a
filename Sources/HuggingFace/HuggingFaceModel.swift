// A Hugging Face model folder (config.json with "model_type", model.safetensors, tokenizer files)
// mapped onto attnscope's engine: bert, gpt2, marian and vit. Anything else — another model_type,
// an option the engine does not implement, a pickle checkpoint — is refused on one line naming it.
import Foundation
import JSON
import Safetensors
import Tensors
import Tokenization
import Transformer

public struct HuggingFaceModel: Sendable {
  /// config.json's "model_type" (bert, gpt2, marian, vit).
  public let modelType: String
  public let folder: URL
  /// The engine configuration the Hugging Face config maps to.
  public let config: ModelConfig
  public let parameters: ParameterStore
  public let generation: GenerationSettings
  /// Things the user should know (generation options not applied, ignored tensors).
  public let notices: [String]

  /// Reads the folder's config.json itself (the model seam passes it in instead, parsed once).
  public init(folder: URL) throws(ModelError) {
    try self.init(folder: folder, config: HFJSON.load(folder, "config.json").value)
  }

  /// Maps `config` (the folder's config.json, already parsed) and reads generation_config.json,
  /// preprocessor_config.json (ViT) and the weights.
  public init(folder: URL, config configJSON: JSONValue) throws(ModelError) {
    try self.init(
      source: folder, config: configJSON, checkpoint: try HFCheckpoint.load(folder: folder),
      generationFolder: folder, origin: "Hugging Face")
  }

  /// A model whose tensors come from elsewhere under transformers' names (a GGUF file, translated
  /// by Workbench), with `config` a transformers config.json built for it. `source` is the file or
  /// folder it came from; generation_config.json is read from `generationFolder` when given.
  public init(
    source: URL, config configJSON: JSONValue, checkpoint: any CheckpointTensors, generationFolder: URL?,
    origin: String
  ) throws(ModelError) {
    let json = HFJSON(file: "config.json", value: configJSON)
    guard let typeName = try json.string("model_type") else {
      throw ModelError("config.json: missing \"model_type\"")
    }
    let family = try ArchitectureFamilies.family(typeName)
    var (config, mapping) = try family.engine(json, checkpoint: checkpoint, folder: source)
    config.description = "\(source.lastPathComponent) (\(origin) \(typeName))"
    try config.validate()
    modelType = typeName
    folder = source
    self.config = config
    parameters = try HFWeights.parameters(config: config, checkpoint: checkpoint, mapping: mapping)
    generation = try GenerationSettings.load(folder: generationFolder, config: json)
    notices = generation.ignored.map { "generation setting not applied: \($0)" }
  }

  /// The text model (bert, gpt2, marian).
  public func transformerModel() throws(ModelError) -> TransformerModel {
    guard config.architecture != .vision else {
      throw ModelError("\(folder.lastPathComponent) is a ViT image model, not a text model")
    }
    return TransformerModel(config: config, parameters: parameters)
  }

  /// The image model (vit).
  public func visionTransformer() throws(ModelError) -> VisionTransformer {
    guard config.architecture == .vision else {
      throw ModelError("\(folder.lastPathComponent) is not a ViT model")
    }
    return VisionTransformer(config: config, parameters: parameters)
  }

  /// The folder's tokenizer. One larger than the model's embedding (added tokens, a common case)
  /// loads with a notice, as transformers loads it; an id past the embedding is refused when used.
  public func tokenizer() throws(ModelError) -> (tokenizer: any SubwordTokenizer, notices: [String]) {
    let tokenizer: any SubwordTokenizer
    do { tokenizer = try HuggingFaceTokenizer.load(folder: folder) } catch {
      throw ModelError(error.description)
    }
    let rows = config.architecture == .encoderDecoder ? config.encoderVocabSize : config.outputVocabSize
    let embedding = config.hasLMHead ? rows : (config.vocabSize ?? 0)
    guard tokenizer.vocabularySize <= embedding else {
      return (
        tokenizer,
        [
          "tokenizer has \(tokenizer.vocabularySize) tokens, more than the model's \(embedding) embedding rows: "
            + "text using ids \(embedding) and above is refused"
        ]
      )
    }
    return (tokenizer, [])
  }
}

extension HuggingFaceModel {
  /// The engine configuration a config.json maps to, validated, without reading any weights (an
  /// empty checkpoint: prefixes fall back to their defaults). For the config fuzzer and `--dry` use.
  public static func engineConfig(_ configJSON: JSONValue) throws(ModelError) -> ModelConfig {
    let json = HFJSON(file: "config.json", value: configJSON)
    guard let typeName = try json.string("model_type") else {
      throw ModelError("config.json: missing \"model_type\"")
    }
    let family = try ArchitectureFamilies.family(typeName)
    let (config, _) = try family.engine(
      json, checkpoint: EmptyCheckpoint(), folder: URL(fileURLWithPath: "/"))
    try config.validate()
    return config
  }
}

/// A checkpoint with no tensors (mapping a config alone).
struct EmptyCheckpoint: CheckpointTensors {
  var names: [String] { [] }
  var displayName: String { "no checkpoint" }
  func contains(_ name: String) -> Bool { false }
  func shape(_ name: String) throws(ModelError) -> [Int] { throw ModelError("no tensor '\(name)'") }
  func floats(_ name: String) throws(ModelError) -> [Float] { throw ModelError("no tensor '\(name)'") }
  func packedRows(_ name: String) throws(ModelError) -> (any PackedRows)? { nil }
}
