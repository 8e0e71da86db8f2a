// The in-memory image every reader produces and every transform takes: Float32 samples in [0, 1],
// HWC order (row-major rows, channels interleaved), as torchvision's ToTensor before its permute.

/// A grey (1 channel) or RGB (3 channel) image.
///
/// `pixels[(y * width + x) * channels + c]` is channel `c` of the pixel in row `y`, column `x`,
/// with row 0 at the top. Readers scale each sample by 1/maxval (PNM) or 1/255 (PNG), so values
/// are in [0, 1]; transforms such as `resized` keep them there.
public struct Image: Equatable, Sendable {
  public let width: Int
  public let height: Int
  public let channels: Int
  public var pixels: [Float]

  public init(width: Int, height: Int, channels: Int, pixels: [Float]) {
    precondition(width > 0 && height > 0, "Image needs a positive size, got \(width)×\(height)")
    precondition(channels == 1 || channels == 3, "Image has 1 or 3 channels, got \(channels)")
    precondition(
      pixels.count == width * height * channels,
      "Image: \(pixels.count) samples for \(width)×\(height)×\(channels)")
    self.width = width
    self.height = height
    self.channels = channels
    self.pixels = pixels
  }

  /// A constant image (handy for tests and padding).
  public init(width: Int, height: Int, channels: Int, filledWith value: Float) {
    self.init(
      width: width, height: height, channels: channels,
      pixels: [Float](repeating: value, count: width * height * channels))
  }

  public subscript(y: Int, x: Int, c: Int) -> Float {
    get { pixels[(y * width + x) * channels + c] }
    set { pixels[(y * width + x) * channels + c] = newValue }
  }

  /// Grey images repeated into R, G and B (what PIL's convert("RGB") does for "L"); RGB unchanged.
  public func rgb() -> Image {
    guard channels == 1 else { return self }
    var out = [Float](repeating: 0, count: width * height * 3)
    for (index, value) in pixels.enumerated() {
      out[3 * index] = value
      out[3 * index + 1] = value
      out[3 * index + 2] = value
    }
    return Image(width: width, height: height, channels: 3, pixels: out)
  }

  /// RGB reduced to one channel with ITU-R 601-2 luma weights (PIL's convert("L"), without its
  /// rounding to 8 bits); grey images unchanged.
  public func greyscale() -> Image {
    guard channels == 3 else { return self }
    let out = (0..<(width * height)).map { index -> Float in
      let (red, green, blue): (Float, Float, Float) = (
        pixels[3 * index], pixels[3 * index + 1], pixels[3 * index + 2]
      )
      return 0.299 * red + 0.587 * green + 0.114 * blue
    }
    return Image(width: width, height: height, channels: 1, pixels: out)
  }

  /// The same samples in CHW order, `[channels][height][width]`, the layout a ViT patch embedding
  /// (a stride-P convolution in PyTorch) takes.
  public func chw() -> [Float] {
    var out = [Float](repeating: 0, count: pixels.count)
    let plane = width * height
    for index in 0..<plane {
      for c in 0..<channels {
        out[c * plane + index] = pixels[index * channels + c]
      }
    }
    return out
  }
}

/// Sizes a reader accepts, checked before anything is allocated from a header's numbers.
public struct ImageLimits: Equatable, Sendable {
  /// Largest width or height.
  public var maxSide: Int
  /// Largest width × height.
  public var maxPixels: Int
  /// Largest file `ImageFile.load` reads into memory (a plain P3 file of the largest image,
  /// "65535 " per sample, is about 1.2 GB, so the default rejects only the pathological).
  public var maxFileBytes: Int

  public init(maxSide: Int, maxPixels: Int, maxFileBytes: Int) {
    self.maxSide = maxSide
    self.maxPixels = maxPixels
    self.maxFileBytes = maxFileBytes
  }

  /// 16384 px per side, 64 M pixels (768 MB as RGB Float32), 2 GiB files.
  public static let standard = ImageLimits(
    maxSide: 16_384, maxPixels: 64 * 1024 * 1024, maxFileBytes: 2 << 30)

  /// Throws `.zeroSize` or `.tooLarge`; on return width × height ≤ maxPixels.
  func check(width: UInt64, height: UInt64, file: String) throws(ImageError) {
    guard width > 0, height > 0 else { throw ImageError(file: file, .zeroSize(width: width, height: height)) }
    let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
    guard width <= UInt64(maxSide), height <= UInt64(maxSide), !overflow, pixels <= UInt64(maxPixels)
    else {
      throw ImageError(file: file, .tooLarge(width: width, height: height, limits: self))
    }
  }
}
