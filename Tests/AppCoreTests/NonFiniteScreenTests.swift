// Values that came out of an overflowing model (NaN, ±∞) on the screens that draw bars from them:
// drawn as empty or full bars and printed as such, never a trap converting NaN to Int
// (RELIABILITY.md, class 2).
import Testing

@testable import AppCore
@testable import Render
@testable import Trace

@Suite struct NonFiniteScreenTests {
  @Test func barsTakeAnyValue() {
    #expect(filledCells(fraction: .nan, of: 10) == 0)
    #expect(filledCells(fraction: .infinity, of: 10) == 10)
    #expect(filledCells(fraction: -.infinity, of: 10) == 0)
    #expect(filledCells(fraction: 1e300, of: 10) == 10)
    #expect(filledCells(fraction: 0.5, of: 10) == 5)
    #expect(filledCells(fraction: 0.5, of: -3) == 0)
    let values: [Double] = [.nan, .infinity, -.infinity, 1e30, 0.5]
    let chart = BarChartWidget(items: values.map { BarChartItem(label: "x", value: $0) })
    var canvas = Canvas(width: 60, height: 5)
    chart.draw(into: &canvas, x: 0, y: 0, width: 60, height: 5)
    #expect(
      canvas.lines[0].contains("NaN") && canvas.lines[1].contains("∞") && canvas.lines[2].contains("-∞"))
  }

  @Test func decodeScreenDrawsNaNProbabilities() {
    var run = sampleDecodeRun()
    for step in run.steps.indices {
      run.steps[step].candidates = [
        TokenProbability(token: "ti", probability: .nan),
        TokenProbability(token: "amo", probability: .infinity),
      ]
    }
    var state = AppState(trace: sampleTrace(), modelDescription: "test", depth: .monochrome)
    state.decode.run = run
    state.screen = .decode
    let canvas = AppView.view(state, size: (width: 100, height: 30))
    #expect(
      canvas.lines.contains { $0.contains("nan") || $0.contains("NaN") },
      "\(canvas.lines.joined(separator: "\n"))")
  }
}
