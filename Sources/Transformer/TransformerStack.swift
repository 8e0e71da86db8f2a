// A stack of layers with its input embedding: token embedding (optionally ×√d), plus sinusoidal or
// learned positions (rotary models add none: their attention rotates q and k), then the layers
// and, for pre- and sandwich-norm, a final norm.
import Foundation
import Tensors
import Trace

public struct TransformerStack: Sendable {
  public let role: AttentionStack
  public let tokenEmbedding: WeightMatrix  // [V, d]
  /// Sinusoidal table or learned embedding, [max_positions, d]; nil for rotary positions.
  public let positionTable: Tensor?
  public let embeddingScale: Float
  /// BERT: token-type row 0 added to every position, then a LayerNorm over the sum.
  public let tokenTypeRow: [Float]?
  public let embeddingNorm: Norm?
  public internal(set) var layers: [TransformerLayer]
  public let finalNorm: Norm?
  /// Decoder self-attention is causal; encoder self-attention sees everything.
  public var selfAttentionKind: AttentionKind { role == .decoder ? .masked : .self }

  public init(
    _ parameters: ParameterStore, role: AttentionStack, layerCount: Int, config: ModelConfig,
    cross: Bool
  ) {
    let name = role.rawValue
    self.role = role
    tokenEmbedding = parameters.matrix("\(name).embed_tokens.weight")
    switch config.positional {
    case .rotary: positionTable = nil
    case .learned: positionTable = parameters["\(name).embed_positions.weight"]
    case .sinusoidalSplit:
      positionTable = SinusoidalEncoding.splitTable(positions: config.maxPositions, dimensions: config.dModel)
    case .sinusoidal, .sincos2d:
      positionTable = SinusoidalEncoding.table(positions: config.maxPositions, dimensions: config.dModel)
    }
    embeddingScale = config.scaleEmbeddings ? Float(config.dModel).squareRoot() : 1
    tokenTypeRow = parameters.optional("\(name).embed_token_types.weight").map { Array($0.row(0)) }
    embeddingNorm =
      config.hasEmbeddingNorm
      ? Norm(parameters, "\(name).embed_norm", config: config) : nil
    // One rotation table per distinct set of frequencies, shared by the layers that use it.
    var rotations: [RotaryFrequencies: RotaryPositions] = [:]
    func rotation(_ layer: Int) -> RotaryPositions? {
      guard config.positional == .rotary, let options = config.languageModel else { return nil }
      let frequencies = options.frequencies(ofLayer: layer)
      if let shared = rotations[frequencies] { return shared }
      let made = RotaryPositions(
        frequencies: frequencies, rotatedDimensions: options.rotaryDimensions ?? config.headDim,
        headDim: config.headDim, positions: config.maxPositions)
      rotations[frequencies] = made
      return made
    }
    layers = (0..<layerCount).map {
      TransformerLayer(
        parameters, "\(name).layers.\($0)", config: config, cross: cross, index: $0, causal: role == .decoder,
        rotary: rotation($0))
    }
    finalNorm = config.norm != .post ? Norm(parameters, "\(name).final_norm", config: config) : nil
  }

  /// E[ids]·scale + P[offset ..< offset + n] (+ token type 0, then LayerNorm, for BERT) → [n, d].
  /// Ids and positions are checked by the model.
  public func embed(_ ids: [Int], positionOffset: Int = 0) -> Tensor {
    let d = tokenEmbedding.columns
    var x = Tensor(zeros: [ids.count, d])
    for (i, id) in ids.enumerated() {
      let row = tokenEmbedding.row(id)
      for c in 0..<d { x[i, c] = row[c] * embeddingScale }
      if let positionTable { for c in 0..<d { x[i, c] += positionTable[positionOffset + i, c] } }
      // Added after the positions, as BertEmbeddings sums word + token type + position.
      if let tokenTypeRow { for c in 0..<d { x[i, c] += tokenTypeRow[c] } }
    }
    return embeddingNorm.map { $0(x) } ?? x
  }

  /// Runs every layer; `memory` (with its labels) is the encoder output for cross-attention.
  /// `residuals`, if given, sees the residual stream: the embeddings, then each layer's output,
  /// before the final norm (the logit lens reads these, LogitLens.swift).
  public func callAsFunction(
    _ ids: [Int], labels: [String], memory: (output: Tensor, labels: [String])?,
    recorder: AttentionRecorder?, residuals: ((Tensor) -> Void)? = nil
  ) -> Tensor {
    var x = embed(ids)  // [n, d]
    residuals?(x)
    for (index, layer) in layers.enumerated() {
      let sites = LayerSites(
        selfAttention: AttentionSite(
          stack: role, kind: selfAttentionKind, layer: index, queryLabels: labels, keyLabels: labels),
        crossAttention: memory.map {
          AttentionSite(stack: role, kind: .cross, layer: index, queryLabels: labels, keyLabels: $0.labels)
        })
      x = layer(x, memory: memory?.output, sites: sites, recorder: recorder)
      residuals?(x)
    }
    return finalNorm.map { $0(x) } ?? x
  }
}
