// The screens' frame budget (issue 5): a full 200×60 model view of 12 layers × 12 heads of 32×32
// built and encoded in ≤ 5 ms, and the bytes a cursor move writes against a full frame's.
import AppCore
import Foundation
import Render
import Trace

extension AttnscopeBench {
  static func screenRows() {
    let (layers, heads, tokens) = (12, 12, 32)
    let trace = syntheticTrace(layers: layers, heads: heads, tokens: tokens)
    Bench.printHeader(
      "screens: model view of \(layers) layers × \(heads) heads of \(tokens)×\(tokens), terminal 200×60")
    let frames: (Double) -> String = { fixed(1 / $0, 0) + " frames/s" }
    for depth in [ColorDepth.trueColor, .palette256] {
      var state = AppState(trace: trace, modelDescription: "synthetic", depth: depth)
      state.screen = .modelView
      Bench.row("AppView.view, model view 200×60 (\(depth.rawValue))", derive: frames) {
        consume(AppView.view(state, size: (200, 60)))
      }
      var bytes = 0
      Bench.row(
        "view + full frame bytes (\(depth.rawValue))", derive: { frames($0) + ", \(bytes) bytes" }
      ) {
        let frame = FrameBytes.encode(previous: nil, next: AppView.view(state, size: (200, 60)), depth: depth)
        bytes = frame.count
        consume(frame)
      }
      // A cursor move: only the labels, the cursor marks and the status line change.
      func reportMove(_ what: String, _ state: AppState, _ move: (inout AppState) -> Void) {
        var moved = state
        move(&moved)
        let (before, after) = (AppView.view(state, size: (200, 60)), AppView.view(moved, size: (200, 60)))
        let full = FrameBytes.encode(previous: nil, next: after, depth: depth).count
        let incremental = FrameBytes.encode(previous: before, next: after, depth: depth).count
        print(
          "  cursor move (\(what)), \(depth.rawValue): \(incremental) bytes vs \(full) for a full frame "
            + "(\(fixed(100 * Double(incremental) / Double(max(1, full)), 1)) %)")
      }
      reportMove("next head", state) { $0.head += 1 }
      var attention = state
      attention.screen = .attention
      reportMove("attention screen", attention) { $0.cursorColumn += 1 }
    }
    longInputRows()
  }

  /// Issue 17 item 3: key to frame on the attention screen at 4,096 tokens once the layer is
  /// computed (budget 16 ms): `update` for the key, then `AppView.view`. "new grid" rows start each
  /// iteration from a fresh state (an empty memo), so the whole 4,096² head is pooled again.
  static func longInputRows() {
    let tokens = 4096
    let trace = longTrace(tokens: tokens, heads: 2)
    for size in [(width: 200, height: 60), (width: 80, height: 24)] {
      Bench.printHeader(
        "screens: attention screen at \(tokens) tokens (2 heads, causal), \(size.width)×\(size.height), key to frame"
      )
      let frame: (Double) -> String = { fixed($0 * 1000, 2) + " ms (budget 16)" }
      let overview = AppState(trace: trace, modelDescription: "synthetic", depth: .trueColor)
      func keys(_ state: AppState, _ keys: [Key]) -> AppState {
        var state = state
        for key in keys { _ = update(&state, .key(key), size: size) }
        return state
      }
      // The state is made before timing (making one fingerprints every head of a held trace);
      // `anew` rows empty the pooled-grid memo first, so the key pools the matrix again.
      func row(_ name: String, from start: AppState, _ pressed: [Key], anew: Bool = false) {
        Bench.row(name, minIterations: 5, maxIterations: 200, derive: frame) {
          var state = start
          if anew { state.attentionMemo.removeAll() }
          for key in pressed { _ = update(&state, .key(key), size: size) }
          consume(AppView.view(state, size: size))
        }
      }
      _ = AppView.view(overview, size: size)  // the overview's grid in the memo
      row("overview: l (cursor, grid kept)", from: overview, [.character("l")])
      row(
        "overview: ] (next head, new grid)",
        from: overview, [.character("]")], anew: true)
      row(
        "overview: p (mean pooling, new grid)",
        from: overview, [.character("p")], anew: true)
      row(
        "overview: z (zoom in, new grid)",
        from: overview, [.character("z")], anew: true)
      var closest = overview
      while closest.selections.attentionScale != .cells(width: 1) {
        closest = keys(closest, [.character("z")])
      }
      _ = AppView.view(closest, size: size)
      row("one key per cell: l (cursor)", from: closest, [.character("l")])
      row("one key per cell: ] (next head)", from: closest, [.character("]")])
      let typed = keys(closest, [.character("/")] + "t3000".map { Key.character($0) })
      row("one key per cell: / t3000 Enter (jump)", from: typed, [.enter])
    }
  }

  /// One causal layer of `heads` heads over `tokens` tokens, each row a random distribution over
  /// the keys it may see (64 MB per head and per array at 4,096 tokens).
  static func longTrace(tokens: Int, heads: Int) -> AttentionTrace {
    let labels = (0..<tokens).map { "t\($0)" }
    var generator = SystemRandomNumberGenerator()
    var weights = [Float](repeating: 0, count: heads * tokens * tokens)
    var scores = [Float](repeating: -.infinity, count: heads * tokens * tokens)
    for row in 0..<(heads * tokens) {
      let query = row % tokens
      let start = row * tokens
      var total: Float = 0
      for key in 0...query {
        let value = Float.random(in: 0...1, using: &generator)
        weights[start + key] = value
        scores[start + key] = value
        total += value
      }
      for key in 0...query { weights[start + key] /= total }
    }
    let entry = AttentionEntry(
      stack: .decoder, kind: .masked, layer: 0, heads: heads, queries: labels, keys: labels, weights: weights,
      scores: scores)
    return AttentionTrace(model: "synthetic", tokens: TokenLabels(decoder: labels), attention: [entry])
  }

  static func syntheticTrace(layers: Int, heads: Int, tokens: Int) -> AttentionTrace {
    let labels = (0..<tokens).map { "t\($0)" }
    var generator = SystemRandomNumberGenerator()
    let entries = (0..<layers).map { layer in
      var weights: [Float] = []
      for _ in 0..<(heads * tokens) {
        let row = (0..<tokens).map { _ in Float.random(in: 0...1, using: &generator) }
        let total = row.reduce(0, +)
        weights += row.map { $0 / total }
      }
      return AttentionEntry(
        stack: .encoder, kind: .self, layer: layer, heads: heads, queries: labels, keys: labels,
        weights: weights,
        scores: weights)
    }
    return AttentionTrace(model: "synthetic", tokens: TokenLabels(encoder: labels), attention: entries)
  }
}

/// What an incremental terminal writes to show `next` over `previous` (nil: a full frame): for each
/// run of changed cells in a row, a cursor move (CUP), then SGR only where the style changes, then
/// the characters in UTF-8. ncurses writes in the same spirit (curs_refresh(3X)); this counts its
/// bytes without a terminal.
enum FrameBytes {
  static func encode(previous: Canvas?, next: Canvas, depth: ColorDepth) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(next.width * next.height * 8)
    // SGR sequences per style, built once (a terminal backend caches colour pairs the same way).
    var sequences: [Cell: [UInt8]] = [:]
    var style: Cell? = nil
    let comparable = previous.map { $0.width == next.width && $0.height == next.height } ?? false
    for y in 0..<next.height {
      var x = 0
      while x < next.width {
        let index = y * next.width + x
        if comparable, previous!.cells[index] == next.cells[index] {
          x += 1
          continue
        }
        out += Array("\u{1B}[\(y + 1);\(x + 1)H".utf8)
        while x < next.width {
          let index = y * next.width + x
          if comparable, previous!.cells[index] == next.cells[index] { break }
          let cell = next.cells[index]
          var key = cell
          key.character = " "
          if style != key {
            if let sequence = sequences[key] {
              out += sequence
            } else {
              let sequence = Array(ANSIExporter.sgr(for: cell, depth: depth).utf8)
              sequences[key] = sequence
              out += sequence
            }
            style = key
          }
          if let ascii = cell.character.asciiValue {
            out.append(ascii)
          } else {
            out += Array(cell.character.utf8)
          }
          x += 1
        }
      }
    }
    return out
  }
}
