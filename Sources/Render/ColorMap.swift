// Colour maps: a perceptual sequential map for probabilities and a diverging map for signed values.

public struct ColorMap: Sendable {
  /// Control points, evenly spaced over [0, 1].
  let stops: [(Double, Double, Double)]
  /// The middle (t = 0.5) means zero and the ends mean large magnitudes of either sign, so
  /// character fallbacks show magnitude and sign rather than plain intensity.
  public var isDiverging = false

  /// Samples of matplotlib's viridis at 0, 1/8, …, 1 (van der Walt & Smith 2015): perceptually uniform
  /// and readable by colour-blind users; linear interpolation between them.
  public static let viridis = ColorMap(stops: [
    (68, 1, 84), (71, 44, 122), (59, 81, 139), (44, 113, 142), (33, 144, 141), (39, 173, 129),
    (92, 200, 99), (170, 220, 50), (253, 231, 37),
  ])

  /// Blue → near-white → red (ColorBrewer RdBu, reversed), for signed values: pair it with a range
  /// symmetric about zero (`ValueRange.symmetric`) so that zero lands on the white middle.
  public static let diverging = ColorMap(
    stops: [
      (33, 102, 172), (103, 169, 207), (209, 229, 240), (247, 247, 247), (253, 219, 199),
      (239, 138, 98), (178, 24, 43),
    ], isDiverging: true)

  /// The colour at `t` in [0, 1] (clamped; NaN maps to the low end).
  public func color(at t: Double) -> Color {
    let clamped = t.isNaN ? 0 : min(1, max(0, t))
    let position = clamped * Double(stops.count - 1)
    let lower = min(Int(position), stops.count - 2)
    let fraction = position - Double(lower)
    let (a, b) = (stops[lower], stops[lower + 1])
    func mix(_ x: Double, _ y: Double) -> UInt8 { UInt8((x + (y - x) * fraction).rounded()) }
    return .rgb(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
  }

  /// Perceived brightness in [0, 1] of a colour (Rec. 709 luma), to pick readable text on it.
  public static func luminance(_ color: Color) -> Double {
    guard let (r, g, b) = color.rgbComponents else { return 0 }
    return (0.2126 * Double(r) + 0.7152 * Double(g) + 0.0722 * Double(b)) / 255
  }
}

/// Characters that show intensity where colour cannot: shade blocks, or ASCII on terminals without UTF-8.
public enum ShadeRamp {
  public static let blocks: [Character] = [" ", "░", "▒", "▓", "█"]
  public static let ascii: [Character] = [" ", ".", ":", "-", "=", "+", "*", "#", "%", "@"]
  /// Signed ASCII for diverging maps without colour: growing magnitude below zero, then above.
  /// The two sides share no character, so the sign survives in monochrome.
  public static let asciiNegative: [Character] = [" ", ".", "-", "="]
  public static let asciiPositive: [Character] = [" ", "'", "+", "#"]

  public static func character(at t: Double, ramp: [Character]) -> Character {
    let clamped = t.isNaN ? 0 : min(1, max(0, t))
    return ramp[min(ramp.count - 1, Int(clamped * Double(ramp.count - 1) + 0.5))]
  }
}

/// Value ranges for the colour maps.
public enum ValueRange {
  /// −m…m where m is the largest finite magnitude (1 when there is none), so a diverging map puts
  /// zero on its neutral middle whatever the data's skew.
  public static func symmetric(_ values: [[Float]]) -> ClosedRange<Float> {
    let magnitude = values.joined().filter(\.isFinite).map(abs).max() ?? 0
    let m = magnitude > 0 ? magnitude : 1
    return -m...m
  }

  /// Smallest to largest finite value (0…1 when there is none or all are equal).
  public static func extent(_ values: [[Float]]) -> ClosedRange<Float> {
    let finite = values.joined().filter(\.isFinite)
    guard let low = finite.min(), let high = finite.max(), low < high else { return 0...1 }
    return low...high
  }

  /// Where `value` falls in `range`, as t in [0, 1] for a colour map (NaN for NaN).
  public static func position(of value: Float, in range: ClosedRange<Float>) -> Double {
    Double((value - range.lowerBound) / max(1e-12, range.upperBound - range.lowerBound))
  }
}
