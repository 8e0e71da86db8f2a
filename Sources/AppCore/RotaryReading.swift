// What screen 7 says about a rotary table (RoPE; Su et al. 2021, "RoFormer"): row p holds
// sin(p·fᵢ), cos(p·fᵢ) for each dimension pair i, so the dot product of rows p and q is
// Σᵢ cos((p − q)·fᵢ): q·k of a fixed pair of vectors (q = k, every pair the same unit vector)
// placed p − q tokens apart. Divided by its value at distance 0 (the number of pairs), that is the
// fall-off with distance the similarity pane draws (its cosine similarity is exactly this ratio).
import Foundation
import Render

public struct RotaryReading: Sendable, Equatable {
  /// fᵢ in radians per token, pair 0 first (the fastest).
  public var frequencies: [Float]

  public init(frequencies: [Float]) { self.frequencies = frequencies }

  /// The table's frequencies: the ones the host sent, else, for a table whose name says "rotary",
  /// read back from row 1 (sin fᵢ, cos fᵢ: atan2 is exact there because every fᵢ ≤ 1 < π).
  /// nil for any other table, or one whose columns are not sin/cos pairs of them.
  public static func of(_ table: PositionalTable) -> RotaryReading? {
    let columns = table.values.first?.count ?? 0
    if let frequencies = table.rotaryFrequencies, !frequencies.isEmpty, columns == 2 * frequencies.count {
      return RotaryReading(frequencies: frequencies)
    }
    guard table.name.contains("rotary"), table.values.count > 1, columns >= 2, columns % 2 == 0 else {
      return nil
    }
    let row = table.values[1]
    return RotaryReading(frequencies: stride(from: 0, to: columns, by: 2).map { atan2(row[$0], row[$0 + 1]) })
  }

  public var pairs: Int { frequencies.count }

  /// 2π / fᵢ: how many tokens pair i takes to turn once.
  public func wavelength(pair: Int) -> Double {
    let frequency = Double(frequencies[min(max(0, pair), pairs - 1)])
    return frequency > 0 ? 2 * Double.pi / frequency : .infinity
  }

  /// Σᵢ cos(d·fᵢ) / pairs: q·k of the fixed pair at distance d as a fraction of its value at 0.
  public func falloff(distance: Int) -> Double {
    guard pairs > 0 else { return 0 }
    let d = Double(distance)
    return frequencies.reduce(0) { $0 + cos(d * Double($1)) } / Double(pairs)
  }

  /// `falloff` at distances 0 ..< count, for the plot.
  public func falloffCurve(count: Int) -> [Float] {
    (0..<max(0, count)).map { Float(falloff(distance: $0)) }
  }

  /// "6.3", "1.5e+04": a wavelength or frequency short enough for a title.
  static func short(_ value: Double) -> String {
    guard value.isFinite else { return "∞" }
    return value >= 10_000 || (value < 0.01 && value > 0)
      ? String(format: "%.1e", value) : String(format: value >= 100 ? "%.0f" : "%.3g", value)
  }

  /// For the sin/cos pane's lower edge, longest first: "pairs 1…32: wavelength 2π/fᵢ 6.28 … 6.3e+04
  /// tokens", then shorter forms of it.
  var wavelengthRange: [String] {
    guard pairs > 0 else { return [] }
    let range = "\(Self.short(wavelength(pair: 0))) … \(Self.short(wavelength(pair: pairs - 1))) tokens"
    return [
      "pairs 1…\(pairs) left to right: wavelength 2π/fᵢ " + range, "wavelength 2π/fᵢ " + range,
      "2π/fᵢ " + range,
    ]
  }

  /// The sin/cos pane's title, longest first.
  func encodingTitles(positions: Int) -> [String] {
    [
      "sin, cos(p·fᵢ) of each pair's angle: \(positions) positions × \(pairs) pairs",
      "sin, cos(p·fᵢ): \(positions) positions × \(pairs) pairs",
      "sin, cos(p·fᵢ) · \(positions) pos × \(pairs) pairs",
    ]
  }

  /// The right pane's title, longest first: the formula and what it means.
  func similarityTitles(plot: Bool) -> [String] {
    plot
      ? [
        "q·k of a fixed pair of vectors against distance d: Σᵢ cos(d·fᵢ) / \(pairs)",
        "q·k against distance d: Σᵢ cos(d·fᵢ)/\(pairs)", "q·k(d) = Σᵢ cos(d·fᵢ)/\(pairs), d = p−q",
      ]
      : [
        "Σᵢ cos((p−q)·fᵢ) / \(pairs): q·k of a fixed pair of vectors at distance p − q",
        "Σᵢ cos((p−q)fᵢ)/\(pairs): q·k at distance p−q", "q·k(p−q) = Σᵢ cos((p−q)fᵢ)/\(pairs)",
      ]
  }

  /// The first of `candidates` that fits `width` columns (the last one cut to fit otherwise).
  static func longestFitting(_ candidates: [String], _ width: Int) -> String {
    candidates.first { $0.count <= width } ?? Heatmap.fitted(candidates.last ?? "", width)
  }

  /// The sin/cos pane's cursor: pair i's frequency, its wavelength in tokens and the value there.
  func describe(position: String, column: Int, value: Float) -> String {
    let pair = min(column / 2, pairs - 1)
    let function = column % 2 == 0 ? "sin" : "cos"
    return "pair \(pair + 1)/\(pairs): fᵢ \(Self.short(Double(frequencies[pair]))) rad/token, 2π/fᵢ "
      + "\(Self.short(wavelength(pair: pair))) │ \(function)(\(position)·fᵢ) = "
      + String(format: "%.4f", Double(value))
  }

  /// The fall-off readout at one distance.
  func describe(distance: Int) -> String {
    "distance \(distance): q·k is " + String(format: "%.4f", falloff(distance: distance))
      + " of its value at 0 (Σᵢ cos(\(distance)·fᵢ)/\(pairs))"
  }
}
