// A Vision Transformer (Dosovitskiy et al. 2021, "An Image is Worth 16x16 Words", eq. 1–4): the
// image cut into P×P patches, each flattened and projected by E, a learned [CLS] prepended,
// positions added (learned 1-D, or fixed 2-D sine-cosine with [CLS] at zero as in MAE), the
// encoder layers, and a linear classifier on the final [CLS] state.
import Safetensors
import Tensors
import Trace

/// What one ViT forward pass returns.
public struct VisionOutput: Sendable {
  /// Class logits [K].
  public var logits: [Float]
  /// The encoder's output [1 + patches, d], [CLS] first.
  public var hidden: Tensor
}

public struct VisionTransformer: Sendable {
  public let config: ModelConfig
  public let vision: VisionSettings
  public let patchEmbedding: Linear  // [d, C·P·P]
  public let classToken: [Float]  // [d]
  /// Positions of [CLS] and every patch, [1 + patches, d].
  public let positionTable: Tensor
  public internal(set) var layers: [TransformerLayer]
  public let finalNorm: LayerNorm?
  public let classifier: Linear  // [K, d]

  /// Builds the model from parameters that match a validated `"vit"` config.
  public init(config: ModelConfig, parameters: ParameterStore) {
    precondition(config.architecture == .vision, "VisionTransformer needs a \"vit\" config")
    let vision = config.vision!
    self.config = config
    self.vision = vision
    patchEmbedding = Linear(parameters, "patch_embed")
    classToken = parameters["cls_token"].scalars
    positionTable = VisionTransformer.positionTable(config: config, parameters: parameters)
    layers = (0..<config.encoderLayers).map {
      TransformerLayer(parameters, "encoder.layers.\($0)", config: config, cross: false)
    }
    finalNorm =
      config.norm == .pre
      ? LayerNorm(parameters, "encoder.final_norm", epsilon: config.layerNormEps) : nil
    classifier = Linear(parameters, "classifier")
  }

  /// Reads a safetensors file and checks it against the config.
  public init(config: ModelConfig, weightsPath: String) throws(ModelError) {
    try config.validate()
    guard config.architecture == .vision else { throw ModelError("config.json: not a \"vit\" model") }
    let file: SafetensorsFile
    do { file = try SafetensorsFile.load(path: weightsPath) } catch { throw ModelError(error.description) }
    self.init(config: config, parameters: try ParameterStore(file: file, config: config))
  }

  /// Positions of [CLS] and every patch, [1 + N, d]: the learned table, or the fixed 2-D one. Shared
  /// with the training pass, so both agree on the convention.
  public static func positionTable(config: ModelConfig, parameters: ParameterStore) -> Tensor {
    config.positional == .learned
      ? parameters["encoder.embed_positions.weight"]
      : sincosPositions(config.vision!, dimensions: config.dModel)
  }

  /// The fixed table: zeros for [CLS], then the 2-D sine-cosine of each patch's (row, column).
  static func sincosPositions(_ vision: VisionSettings, dimensions: Int) -> Tensor {
    let grid = SinusoidalEncoding.table2D(
      rows: vision.gridSize, columns: vision.gridSize, dimensions: dimensions)
    return Tensor(
      shape: [vision.patchCount + 1, dimensions],
      scalars: [Float](repeating: 0, count: dimensions) + grid.scalars)
  }

  /// Classifies a normalised image given channel-first, [C, H, W] flattened, at the model's size.
  public func forward(image: [Float], recorder: AttentionRecorder? = nil) throws(ModelError) -> VisionOutput {
    let expected = vision.channels * vision.imageSize * vision.imageSize
    guard image.count == expected else {
      throw ModelError(
        "image has \(image.count) values, the model expects \(vision.channels)×\(vision.imageSize)×\(vision.imageSize) = \(expected)"
      )
    }
    var x = embed(patches: VisionTransformer.patches(of: image, vision))  // [1 + N, d]
    let labels = vision.tokenLabels
    for (index, layer) in layers.enumerated() {
      let site = AttentionSite(
        stack: .encoder, kind: .self, layer: index, queryLabels: labels, keyLabels: labels)
      x = layer(
        x, memory: nil, sites: LayerSites(selfAttention: site, crossAttention: nil),
        recorder: recorder)
    }
    let hidden = finalNorm.map { $0(x) } ?? x
    let classState = Tensor(shape: [1, config.dModel], scalars: Array(hidden.scalars.prefix(config.dModel)))
    return VisionOutput(logits: classifier(classState).scalars, hidden: hidden)  // [1, d] → [K]
  }

  /// [CLS] and the projected patches plus positions: [N, C·P·P] → [1 + N, d].
  public func embed(patches: Tensor) -> Tensor {
    let projected = patchEmbedding(patches)  // [N, d]
    let d = config.dModel
    var x = Tensor(zeros: [patches.rows + 1, d])
    for c in 0..<d { x[0, c] = classToken[c] + positionTable[0, c] }
    for row in 0..<patches.rows {
      for c in 0..<d { x[row + 1, c] = projected[row, c] + positionTable[row + 1, c] }
    }
    return x
  }

  /// An image [C, H, W] cut into its patches, row-major over the grid, each flattened in
  /// (channel, row, column) order: [N, C·P·P].
  public static func patches(of image: [Float], _ vision: VisionSettings) -> Tensor {
    let (size, p, channels, grid) = (vision.imageSize, vision.patchSize, vision.channels, vision.gridSize)
    var result = Tensor(zeros: [vision.patchCount, vision.patchDimension])
    for patchRow in 0..<grid {
      for patchColumn in 0..<grid {
        var column = 0
        for channel in 0..<channels {
          for y in 0..<p {
            let source = (channel * size + patchRow * p + y) * size + patchColumn * p
            for x in 0..<p {
              result[patchRow * grid + patchColumn, column] = image[source + x]
              column += 1
            }
          }
        }
      }
    }
    return result
  }
}
