// Screen 7 on a 120-column terminal: the 64 × 128 sinusoidal table shrunk into its pane keeps its
// stripes (pooled by mean, both signs present), where the signed largest magnitude used to turn
// every sin/cos pair into solid red; the pane says how it was pooled, and `p` switches.
import Testing

@testable import AppCore
@testable import Render
@testable import Trace

@Suite struct PositionalPoolingTests {
  /// Foreground and background colours of the PE pane's half blocks.
  func paneColors(_ state: AppState, size: (width: Int, height: Int)) -> [Color] {
    let canvas = AppView.view(state, size: size)
    let (left, _) = PositionalEncodingScreen.panes(size)
    var colors: [Color] = []
    for y in (left.y + 2)..<(left.y + left.height - 1) {
      for x in (left.x + 2)..<(left.x + left.width - 1) where canvas[x, y].character == "▀" {
        colors += [canvas[x, y].foreground, canvas[x, y].background]
      }
    }
    return colors
  }

  /// Positive entries on the diverging map are red (r > b), negative ones blue.
  func signs(_ colors: [Color]) -> (red: Int, blue: Int) {
    let rgb = colors.compactMap(\.rgbComponents).map { (Int($0.0), Int($0.2)) }
    return (rgb.filter { $0.0 > $0.1 + 40 }.count, rgb.filter { $0.1 > $0.0 + 40 }.count)
  }

  @Test func theTableKeepsItsStripesAt120Columns() {
    var state = AppState(trace: sampleTrace(), modelDescription: "", depth: .trueColor)
    state.screen = .positional
    let size = (width: 120, height: 40)
    let mean = signs(paneColors(state, size: size))
    #expect(mean.red > 100 && mean.blue > 100, "mean pooling: \(mean)")
    let text = AppView.view(state, size: size).lines.joined(separator: "\n")
    #expect(text.contains("mean of 3 dims per cell · p max |·|"), "\(text)")
    _ = update(&state, .key(.character("p")), size: size)
    #expect(state.selections.positionalPooling == .maxMagnitude)
    let largest = signs(paneColors(state, size: size))
    // The old picture: the signed largest magnitude of each pair is mostly positive (cos near 0 is
    // where sin is near ±1, and the other way round), far more red than the table has.
    #expect(largest.red > 2 * largest.blue, "max |·| pooling: \(largest)")
    #expect(
      AppView.view(state, size: size).lines.joined().contains("largest |·| of 3 dims per cell · p mean"))
  }
}
