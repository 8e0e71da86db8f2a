// The beam tree screen with a hand-built tree: drawing order, markers, selection keys, a snapshot.
import Testing

@testable import AppCore
@testable import Render

/// <s> → ti → {amo → </s>, voglio → </s>}, and a pruned branch <s> → io → amo.
func sampleTreeRun() -> CompareRun {
  let cross = AttentionRow(
    query: "ti", keys: ["i", "love", "you", "</s>"], weights: [[[1, 0, 0, 0], [0.25, 0.25, 0.25, 0.25]]])
  var run = sampleCompareRun()
  run.tree = [
    BeamNode(token: "<s>", logProb: 0, parent: nil),
    BeamNode(token: "ti", logProb: -0.5, parent: 0, crossAttention: cross),
    BeamNode(token: "io", logProb: -2, parent: 0),
    BeamNode(token: "amo", logProb: -0.75, parent: 1),
    BeamNode(token: "voglio", logProb: -0.625, parent: 1),
    BeamNode(token: "amo", logProb: -3, parent: 2),
    BeamNode(token: "</s>", logProb: -1, parent: 3, finished: true),
    BeamNode(token: "</s>", logProb: -0.75, parent: 4, finished: true),
  ]
  return run
}

@Suite struct BeamTreeScreenTests {
  let size = (width: 100, height: 30)
  func state() -> AppState {
    var s = AppState(trace: sampleTrace(), modelDescription: "test", depth: .monochrome)
    s.screen = .tree
    s.compare.run = sampleTreeRun()
    return s
  }

  @Test func rowsAreDepthFirstBestChildFirstWithMarkers() {
    let rows = BeamTreeScreen.rows(sampleTreeRun())
    #expect(rows.map(\.node) == [0, 1, 4, 7, 3, 6, 2, 5])
    #expect(rows.map(\.kept) == [true, true, true, true, true, true, false, false])
    #expect(rows.map(\.greedy) == [true, true, false, false, true, true, false, false])
    #expect(rows[5].path == ["ti", "amo", "</s>"])
  }

  @Test func keysSelectNodesAndTheScreenReusesTheCompareRun() {
    var s = state()
    s.screen = .attention
    s.compare.run = nil
    #expect(update(&s, .key(.character("4")), size: size) == [.runCompare(width: 4, alpha: 0)])
    s.compare.run = sampleTreeRun()
    #expect(update(&s, .key(.character("3")), size: size) == [])
    #expect(update(&s, .key(.character("4")), size: size) == [])
    for key: Key in [.down, .character("j"), .up, .down, .down] { _ = update(&s, .key(key), size: size) }
    #expect(s.compare.treeNode == 3)
    _ = update(&s, .key(.end), size: size)
    _ = update(&s, .key(.down), size: size)
    #expect(s.compare.treeNode == 7)
    _ = update(&s, .key(.home), size: size)
    _ = update(&s, .key(.character("k")), size: size)
    #expect(s.compare.treeNode == 0)
    #expect(update(&s, .key(.character("+")), size: size) == [.runCompare(width: 5, alpha: 0)])
  }

  @Test func snapshot100x30Monochrome() {
    var s = state()
    s.compare.treeNode = 1
    let lines = trimmed(AppView.view(s, size: size))
    #expect(lines[1].hasSuffix("    beam width 4  α 0.0"), "the tab row, then the screen's header")
    #expect(
      Array(lines[3...10]) == [
        " g <s> 0.000",
        " g ├─ ti -0.500",
        "   │  ├─ voglio -0.625",
        "   │  │  └─ </s> -0.750 ■ end",
        " g │  └─ amo -0.750",
        " g │     └─ </s> -1.000 ■ end",
        "   └─ io -2.000",
        "      └─ amo -3.000",
      ])
    #expect(lines[20] == " cross-attention of 'ti'  layer 1/1  head 1/2")
    #expect(lines[29] == " toy │ beam tree │ node 2/8 │ <s> ti │ log-prob -0.5000 score -0.5000")
    s.compare.treeNode = 7
    let pruned = trimmed(AppView.view(s, size: size))
    #expect(
      pruned[29] == " toy │ beam tree │ node 8/8 │ <s> io amo │ log-prob -3.0000 score -3.0000 │ pruned")
    #expect(!pruned.contains { $0.hasPrefix(" cross-attention") }, "no attention recorded there")
    let canvas = AppView.view(s, size: size)
    #expect(canvas[9, 10].attributes.contains(.reverse))
    #expect(canvas[9, 9].attributes.contains(.dim))
    #expect(canvas[9, 4].attributes.contains(.bold))
  }

  @Test func neverKeptCandidatesAreDimmedLeaves() {
    var s = state()
    s.compare.run!.tree.append(BeamNode(token: "vi", logProb: -2.5, parent: 0, neverKept: true))
    let rows = BeamTreeScreen.rows(s.compare.run!)
    #expect(rows.map(\.node) == [0, 1, 4, 7, 3, 6, 2, 5, 8], "sorted among its siblings by log-prob")
    #expect(rows[8].kept == false && rows[8].greedy == false)
    s.compare.treeNode = 8
    let lines = trimmed(AppView.view(s, size: size))
    #expect(lines[10] == "   │  └─ amo -3.000" && lines[11] == "   └─ vi -2.500 ✗")
    #expect(lines[29] == " toy │ beam tree │ node 9/9 │ <s> vi │ log-prob -2.5000 score -2.5000 │ never kept")
    s.compare.treeNode = 0
    #expect(AppView.view(s, size: size)[5, 11].attributes.contains(.dim))
  }
}
