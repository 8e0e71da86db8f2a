// Which pixels a shape covers: an exact point-in-shape test at each pixel's centre (x + 0.5,
// y + 0.5), the sampling rule of the usual scanline rasterisers (no anti-aliasing, so the
// coverage mask and the painted pixels are the same set).

/// The shapes of the `shapes` task. Each fits in a `size` × `size` box around its centre.
public enum ShapeKind: Int, CaseIterable, Sendable {
  case circle, square, triangle, cross, ring, diamond

  public var name: String {
    switch self {
    case .circle: "circle"
    case .square: "square"
    case .triangle: "triangle"
    case .cross: "cross"
    case .ring: "ring"
    case .diamond: "diamond"
    }
  }

  /// Whether offset (dx, dy) from the centre is inside, for a box of half-side `half`.
  public func contains(dx: Float, dy: Float, half: Float) -> Bool {
    switch self {
    case .circle:
      return dx * dx + dy * dy <= half * half
    case .square:
      return abs(dx) <= half && abs(dy) <= half
    case .triangle:
      // Apex up at (0, −half), base along dy = half; the half-width grows linearly to half.
      return dy >= -half && dy <= half && abs(dx) <= (dy + half) / 2
    case .cross:
      let arm = ShapeKind.crossArmHalfWidth(half: half)
      return (abs(dx) <= arm && abs(dy) <= half) || (abs(dy) <= arm && abs(dx) <= half)
    case .ring:
      let r2 = dx * dx + dy * dy
      let inner = ShapeKind.ringInnerRadius(half: half)
      return r2 <= half * half && r2 >= inner * inner
    case .diamond:
      return abs(dx) + abs(dy) <= half
    }
  }

  /// A third of the box, at least 1 px each side, so the arms stay visible at size 8.
  static func crossArmHalfWidth(half: Float) -> Float { max(1, half / 3) }

  /// The hole takes the middle 60 % of the radius but the band stays ≥ 2 px, so a small ring is
  /// not read as a circle.
  static func ringInnerRadius(half: Float) -> Float { max(0, half - max(2, 0.4 * half)) }
}

public enum ShapeRasterizer {
  /// `[height][width]` coverage of `shape` in a `size` box centred at (centerX, centerY) in pixel
  /// coordinates (the top-left corner of the image is (0, 0), pixel (x, y) spans [x, x + 1)).
  public static func coverage(
    _ shape: ShapeKind, size: Float, centerX: Float, centerY: Float, width: Int, height: Int
  ) -> [Bool] {
    var mask = [Bool](repeating: false, count: width * height)
    let half = size / 2
    // Only the bounding box can be covered; clamped to the image.
    let x0 = max(0, Int((centerX - half).rounded(.down)))
    let x1 = min(width - 1, Int((centerX + half).rounded(.up)))
    let y0 = max(0, Int((centerY - half).rounded(.down)))
    let y1 = min(height - 1, Int((centerY + half).rounded(.up)))
    guard x0 <= x1, y0 <= y1 else { return mask }
    for y in y0...y1 {
      for x in x0...x1
      where shape.contains(dx: Float(x) + 0.5 - centerX, dy: Float(y) + 0.5 - centerY, half: half) {
        mask[y * width + x] = true
      }
    }
    return mask
  }
}
