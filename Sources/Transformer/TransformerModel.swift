// Encoder-decoder, decoder-only and encoder-only Transformers over one set of layers, with the
// output projection to vocabulary logits.
import Safetensors
import Tensors
import Trace

/// What one forward pass returns: logits [n, V] and, where there is an encoder, its output [n_src, d].
public struct ModelOutput: Sendable {
  public var logits: Tensor
  public var encoderOutput: Tensor?
}

public struct TransformerModel: Sendable {
  public let config: ModelConfig
  public internal(set) var encoder: TransformerStack?
  public internal(set) var decoder: TransformerStack?
  public let lmHead: Linear
  /// Bytes of the weights as held in memory (a tied matrix counted once per use).
  public let storedBytes: Int
  /// How the weights are stored, e.g. "bf16 ×180, f32 ×61 (vectors)".
  public let storageSummary: String

  /// Builds the model from parameters that match `config` (see `ParameterStore(file:config:)`).
  public init(config: ModelConfig, parameters: ParameterStore) {
    self.config = config
    encoder =
      config.architecture.hasEncoder
      ? TransformerStack(
        parameters, role: .encoder, layerCount: config.encoderLayers, config: config, cross: false)
      : nil
    decoder =
      config.architecture.hasDecoder
      ? TransformerStack(
        parameters, role: .decoder, layerCount: config.decoderLayers, config: config,
        cross: config.architecture == .encoderDecoder)
      : nil
    // output_head "none": the hidden state is the output (an identity head keeps one code path).
    lmHead = config.hasLMHead ? Linear(parameters, "lm_head") : Linear.identity(config.dModel)
    storedBytes = parameters.storedBytes
    var counts: [String: Int] = ["f32": parameters.tensors.count]
    for rows in parameters.packed.values { counts[rows.storageName, default: 0] += 1 }
    storageSummary = counts.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map {
      "\($0.key) ×\($0.value)"
    }
    .joined(separator: ", ")
  }

  /// Reads a safetensors file and checks it against the config.
  public init(config: ModelConfig, weightsPath: String) throws(ModelError) {
    try config.validate()
    guard config.architecture != .vision else {
      throw ModelError(
        "config.json: a \"vit\" model is an image classifier (VisionTransformer), not a text model")
    }
    let file: SafetensorsFile
    do { file = try SafetensorsFile.load(path: weightsPath) } catch { throw ModelError(error.description) }
    self.init(config: config, parameters: try ParameterStore(file: file, config: config))
  }

  /// Runs the model. Encoder-decoder needs both id lists (the decoder's starting with `<s>`);
  /// single-stack models take the one their stack reads. Labels default to the ids as text.
  public func forward(
    encoderIDs: [Int]? = nil, decoderIDs: [Int]? = nil, labels: TokenLabels = TokenLabels(),
    recorder: AttentionRecorder? = nil
  ) throws(ModelError) -> ModelOutput {
    var memory: (output: Tensor, labels: [String])?
    if let encoder {
      let ids = try checked(encoderIDs, stack: "encoder", vocabulary: config.encoderVocabSize)
      let labels = labels.encoder ?? ids.map(String.init)
      memory = (encoder(ids, labels: labels, memory: nil, recorder: recorder), labels)
    }
    guard let decoder else {
      return ModelOutput(logits: logits(memory!.output), encoderOutput: memory?.output)
    }
    let ids = try checked(decoderIDs, stack: "decoder", vocabulary: config.decoderVocabSize)
    let hidden = decoder(
      ids, labels: labels.decoder ?? ids.map(String.init), memory: memory, recorder: recorder)
    return ModelOutput(logits: logits(hidden), encoderOutput: memory?.output)
  }

  /// The output head on final hidden states [n, d] → [n, V], soft-capped where the config says.
  public func logits(_ hidden: Tensor) -> Tensor {
    var logits = lmHead(hidden)
    if let cap = config.languageModel?.finalSoftcap { logits.softcap(cap) }
    return logits
  }

  func checked(_ ids: [Int]?, stack: String, vocabulary: Int) throws(ModelError) -> [Int] {
    try config.checkedIDs(ids, "\(stack) input", vocabulary: vocabulary)
  }
}
