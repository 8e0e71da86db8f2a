// Bilinear resize with PyTorch's convention: torch.nn.functional.interpolate(mode="bilinear",
// align_corners=False, antialias=False) given an output size (docs: pytorch.org/docs/stable/generated/
// torch.nn.functional.interpolate.html; kernel: aten/src/ATen/native/UpSample.h,
// area_pixel_compute_source_index and guard_index_and_lambda).

extension Image {
  /// This image resampled to `height` × `width`, each channel separately.
  ///
  /// Half-pixel centres: output pixel `i` samples source coordinate `(i + 0.5) · in/out − 0.5`,
  /// clamped below at 0 (PyTorch's clamp, so the first row/column copies the edge), and the upper
  /// neighbour index stops at the last row/column. No antialiasing: a large downscale skips source
  /// pixels, exactly as `interpolate(..., antialias=False)` does (torchvision's Resize antialiases
  /// by default, so it differs from this when shrinking).
  public func resized(height outHeight: Int, width outWidth: Int) -> Image {
    precondition(outHeight > 0 && outWidth > 0, "resized to \(outHeight)×\(outWidth)")
    if outHeight == height && outWidth == width { return self }
    let rows = Self.taps(input: height, output: outHeight)
    let columns = Self.taps(input: width, output: outWidth)
    var out = [Float](repeating: 0, count: outHeight * outWidth * channels)
    for (y, row) in rows.enumerated() {
      for (x, column) in columns.enumerated() {
        for c in 0..<channels {
          let top = row.w0 * (column.w0 * self[row.i0, column.i0, c] + column.w1 * self[row.i0, column.i1, c])
          let bottom =
            row.w1 * (column.w0 * self[row.i1, column.i0, c] + column.w1 * self[row.i1, column.i1, c])
          out[(y * outWidth + x) * channels + c] = top + bottom
        }
      }
    }
    return Image(width: outWidth, height: outHeight, channels: channels, pixels: out)
  }

  /// For one axis: each output index's two source indices and their weights (w0 + w1 = 1).
  static func taps(input: Int, output: Int) -> [(i0: Int, i1: Int, w0: Float, w1: Float)] {
    // PyTorch computes the scale as input / output in the op's float type when a size is given.
    let scale = Float(input) / Float(output)
    return (0..<output).map { index in
      let source = max((Float(index) + 0.5) * scale - 0.5, 0)
      let i0 = min(Int(source), input - 1)
      let i1 = i0 < input - 1 ? i0 + 1 : i0
      let w1 = min(source - Float(i0), 1)
      return (i0, i1, 1 - w1, w1)
    }
  }
}
