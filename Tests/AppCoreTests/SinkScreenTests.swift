// The attention sink view (`w`) and grouped-query heads on screens 1, 2 and 5: the renormalised
// numbers, the sink's mass, the K/V sharing text, the key's round trip and what each screen says.
// The traces are built by hand here, shaped like an LLM's: causal, most weight on key 0.
import Foundation
import TestSupport
import Testing

@testable import AppCore
@testable import Render
@testable import Trace

/// Decoder-only causal attention over `tokens` (first "<s>"), `heads` query heads reading
/// `keyValueHeads` K/V heads: head h's rows put s_h = 0.5 + 0.1·h (+ 0.05·layer) on key 0 and the
/// rest on keys 1…i in proportion to j; row 0 can see only the sink. A `window` masks keys more
/// than `window − 1` behind the query (Mistral's sliding window), key 0 included.
func sinkTrace(
  layers: Int = 2, heads: Int = 4, keyValueHeads: Int? = 2, window: Int? = nil,
  tokens: [String] = ["<s>", "the", "cat", "sat", "on", "the", "mat"]
) -> AttentionTrace {
  let n = tokens.count
  let entries = (0..<layers).map { layer in
    var weights: [Float] = []
    var scores: [Float] = []
    for h in 0..<heads {
      let sink = Float(0.5) + 0.1 * Float(h) + 0.05 * Float(layer)
      for i in 0..<n {
        let visible = (0..<n).map { j in j <= i && (window.map { i - j < $0 } ?? true) }
        let rest = (1..<n).filter { visible[$0] }
        let total = Float(rest.reduce(0, +))
        let row: [Float] = (0..<n).map { j in
          guard visible[j] else { return 0 }
          if j == 0 { return rest.isEmpty ? 1 : sink }
          return (visible[0] ? 1 - sink : 1) * Float(j) / total
        }
        weights += row
        scores += zip(row, visible).map { $1 ? log(max($0, 1e-9)) : -.infinity }
      }
    }
    var entry = AttentionEntry(
      stack: .decoder, kind: .masked, layer: layer, heads: heads, queries: tokens, keys: tokens,
      weights: weights, scores: scores)
    entry.keyValueHeads = keyValueHeads
    return entry
  }
  return AttentionTrace(model: "llm", tokens: TokenLabels(decoder: tokens), attention: entries)
}

func sinkState(_ trace: AttentionTrace = sinkTrace(), depth: ColorDepth = .palette256) -> AppState {
  AppState(trace: trace, modelDescription: "test", depth: depth)
}

@Suite struct AttentionSinkTests {
  @Test func renormalisedRowsSumToOneOverTheOtherKeys() throws {
    let entry = try #require(sinkTrace().attention.first)
    for head in 0..<entry.heads {
      let hidden = AttentionSink.hidden(entry, head: head)
      #expect(hidden.values.count == entry.queries.count)
      for (q, row) in hidden.values.enumerated() {
        #expect(row.count == entry.keys.count - 1)
        #expect(row.allSatisfy { $0.isFinite && $0 >= 0 })
        // Row 0 sees only the sink: it stays empty.
        let sum = row.reduce(0, +)
        if q == 0 { #expect(sum == 0) } else { #expect(abs(sum - 1) < 1e-5, "head \(head) row \(q): \(sum)") }
        // p_j / (1 − p_0) for every visible key.
        for j in 1...max(1, q) where q > 0 {
          let p0 = entry.weight(head: head, query: q, key: 0)
          let expected = entry.weight(head: head, query: q, key: j) / (1 - p0)
          #expect(abs(row[j - 1] - expected) < 1e-5)
        }
      }
    }
  }

  @Test func theAllSinkRowAndTheEdgeCasesStayEmptyWithoutNaN() {
    #expect(AttentionSink.renormalised([1, 0, 0]) == [0, 0])
    #expect(AttentionSink.renormalised([0.5, 0.25, 0.25]) == [0.5, 0.5])
    #expect(AttentionSink.renormalised([1]) == [])
    #expect(AttentionSink.renormalised([]) == [])
    // A masked key's weight is never counted, whatever number sits in it.
    #expect(AttentionSink.renormalised([0.2, 0.4, 0.4], masked: [false, false, true]) == [1, 0])
    #expect(AttentionSink.renormalised([0.2, .nan, 0.4]).allSatisfy { !$0.isNaN })
  }

  @Test func maskedEntriesStayMasked() throws {
    let entry = try #require(sinkTrace(window: 3).attention.first)
    let full = AttentionSink.maskMatrix(entry, head: 1)
    let hidden = AttentionSink.hidden(entry, head: 1)
    #expect(hidden.masked == full.map { Array($0.dropFirst()) })
    for (row, mask) in zip(hidden.values, hidden.masked) {
      for (value, masked) in zip(row, mask) where masked { #expect(value == 0) }
    }
    // A row the window keeps from key 0 is renormalised over what it sees: unchanged.
    let last = entry.queries.count - 1
    #expect(full[last][0])
    #expect(abs(hidden.values[last].reduce(0, +) - 1) < 1e-5)
  }

  @Test func sinkMassPerHeadIsTheMeanOverRowsThatSeeKeyZero() throws {
    let entry = try #require(sinkTrace().attention.first)
    // Row 0 puts 1 on the sink; rows 1…6 put s_h: the mean is (1 + 6·s_h) / 7.
    for head in 0..<4 {
      let s = 0.5 + 0.1 * Float(head)
      #expect(abs(AttentionSink.meanMass(entry, head: head)! - (1 + 6 * s) / 7) < 1e-5)
      #expect(AttentionSink.mass(entry, head: head, query: 3) == entry.weight(head: head, query: 3, key: 0))
    }
    // With a window of 3, rows 3… cannot see key 0: they have no sink and do not count.
    let windowed = try #require(sinkTrace(window: 3).attention.first)
    #expect(AttentionSink.mass(windowed, head: 0, query: 5) == nil)
    #expect(abs(AttentionSink.meanMass(windowed, head: 0)! - (1 + 2 * 0.5) / 3) < 1e-5)
  }

  @Test func keyValueSharingIsDescribedOnlyForGroupedEntries() throws {
    let grouped = try #require(sinkTrace(heads: 4, keyValueHeads: 2).attention.first)
    #expect(KeyValueSharing.description(grouped, head: 0) == "kv 1 of 2, shared with heads 1–2")
    #expect(KeyValueSharing.description(grouped, head: 3) == "kv 2 of 2, shared with heads 3–4")
    let multiQuery = try #require(sinkTrace(heads: 4, keyValueHeads: 1).attention.first)
    #expect(KeyValueSharing.description(multiQuery, head: 2) == "kv 1 of 1, shared with all 4 heads")
    for keyValueHeads in [nil, 4] {
      let own = try #require(sinkTrace(heads: 4, keyValueHeads: keyValueHeads).attention.first)
      #expect(KeyValueSharing.description(own, head: 1) == nil)
      #expect(KeyValueSharing.summary(own) == nil)
    }
  }
}

@Suite struct SinkKeyTests {
  let size = (width: 80, height: 24)

  @Test func wTogglesTheSinkAndKeepsTheCursorOffItsColumn() {
    var state = sinkState()
    #expect(!state.selections.hidesSink && state.cursorColumn == 0)
    _ = update(&state, .key(.character("w")), size: size)
    #expect(state.selections.hidesSink)
    #expect(state.notice == "sink hidden: rows renormalised without key 1 '<s>'")
    #expect(state.cursorColumn == 1, "the hidden column cannot hold the cursor")
    _ = update(&state, .key(.left), size: size)
    #expect(state.cursorColumn == 1)
    _ = update(&state, .key(.character("w")), size: size)
    #expect(!state.selections.hidesSink && state.notice?.hasPrefix("sink shown") == true)
    _ = update(&state, .key(.left), size: size)
    #expect(state.cursorColumn == 0)
  }

  @Test func theQKDetailScreenKeepsKeyZeroReachable() {
    var state = sinkState()
    for key: Key in [.character("w"), .character("6"), .left] { _ = update(&state, .key(key), size: size) }
    #expect(state.selections.hidesSink && state.cursorColumn == 0)
    _ = update(&state, .key(.character("1")), size: size)
    #expect(state.cursorColumn == 1, "back on screen 1 the cursor leaves the hidden column")
  }

  @Test func theToggleIsSharedByScreensTwoThreeAndFiveAndRefusedElsewhere() {
    var state = sinkState()
    for screen in ["5", "2", "3"] {
      _ = update(&state, .key(.character(Character(screen))), size: size)
      _ = update(&state, .key(.character("w")), size: size)
    }
    #expect(state.selections.hidesSink, "toggled three times")
    _ = update(&state, .key(.character("7")), size: size)
    _ = update(&state, .key(.character("w")), size: size)
    #expect(state.selections.hidesSink && state.notice?.contains("screens 1, 2, 3 and 5") == true)
  }

  @Test func helpListsTheKey() {
    var state = sinkState()
    _ = update(&state, .key(.character("?")), size: (200, 60))
    let text = AppView.view(state, size: (200, 60)).lines.joined(separator: "\n")
    #expect(text.contains("hide / show the attention sink"))
    #expect(KeyMap.bindings.contains { $0.keys == "w" })
    state.screen = .modelView
    let model = AppView.view(state, size: (200, 60)).lines.joined(separator: "\n")
    #expect(model.contains("thumbnails without the sink"))
  }
}

/// Screen 1 on sinkTrace with the sink hidden, the cursor on 'sat' → 'the' (row 4, key 2).
func sinkHiddenAttentionState() -> AppState {
  var state = sinkState()
  for key: Key in [.character("w"), .down, .down, .down] { _ = update(&state, .key(key), size: (80, 24)) }
  return state
}

/// Screen 5 on sinkTrace (4 query heads over 2 K/V heads), head 2 selected, the sink hidden.
func sinkHiddenModelViewState() -> AppState {
  var state = sinkState()
  for key: Key in [.character("5"), .right, .character("w")] { _ = update(&state, .key(key), size: (80, 24)) }
  return state
}

/// Screen 2 on a one-step run whose row puts 0.6 on "<s>", the sink hidden.
func sinkHiddenDecodeState() -> AppState {
  var state = sinkState()
  let keys = ["<s>", "the", "cat"]
  let row = AttentionRow(query: "cat", keys: keys, weights: [[[0.6, 0.1, 0.3], [0.9, 0.05, 0.05]]])
  state.decode.run = DecodeRun(
    source: [], start: "cat",
    steps: [
      DecodeStepView(
        candidates: [TokenProbability(token: "sat", probability: 0.7)], chosen: "sat", selfAttention: row,
        crossAttention: nil)
    ])
  for key: Key in [.character("2"), .character("w")] { _ = update(&state, .key(key), size: (80, 24)) }
  return state
}

@Suite struct SinkScreenViewTests {
  func text(_ state: AppState, _ size: (width: Int, height: Int) = (80, 24)) -> [String] {
    AppView.view(state, size: size).lines
  }

  @Test func attentionScreenSaysWhichIsShownAndGivesBothWeights() throws {
    var state = sinkState()
    _ = update(&state, .key(.down), size: (80, 24))
    let shown = text(state)
    // Head 1: mean (1 + 6·0.5)/7 = 0.57; row 'the' puts 0.50 on the sink.
    #expect(shown[20].contains("sink '<s>' (key 1): head mean 0.57, this row 0.50 · w hides it"))
    #expect(shown[1].contains("head 1/4 · kv 1 of 2, shared with heads 1–2"))
    let hidden = text(sinkHiddenAttentionState())
    #expect(hidden[20].contains("sink hidden: rows renormalised without key 1 '<s>'"))
    #expect(hidden[20].contains("mass: head 0.57, row 0.50"))
    // 'sat' → 'the': raw (1 − 0.5)·1/6, renormalised 1/6.
    #expect(hidden[23].contains("'sat' → 'the' raw 0.0833, without the sink 0.1667"), "\(hidden[23])")
  }

  @Test func ungroupedEntriesSayNothingAboutKeyValueHeads() {
    let lines = text(sinkState(sinkTrace(keyValueHeads: nil)))
    #expect(!lines.joined().contains("kv "))
    var state = sinkState(sinkTrace(keyValueHeads: nil))
    state.screen = .modelView
    #expect(!text(state).joined().contains("kv"))
  }

  @Test func modelViewShowsEachHeadsSinkMassAndItsGroup() throws {
    let state = sinkHiddenModelViewState()
    let lines = text(state)
    #expect(lines[19].contains("2 K/V heads × 2 query heads · H2: kv 1 of 2, shared with heads 1–2"))
    #expect(lines[2].contains("H1 kv1") && lines[2].contains("H4 kv2"))
    #expect(lines[20].contains("sink hidden: rows renormalised without key 1 '<s>'; numbers: its mass"))
    // Layer 1's heads: (1 + 6·s)/7 for s = 0.5, 0.6, 0.7, 0.8.
    let all = lines.joined(separator: "\n")
    for mass in ["0.57", "0.66", "0.74", "0.83"] { #expect(all.contains(mass), "no \(mass)") }
    #expect(lines[23].contains("head 2/4 │ sink 0.66"))
  }

  @Test func decodeRowHidesTheSinkAndSaysItsWeight() {
    let lines = text(sinkHiddenDecodeState()).joined(separator: "\n")
    #expect(lines.contains("sink '<s>' 0.600, hidden (w shows it)"))
    // 0.3 / 0.4 of the rest.
    #expect(lines.contains("most on 'cat' 0.750 of the rest"))
  }

  @Test func exportedScreensShowTheHiddenView() throws {
    let files = ScreenExport.files(sinkHiddenAttentionState(), size: (80, 24), name: "x")
    #expect(files[1].contents.contains("sink hidden: rows renormalised without key 1"))
  }

  @Test func snapshots() {
    assertSnapshot(
      AppView.view(sinkHiddenAttentionState(), size: (80, 24)), depth: .palette256,
      named: "sink-attention-80x24")
    assertSnapshot(
      AppView.view(sinkHiddenModelViewState(), size: (80, 24)), depth: .palette256,
      named: "sink-model-view-80x24")
    assertSnapshot(
      AppView.view(sinkHiddenDecodeState(), size: (80, 24)), depth: .palette256, named: "sink-decode-80x24")
  }
}
