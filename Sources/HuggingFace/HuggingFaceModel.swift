// A Hugging Face model folder (config.json with "model_type", model.safetensors, tokenizer files)
// mapped onto attnscope's engine: bert, gpt2, marian and vit. Anything else — another model_type,
// an option the engine does not implement, a pickle checkpoint — is refused on one line naming it.
import Foundation
import JSON
import Safetensors
import Tokenization
import Transformer

public enum HuggingFaceModelType: String, Sendable, CaseIterable {
  case bert, gpt2, marian, vit
}

public struct HuggingFaceModel: Sendable {
  public let modelType: HuggingFaceModelType
  public let folder: URL
  /// The engine configuration the Hugging Face config maps to.
  public let config: ModelConfig
  public let parameters: ParameterStore
  public let generation: GenerationSettings
  /// Things the user should know (generation options not applied, ignored tensors).
  public let notices: [String]

  /// True when `path` is a folder whose config.json has a "model_type" key (attnscope's own
  /// folders have "architecture" instead).
  public static func isHuggingFaceFolder(_ path: String) -> Bool {
    // Lenient on purpose (repeated keys allowed): a broken Hugging Face config.json should reach
    // the Hugging Face loader and get its error, not attnscope's "missing architecture".
    let path = URL(fileURLWithPath: path).appendingPathComponent("config.json").path
    guard let json = try? ConfigFile.read(path, rejectDuplicateKeys: false) else { return false }
    return json["model_type"] != nil
  }

  /// Reads config.json, generation_config.json, preprocessor_config.json (ViT) and the weights.
  public init(folder: URL) throws(ModelError) {
    let json = try HFJSON.load(folder, "config.json")
    guard let typeName = try json.string("model_type") else {
      throw ModelError("config.json: missing \"model_type\"")
    }
    guard let modelType = HuggingFaceModelType(rawValue: typeName) else {
      throw ModelError(
        "config.json: model_type \"\(typeName)\" is not supported (supported: "
          + HuggingFaceModelType.allCases.map(\.rawValue).joined(separator: ", ") + ")")
    }
    let checkpoint = try HFCheckpoint.load(folder: folder)
    func prefix(_ candidate: String, _ probe: String) -> String {
      checkpoint.contains(candidate + probe) ? candidate : ""
    }
    var config: ModelConfig
    let mapping: any WeightMapping
    switch modelType {
    case .bert:
      config = try BertMapping.config(json)
      mapping = BertMapping(prefix: prefix("bert.", "embeddings.word_embeddings.weight"))
    case .gpt2:
      config = try GPT2Mapping.config(json)
      mapping = GPT2Mapping(prefix: prefix("transformer.", "wte.weight"), width: config.dModel)
    case .marian:
      config = try MarianMapping.config(json)
      mapping = MarianMapping(prefix: checkpoint.names.contains { $0.hasPrefix("model.") } ? "model." : "")
    case .vit:
      let preprocessorPath = folder.appendingPathComponent("preprocessor_config.json").path
      let preprocessor =
        FileManager.default.fileExists(atPath: preprocessorPath)
        ? try HFJSON.load(folder, "preprocessor_config.json") : nil
      let hasClassifier = checkpoint.contains("classifier.weight")
      config = try ViTMapping.config(json, preprocessor: preprocessor, hasClassifier: hasClassifier)
      mapping = ViTMapping(
        prefix: checkpoint.names.contains { $0.hasPrefix("vit.") } ? "vit." : "",
        qkvBias: try json.bool("qkv_bias") ?? true, hasClassifier: hasClassifier)
    }
    config.description = "\(folder.lastPathComponent) (Hugging Face \(typeName))"
    try config.validate()
    self.modelType = modelType
    self.folder = folder
    self.config = config
    parameters = try HFWeights.parameters(config: config, checkpoint: checkpoint, mapping: mapping)
    generation = try GenerationSettings.load(folder: folder, config: json)
    notices = generation.ignored.map { "generation setting not applied: \($0)" }
  }

  /// The text model (bert, gpt2, marian).
  public func transformerModel() throws(ModelError) -> TransformerModel {
    guard modelType != .vit else {
      throw ModelError("\(folder.lastPathComponent) is a ViT image model, not a text model")
    }
    return TransformerModel(config: config, parameters: parameters)
  }

  /// The image model (vit).
  public func visionTransformer() throws(ModelError) -> VisionTransformer {
    guard modelType == .vit else { throw ModelError("\(folder.lastPathComponent) is not a ViT model") }
    return VisionTransformer(config: config, parameters: parameters)
  }

  /// The folder's tokenizer; its vocabulary must fit the model's embedding.
  public func tokenizer() throws(ModelError) -> any SubwordTokenizer {
    let tokenizer: any SubwordTokenizer
    do { tokenizer = try HuggingFaceTokenizer.load(folder: folder) } catch {
      throw ModelError(error.description)
    }
    let rows = config.architecture == .encoderDecoder ? config.encoderVocabSize : config.outputVocabSize
    let embedding = config.hasLMHead ? rows : (config.vocabSize ?? 0)
    guard tokenizer.vocabularySize <= embedding else {
      throw ModelError(
        "tokenizer has \(tokenizer.vocabularySize) tokens, more than the model's \(embedding) embedding rows")
    }
    return tokenizer
  }
}
