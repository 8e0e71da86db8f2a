// The image side of a Vision Transformer's config.json (Dosovitskiy et al. 2021, "An Image is Worth
// 16x16 Words"): square images cut into P×P patches, per-channel normalisation, the class names.

public struct VisionSettings: Codable, Sendable, Equatable {
  /// Height and width of the model's input, in pixels (images are resized to it).
  public var imageSize: Int
  /// Side of a square patch; must divide `imageSize`.
  public var patchSize: Int
  /// 1 (grey) or 3 (RGB). Default 3.
  public var channels: Int
  /// One name per output class, in logit order.
  public var classNames: [String]
  /// Per-channel normalisation x' = (x − mean) / std on samples in [0, 1]. Default 0.5 / 0.5,
  /// the Hugging Face ViT image processor's default.
  public var imageMean: [Float]
  public var imageStd: [Float]

  enum CodingKeys: String, CodingKey {
    case imageSize = "image_size"
    case patchSize = "patch_size"
    case channels = "num_channels"
    case classNames = "class_names"
    case imageMean = "image_mean"
    case imageStd = "image_std"
  }

  public init(
    imageSize: Int, patchSize: Int, channels: Int = 3, classNames: [String], imageMean: [Float]? = nil,
    imageStd: [Float]? = nil
  ) {
    self.imageSize = imageSize
    self.patchSize = patchSize
    self.channels = channels
    self.classNames = classNames
    // The defaults are sized only from a channel count in range; `validate()` refuses the others.
    let defaultCount = ConfigLimits.channels.contains(channels) ? channels : 0
    self.imageMean = imageMean ?? Array(repeating: 0.5, count: defaultCount)
    self.imageStd = imageStd ?? Array(repeating: 0.5, count: defaultCount)
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let channels = try c.decodeIfPresent(Int.self, forKey: .channels) ?? 3
    self.init(
      imageSize: try c.decode(Int.self, forKey: .imageSize),
      patchSize: try c.decode(Int.self, forKey: .patchSize), channels: channels,
      classNames: try c.decode([String].self, forKey: .classNames),
      imageMean: try c.decodeIfPresent([Float].self, forKey: .imageMean),
      imageStd: try c.decodeIfPresent([Float].self, forKey: .imageStd))
  }

  /// Patches along each side.
  public var gridSize: Int { imageSize / patchSize }
  public var patchCount: Int { gridSize * gridSize }
  /// Length of a flattened patch, P²·C, in (channel, row, column) order — a PyTorch Conv2d
  /// patch-embedding weight [d, C, P, P] reshaped to [d, C·P·P] uses the same order.
  public var patchDimension: Int { channels * patchSize * patchSize }
  public var classCount: Int { classNames.count }

  /// The trace labels of the encoder's positions: `[CLS]`, then `p(row,col)` in row-major order.
  public var tokenLabels: [String] {
    ["[CLS]"] + (0..<patchCount).map { "p(\($0 / gridSize),\($0 % gridSize))" }
  }
}

extension ModelConfig {
  /// The checks of `validate()` for `"architecture": "vit"`.
  func validateVision() throws(ModelError) {
    func require(_ condition: Bool, _ message: String) throws(ModelError) {
      if !condition { throw ModelError("config.json: \(message)") }
    }
    guard let vision else { throw ModelError("config.json: a \"vit\" model needs \"vision\" settings") }
    try ConfigLimits.check(vision.imageSize, in: ConfigLimits.imageSize, key: "vision.image_size")
    try ConfigLimits.check(vision.patchSize, in: ConfigLimits.patchSize, key: "vision.patch_size")
    try require(
      vision.imageSize % vision.patchSize == 0,
      "vision.patch_size \(vision.patchSize) does not divide image_size \(vision.imageSize)")
    try require([1, 3].contains(vision.channels), "vision.num_channels must be 1 or 3")
    try require(
      !vision.classNames.isEmpty && vision.classNames.count <= 100_000,
      "vision.class_names must list 1–100000 classes")
    try require(
      vision.imageMean.count == vision.channels && vision.imageStd.count == vision.channels,
      "vision.image_mean and image_std need one value per channel (\(vision.channels))")
    try require(vision.imageStd.allSatisfy { $0 > 0 && $0.isFinite }, "vision.image_std must be positive")
    try require(vision.imageMean.allSatisfy(\.isFinite), "vision.image_mean must be finite")
    try require(vision.patchCount <= 1 << 16, "more than 65536 patches")
    try require(
      maxPositions == vision.patchCount + 1,
      "max_positions \(maxPositions) must be patches + 1 = \(vision.patchCount + 1)")
    try require(
      positional == .learned || positional == .sincos2d,
      "a \"vit\" model uses \"learned\" or \"sincos-2d\" positions")
    try require(
      positional != .sincos2d || dModel % 4 == 0, "sincos-2d positions need d_model divisible by 4")
    if positional == .sincos2d {
      try ConfigLimits.checkComputedTable(
        "the sincos-2d position table", rows: vision.patchCount + 1, columns: dModel)
    }
    try require(dModel * max(ffnDim, dModel, vision.patchDimension) <= 1 << 28, "d_model × ffn_dim too large")
  }
}
