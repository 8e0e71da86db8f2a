// Sampling on screen 2: greedy or sampled, with temperature, top-k, top-p and the seed from the
// keyboard (Hugging Face's processor order: temperature, then top-k, then top-p — Decoding's
// `Sampling.processors`). A sampled step shows the model's distribution and, beside it, the one
// the draw was made from.
import Foundation
import Render

/// What screen 2 decodes with; kept across inputs and models (it is the user's choice, not the run's).
public struct SamplingSettings: Sendable, Equatable {
  /// false: greedy (the default), true: a seeded sample.
  public var sampling = false
  /// Temperature in tenths, so ±0.1 never drifts (0.1 … 5.0).
  public var temperatureTenths = 10
  /// 0: every token.
  public var topK = 0
  /// Top-p in hundredths (5 … 100; 100 keeps every token).
  public var topPHundredths = 100
  public var seed: UInt64 = 0

  public init() {}

  public var temperature: Float { Float(temperatureTenths) / 10 }
  public var topP: Float { Float(topPHundredths) / 100 }

  static let temperatureTenthsRange = 1...50
  static let topKRange = 0...100
  static let topPRange = 5...100

  /// The header's line, e.g. "sample · T 0.7 · top-k 5 · top-p 0.90 · seed 3".
  public var line: String {
    guard sampling else { return "greedy · g samples" }
    let k = topK == 0 ? "all" : "\(topK)"
    return "sample · T " + String(format: "%.1f", Double(temperature)) + " · top-k \(k) · top-p "
      + String(format: "%.2f", Double(topP)) + " · seed \(seed) · g greedy"
  }
}

/// The distribution a sampled step was drawn from: its most probable tokens and how many kept
/// any probability after the filters.
public struct FilteredDistribution: Equatable, Sendable {
  public var candidates: [TokenProbability]
  public var kept: Int

  public init(candidates: [TokenProbability], kept: Int) {
    self.candidates = candidates
    self.kept = kept
  }
}

/// Screen 2's sampling keys: `g` greedy / sample, `t T` temperature ±0.1, `u U` top-k ±1, `v V`
/// top-p ±0.05, `r R` the next / previous seed. A change re-decodes at once; nil for other keys.
func handleSamplingKey(_ key: Key, _ state: inout AppState) -> [Effect]? {
  var s = state.sampling
  switch key {
  case .character("g"): s.sampling.toggle()
  case .character("t"): s.temperatureTenths += 1
  case .character("T"): s.temperatureTenths -= 1
  case .character("u"): s.topK += 1
  case .character("U"): s.topK -= 1
  case .character("v"): s.topPHundredths += 5
  case .character("V"): s.topPHundredths -= 5
  case .character("r"): s.seed &+= 1
  case .character("R"): s.seed &-= 1
  default: return nil
  }
  s.temperatureTenths = min(
    max(s.temperatureTenths, SamplingSettings.temperatureTenthsRange.lowerBound),
    SamplingSettings.temperatureTenthsRange.upperBound)
  s.topK = min(max(s.topK, SamplingSettings.topKRange.lowerBound), SamplingSettings.topKRange.upperBound)
  s.topPHundredths = min(
    max(s.topPHundredths, SamplingSettings.topPRange.lowerBound), SamplingSettings.topPRange.upperBound)
  // A filter changed while greedy: switch to sampling, where it means something.
  if key != .character("g"), !s.sampling { s.sampling = true }
  let changed = s != state.sampling
  state.sampling = s  // the line under the target says the new settings
  guard changed, state.decodingEnabled else { return [] }
  state.decode.playing = false
  (state.decode.run, state.decode.problem) = (nil, nil)
  return [.runDecode]
}

enum DecodeSamplingView {
  /// The sampled step's filtered distribution as bars (`x`, `width`), or nothing for a greedy step.
  static func drawFiltered(
    _ state: AppState, _ step: DecodeStepView, into canvas: inout Canvas, x: Int, y: Int, width: Int,
    height: Int
  ) {
    guard let filtered = step.filtered, height >= 2, width > 10 else { return }
    canvas.put(
      "after T, top-k, top-p (\(filtered.kept) kept)", x: x, y: y, attributes: [.bold], maxWidth: width)
    var bars = BarChartWidget(
      items: filtered.candidates.map {
        BarChartItem(label: $0.token, value: Double($0.probability), marked: $0.token == step.chosen)
      })
    bars.glyphs = state.glyphs
    bars.scale = 1
    bars.maxLabelWidth = 12
    bars.markedNote = "drawn"
    bars.draw(into: &canvas, x: x, y: y + 1, width: width, height: height - 1)
  }
}
