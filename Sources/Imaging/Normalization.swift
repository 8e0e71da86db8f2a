// Per-channel normalisation as torchvision.transforms.Normalize: (x − mean[c]) / std[c]
// (pytorch.org/vision/stable/generated/torchvision.transforms.Normalize.html).

/// Where the channel index goes in a flat array.
public enum ChannelLayout: Equatable, Sendable {
  /// `[height][width][channels]`, the layout of `Image.pixels`.
  case hwc
  /// `[channels][height][width]`, what a ViT's patch embedding (a stride-P convolution) takes.
  case chw
}

extension Image {
  /// ImageNet statistics used by most pretrained ViTs (torchvision's, timm's IMAGENET_DEFAULT_*).
  public static let imageNetMean: [Float] = [0.485, 0.456, 0.406]
  public static let imageNetStd: [Float] = [0.229, 0.224, 0.225]

  /// `(x − mean[c]) / std[c]` for every sample, flattened in `layout`. `mean` and `std` have one
  /// value per channel (a grey image wanting RGB statistics should call `rgb()` first).
  public func normalized(mean: [Float], std: [Float], layout: ChannelLayout) -> [Float] {
    precondition(
      mean.count == channels && std.count == channels,
      "normalized: \(channels) channels, \(mean.count) means, \(std.count) stds")
    precondition(std.allSatisfy { $0 > 0 }, "normalized: every std must be positive")
    var out = layout == .chw ? chw() : pixels
    let plane = width * height
    for index in out.indices {
      let c = layout == .chw ? index / plane : index % channels
      out[index] = (out[index] - mean[c]) / std[c]
    }
    return out
  }
}
