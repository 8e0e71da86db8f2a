// A ViT model folder made usable: config and weights loaded and checked, images read, resized to
// the model's input and normalised exactly as in training, then classified with every attention
// matrix recorded.
import Decoding
import Foundation
import Imaging
import JSON
import Trace
import Transformer

public struct LoadedVisionModel: Sendable {
  public let name: String
  public let folder: String
  public let config: ModelConfig
  public let model: VisionTransformer
  public var vision: VisionSettings { model.vision }
  /// Hugging Face ViT folders resize like their image processor (Pillow's antialiased bilinear on
  /// 8-bit samples); attnscope's own models like training did (PyTorch's bilinear on floats).
  public let resizesLikePillow: Bool

  /// The image shown when none is given: `example.png` (or `.ppm`) beside the weights, if present.
  public var defaultImagePath: String? {
    ["example.png", "example.ppm", "example.pgm"].map { folder + "/" + $0 }
      .first { FileManager.default.fileExists(atPath: $0) }
  }

  /// Opens the image model in `folder`, whatever its format (ModelFormats); a text model is refused.
  public init(folder: String, name: String? = nil) throws(ModelError) {
    switch try ModelFormats.open(path: folder, name: name) {
    case .image(let model): self = model
    case .text(let model):
      throw ModelError("\(model.name) is not an image model (config.json architecture is not \"vit\")")
    }
  }

  public init(
    name: String, folder: String = "", config: ModelConfig, model: VisionTransformer,
    resizesLikePillow: Bool = false
  ) {
    self.name = name
    self.folder = folder
    self.config = config
    self.model = model
    self.resizesLikePillow = resizesLikePillow
  }

  /// Reads `path` (PNG or PGM/PPM, by content); a bad file is one line naming it.
  public static func readImage(_ path: String) throws(ModelError) -> Image {
    do { return try ImageFile.load(path) } catch { throw ModelError(error.description) }
  }

  /// `image` at the model's size with the model's channel count, samples in [0, 1] (HWC): what the
  /// model sees before normalisation, and what the patch screen draws.
  public func modelSized(_ image: Image) -> Image {
    let sized =
      resizesLikePillow
      ? image.resizedLikePillow(height: vision.imageSize, width: vision.imageSize)
      : image.resized(height: vision.imageSize, width: vision.imageSize)
    return vision.channels == 3 ? sized.rgb() : sized.greyscale()
  }

  /// Reads the image at `path` and classifies it (a bad file is one line naming it).
  public func analyse(imageAt path: String) throws(ModelError) -> VisionAnalysis {
    try analyse(Self.readImage(path), imageName: URL(fileURLWithPath: path).lastPathComponent)
  }

  /// Classifies `image` (any size) with every attention matrix recorded.
  public func analyse(_ image: Image, imageName: String) throws(ModelError) -> VisionAnalysis {
    let sized = modelSized(image)
    let input = sized.normalized(mean: vision.imageMean, std: vision.imageStd, layout: .chw)
    let recorder = AttentionRecorder()
    let output = try model.forward(image: input, recorder: recorder)
    let labels = vision.tokenLabels
    let trace = AttentionTrace(
      model: name, tokens: TokenLabels(encoder: labels), attention: recorder.entries)
    var notices: [String] = []
    if image.width != vision.imageSize || image.height != vision.imageSize {
      notices.append(
        "\(imageName) resized from \(image.width)×\(image.height) to \(vision.imageSize)×\(vision.imageSize)")
    }
    if let notice = trace.nonFiniteNotice { notices.append(notice) }
    let probabilities = Probabilities.logSoftmax(output.logits).map { Foundation.exp($0) }
    if probabilities.hasNonFinite {
      notices.append("the model produced non-finite class scores (its activations overflowed): shown as NaN")
    }
    return VisionAnalysis(
      trace: trace, image: sized.rgb(), probabilities: probabilities,
      classNames: vision.classNames,
      gridSize: vision.gridSize, patchSize: vision.patchSize, imageName: imageName, notices: notices)
  }

}

/// One image through a ViT: the trace, the class probabilities, and what the patch screen draws.
public struct VisionAnalysis: Sendable {
  public var trace: AttentionTrace
  /// The model-sized input as RGB in [0, 1], HWC.
  public var image: Image
  public var probabilities: [Float]
  public var classNames: [String]
  public var gridSize: Int
  public var patchSize: Int
  public var imageName: String
  public var notices: [String]

  /// Classes by falling probability, at most `k`.
  public func top(_ k: Int) -> [(name: String, probability: Float)] {
    probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }.prefix(k).map {
      (classNames[$0], probabilities[$0])
    }
  }

  /// Attention rollout through layers 0…l for every l (Abnar & Zuidema 2020), flat [n][n] each.
  public var rollouts: [[Float]] {
    let entries = trace.entries(stack: .encoder, kind: .self)
    return entries.indices.map { AttentionRollout.rollout(Array(entries[...$0])) }
  }
}
