// Decoding rows of attnscope-bench (issue 4's bars): one cached step of each bundled sample with
// attention recorded, a width-8 beam step against a greedy step, and keypress → frame on the decode
// and compare screens (update + view + the frame's bytes).
import AppCore
import Decoding
import Foundation
import Render
import Trace
import ViewerHost
import Workbench

extension AttnscopeBench {
  static let sampleNames = ["en-it", "reverse", "induction"]
  static let endID = 2  // Vocabulary.endID

  static func decodingRows() throws {
    Bench.printHeader("decoding: one cached step of each sample, attention recorded (bar ≤ 1 ms)")
    var loadedSamples: [LoadedModel] = []
    for name in sampleNames {
      guard let (folder, resolved) = ModelCatalog.resolve(name) else {
        print("  (skipped: sample \(name) not found; run from the repository root)")
        continue
      }
      let loaded = try LoadedModel(folder: folder, name: resolved)
      loadedSamples.append(loaded)
      let source = try loaded.decodingSource(text: loaded.config.defaultText ?? "")
      try stepRows(loaded.stepModel(source), name: resolved, source: source)
    }
    guard let enIt = loadedSamples.first(where: { $0.name == "en-it" }) else { return }
    try frameRows(enIt)
  }

  /// From the middle of the greedy output: a greedy step, 8 hypotheses stepped as one batch and
  /// one by one, then whole decodes per step (greedy vs a width-8 beam, search bookkeeping included).
  static func stepRows<Model: StepModel>(_ model: Model, name: String, source: DecodingSource) throws {
    let options = DecodingOptions(startToken: source.firstToken, endToken: endID, maxLength: 20)
    let greedy = try GreedySearch.decode(model, options: options)
    var base = try model.start()
    var token = source.firstToken
    var output = try model.step(&base, token: token)
    let fed = greedy.hypotheses[0].tokens.prefix(greedy.hypotheses[0].tokens.count / 2)
    for next in fed {
      token = next
      output = try model.step(&base, token: token)
    }
    let position = source.prefill.count + 1 + fed.count  // positions cached before the timed step
    let top8 = output.logProbs.indices.sorted { output.logProbs[$0] > output.logProbs[$1] }.prefix(8)
    let nextToken = top8.first!
    let greedyStep = Bench.row("\(name): greedy step at position \(position)") {
      var state = base
      consume(try! model.step(&state, token: nextToken))
    }
    let batched = Bench.row("\(name): 8 hypotheses, one stepBatch") {
      var states = Array(repeating: base, count: 8)
      consume(try! model.stepBatch(&states, tokens: Array(top8)))
    }
    let separate = Bench.row("\(name): 8 hypotheses, 8 single steps") {
      var states = Array(repeating: base, count: 8)
      for index in states.indices {
        consume(try! model.step(&states[index], token: top8[top8.startIndex + index]))
      }
    }
    Bench.row("\(name): start() (encoder pass or prompt prefill)") { consume(try! model.start()) }
    var greedySteps = 1
    let greedyDecode = Bench.row("\(name): GreedySearch.decode, whole output") {
      greedySteps = try! GreedySearch.decode(model, options: options).steps.count
    }
    var beamSteps = 1
    let beamDecode = Bench.row("\(name): BeamSearch.decode width 8, whole output") {
      beamSteps = try! BeamSearch.decode(model, width: 8, options: options).steps.count
    }
    let perGreedy = greedyDecode.median / Double(greedySteps)
    let perBeam = beamDecode.median / Double(beamSteps)
    print(
      "  \(name): width-8 step ÷ greedy step: batched \(fixed(batched.median / greedyStep.median, 2))×, "
        + "one by one \(fixed(separate.median / greedyStep.median, 2))×; whole decodes per step: "
        + "\(formatTime(perBeam)) ÷ \(formatTime(perGreedy)) = \(fixed(perBeam / perGreedy, 2))× "
        + "(\(beamSteps) and \(greedySteps) steps)")
  }

  /// Keypress → frame ready: `update` + `AppView.view` + the frame as the bytes a full repaint
  /// writes (ANSIExporter; a real draw writes only the changed cells, counted alongside).
  static func frameRows(_ loaded: LoadedModel) throws {
    let text = loaded.config.defaultText ?? ""
    // The viewer's own host code (ViewerHost) builds the runs, as in the TUI.
    let trace = try loaded.trace(text: text).trace
    var state = AppState(trace: trace, modelDescription: "en-it", depth: .palette256)
    state.screen = .decode
    _ = update(&state, .decoded(try loaded.decodeRun(text: text)))
    for size in [(width: 100, height: 30), (width: 200, height: 60)] {
      Bench.printHeader("keypress → frame, en-it decode screen \(size.width)×\(size.height) (bar ≤ 16 ms)")
      let previous = AppView.view(state, size: size)
      var changed = 0
      var bytes = 0
      Bench.row("→: update + view") {
        var s = state
        _ = update(&s, .key(.right), size: size)
        consume(AppView.view(s, size: size))
      }
      Bench.row(
        "→: update + view + full-frame ANSI (256 colours)",
        derive: { _ in "\(bytes) bytes full frame, \(changed) cells changed" }
      ) {
        var s = state
        _ = update(&s, .key(.right), size: size)
        let canvas = AppView.view(s, size: size)
        changed = changedCells(previous, canvas)
        let frame = ANSIExporter.render(canvas, depth: .palette256)
        bytes = frame.utf8.count
        consume(frame)
      }
    }
    // The compare screen: picking a step redraws; + re-decodes (greedy and beam 5) before drawing.
    let size = (width: 100, height: 30)
    state.screen = .compare
    _ = update(&state, .compared(try loaded.compareRun(text: text, width: 4, alpha: 0)))
    Bench.printHeader("keypress → frame, en-it compare screen \(size.width)×\(size.height) (bar ≤ 16 ms)")
    Bench.row("→ (pick the next step): update + view + ANSI") {
      var s = state
      _ = update(&s, .key(.right), size: size)
      consume(ANSIExporter.render(AppView.view(s, size: size), depth: .palette256))
    }
    Bench.row("+ (beam 5): update + greedy + beam decodes + view + ANSI") {
      var s = state
      _ = update(&s, .key(.character("+")), size: size)
      _ = update(&s, .compared(try! loaded.compareRun(text: text, width: 5, alpha: 0)))
      consume(ANSIExporter.render(AppView.view(s, size: size), depth: .palette256))
    }
  }

  static func changedCells(_ a: Canvas, _ b: Canvas) -> Int {
    var count = 0
    for y in 0..<min(a.height, b.height) {
      for x in 0..<min(a.width, b.width) where a[x, y] != b[x, y] { count += 1 }
    }
    return count
  }
}
