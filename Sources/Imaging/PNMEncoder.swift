// PGM/PPM writer (netpbm.sourceforge.net/doc/pgm.html, ppm.html): binary P5/P6, maxval 255.

extension PNM {
  /// P5 for a grey image, P6 for RGB; samples clamped to [0, 1] and rounded to 0…255.
  public static func encode(_ image: Image) -> [UInt8] {
    let magic = image.channels == 1 ? "P5" : "P6"
    var bytes = Array("\(magic)\n\(image.width) \(image.height)\n255\n".utf8)
    bytes.reserveCapacity(bytes.count + image.pixels.count)
    bytes.append(contentsOf: quantize8(image.pixels))
    return bytes
  }
}

/// Float in [0, 1] to 0…255 with round-half-away (NaN as 0), the inverse of the readers' v / 255.
func quantize8(_ samples: [Float]) -> [UInt8] {
  samples.map { value in
    guard value > 0 else { return 0 }  // also NaN
    return value >= 1 ? 255 : UInt8((value * 255).rounded())
  }
}
