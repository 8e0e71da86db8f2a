// Pillow's bilinear resize of 8-bit images, reproduced to the bit: what `Image.resize(size,
// Image.BILINEAR)` computes in Pillow's libImaging/Resample.c (precompute_coeffs,
// normalize_coeffs_8bpc, ImagingResampleHorizontal_8bpc / Vertical_8bpc). Unlike PyTorch's
// bilinear (Resize.swift) it widens the triangle filter by the scale when shrinking (antialiasing)
// and works in 22-bit fixed point, rounding to 8 bits after each pass. Hugging Face's ViT image
// processor resizes with it, so a Hugging Face ViT sees the same pixels here as in transformers.

extension Image {
  /// This image as 8-bit samples resized like Pillow's BILINEAR filter: horizontal pass first, then
  /// vertical, each rounded to 8 bits; returned as floats k/255.
  public func resizedLikePillow(height outHeight: Int, width outWidth: Int) -> Image {
    precondition(outHeight > 0 && outWidth > 0, "resized to \(outHeight)×\(outWidth)")
    // Pillow holds 8-bit samples: quantise first, as converting to a PIL image does.
    var samples = pixels.map { Int32((min(max($0, 0), 1) * 255).rounded()) }
    var (currentWidth, currentHeight) = (width, height)
    if outWidth != width {
      samples = PillowResampler.pass(
        samples, lines: currentHeight, inputSize: width, outputSize: outWidth, channels: channels,
        horizontal: true)
      currentWidth = outWidth
    }
    if outHeight != height {
      samples = PillowResampler.pass(
        samples, lines: currentWidth, inputSize: height, outputSize: outHeight, channels: channels,
        horizontal: false)
      currentHeight = outHeight
    }
    return Image(
      width: currentWidth, height: currentHeight, channels: channels, pixels: samples.map { Float($0) / 255 })
  }
}

enum PillowResampler {
  /// Pillow's PRECISION_BITS for 8-bit images: 32 − 8 − 2.
  static let precisionBits: Int32 = 22

  /// For each output index: the first input index and the fixed-point weights of its window.
  static func coefficients(inputSize: Int, outputSize: Int) -> [(first: Int, weights: [Int32])] {
    let scale = Double(inputSize) / Double(outputSize)
    let filterScale = max(scale, 1)
    let support = 1.0 * filterScale  // the bilinear (triangle) filter's support is 1
    return (0..<outputSize).map { index in
      let center = (Double(index) + 0.5) * scale
      let first = max(Int(center - support + 0.5), 0)  // C's (int) truncates; both are ≥ 0 here
      let last = min(Int(center + support + 0.5), inputSize)
      var weights = (first..<last).map { x -> Double in
        let t = abs((Double(x) - center + 0.5) / filterScale)
        return t < 1 ? 1 - t : 0
      }
      let total = weights.reduce(0, +)
      if total != 0 { weights = weights.map { $0 / total } }
      let one = Double(Int64(1) << Int64(precisionBits))
      return (first, weights.map { Int32($0 < 0 ? (-0.5 + $0 * one) : (0.5 + $0 * one)) })
    }
  }

  /// One pass along rows (`horizontal`) or columns of an HWC image of 8-bit samples.
  static func pass(
    _ samples: [Int32], lines: Int, inputSize: Int, outputSize: Int, channels: Int, horizontal: Bool
  ) -> [Int32] {
    let taps = coefficients(inputSize: inputSize, outputSize: outputSize)
    var out = [Int32](repeating: 0, count: lines * outputSize * channels)
    // Index of sample (line, position, channel) in the input and the output layouts (HWC).
    func inputIndex(_ line: Int, _ position: Int, _ c: Int) -> Int {
      horizontal ? (line * inputSize + position) * channels + c : (position * lines + line) * channels + c
    }
    func outputIndex(_ line: Int, _ position: Int, _ c: Int) -> Int {
      horizontal ? (line * outputSize + position) * channels + c : (position * lines + line) * channels + c
    }
    for line in 0..<lines {
      for (position, tap) in taps.enumerated() {
        for c in 0..<channels {
          var sum = Int64(1) << Int64(precisionBits - 1)
          for (offset, weight) in tap.weights.enumerated() {
            sum += Int64(samples[inputIndex(line, tap.first + offset, c)]) * Int64(weight)
          }
          out[outputIndex(line, position, c)] = Int32(clamping: min(max(sum >> Int64(precisionBits), 0), 255))
        }
      }
    }
    return out
  }
}
