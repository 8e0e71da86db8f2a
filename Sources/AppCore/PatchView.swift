// What the ViT patch screen (8) shows besides the trace, filled in by the host: the image the model
// saw, its patch grid, the predicted classes and the attention rollout of every layer.

public struct PatchView: Sendable, Equatable {
  public struct Prediction: Sendable, Equatable {
    public var label: String
    public var probability: Float
    public init(label: String, probability: Float) {
      self.label = label
      self.probability = probability
    }
  }

  public var imageName: String
  /// The model-sized image, RGB in [0, 1], HWC, `size`×`size`.
  public var pixels: [Float]
  public var size: Int
  public var patchSize: Int
  /// Best first.
  public var predictions: [Prediction]
  /// Layer l: rollout through layers 1…l+1, flat [1 + N][1 + N], [CLS] first.
  public var rollouts: [[Float]]

  public init(
    imageName: String, pixels: [Float], size: Int, patchSize: Int, predictions: [Prediction],
    rollouts: [[Float]]
  ) {
    self.imageName = imageName
    self.pixels = pixels
    self.size = size
    self.patchSize = patchSize
    self.predictions = predictions
    self.rollouts = rollouts
  }

  public var gridSize: Int { size / patchSize }
}

/// Where the patch screen takes its attention row from.
public enum PatchAttentionSource: Sendable, Equatable {
  case head(Int)
  case meanOfHeads
  case rollout
}

extension Screen {
  /// Decoding screens need a host that can decode (a text model with a decoder); the patch screen
  /// needs an image model; the others show any trace.
  func isAvailable(in state: AppState) -> Bool {
    switch self {
    case .decode, .compare, .tree, .contrast: state.decodingEnabled
    case .patches: state.patches.view != nil
    default: true
    }
  }
}
