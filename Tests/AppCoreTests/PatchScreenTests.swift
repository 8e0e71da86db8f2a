// Screen 8 (ViT patches) as pure functions: keys, mouse, the view at a fixed size, availability.
import Testing

@testable import AppCore
@testable import Render
@testable import Trace

/// A 2×2-patch ViT trace (2 layers, 2 heads, [CLS] + 4 patches) with its patch view: every token
/// attends most to patch p(1,1), head 1 to [CLS].
func patchState() -> AppState {
  let labels = ["[CLS]", "p(0,0)", "p(0,1)", "p(1,0)", "p(1,1)"]
  var entries: [AttentionEntry] = []
  for layer in 0..<2 {
    var weights: [Float] = []
    for head in 0..<2 {
      for _ in 0..<5 {
        weights += head == 0 ? [0.1, 0.1, 0.1, 0.1, 0.6] : [0.6, 0.1, 0.1, 0.1, 0.1]
      }
    }
    entries.append(
      AttentionEntry(
        stack: .encoder, kind: .self, layer: layer, heads: 2, queries: labels, keys: labels,
        weights: weights, scores: weights.map { $0 * 10 }))
  }
  let trace = AttentionTrace(model: "tiny-vit", tokens: TokenLabels(encoder: labels), attention: entries)
  var state = AppState(trace: trace, modelDescription: "toy ViT", depth: .monochrome)
  state.decodingEnabled = false
  let pixels = (0..<(8 * 8)).flatMap { index -> [Float] in
    index % 8 < 4 ? [1, 0, 0] : [0, 0, 1]  // left half red, right half blue
  }
  state.patches.view = PatchView(
    imageName: "toy.png", pixels: pixels, size: 8, patchSize: 4,
    predictions: [.init(label: "circle", probability: 0.9), .init(label: "square", probability: 0.1)],
    rollouts: entries.indices.map { AttentionRollout.rollout(Array(entries[...$0])) })
  state.screen = .patches
  return state
}

@Suite struct PatchScreenTests {
  let size = (width: 90, height: 26)

  @Test func viewShowsImageGridHeatmapAndPredictions() {
    let canvas = AppView.view(patchState(), size: size)
    let text = canvas.lines.joined(separator: "\n")
    #expect(text.contains("attention from [CLS] to each patch"))
    #expect(text.contains("predicted"))
    #expect(text.contains("circle"))
    #expect(text.contains("mean of 2 heads"))
    // The status line names the strongest patch: mean of 0.6 and 0.1 on p(1,1).
    #expect(canvas.lines.last!.contains("most to p(1,1) 0.350"))
    #expect(canvas.lines.last!.contains("predicted circle 90.0%"))
  }

  @Test func arrowsMoveFromClassTokenOntoTheGridAndStayInside() {
    var state = patchState()
    _ = update(&state, .key(.right), size: size)
    #expect(state.patches.query == 1)  // [CLS] → p(0,0)
    _ = update(&state, .key(.right), size: size)
    _ = update(&state, .key(.right), size: size)
    _ = update(&state, .key(.down), size: size)
    _ = update(&state, .key(.down), size: size)
    #expect(state.patches.query == 4)  // p(1,1), clamped at the edge
    _ = update(&state, .key(.character("c")), size: size)
    #expect(state.patches.query == 0)
  }

  @Test func sourcesCycleThroughHeadsMeanAndRollout() {
    var state = patchState()
    _ = update(&state, .key(.character("]")), size: size)
    #expect(state.patches.source == .head(0))
    _ = update(&state, .key(.character("]")), size: size)
    #expect(state.patches.source == .head(1))
    #expect(PatchScreen.attentionRow(state)?.first == 0.6)  // head 2 looks at [CLS]
    _ = update(&state, .key(.character("]")), size: size)
    #expect(state.patches.source == .meanOfHeads)
    _ = update(&state, .key(.character("r")), size: size)
    #expect(state.patches.source == .rollout)
    let row = PatchScreen.attentionRow(state) ?? []
    #expect(abs(row.reduce(0, +) - 1) < 1e-5, "a rollout row is a distribution")
    _ = update(&state, .key(.character("<")), size: size)
    _ = update(&state, .key(.character("<")), size: size)
    #expect(state.patches.layer == 0)
  }

  @Test func clickingThePictureSelectsThePatchUnderTheMouse() throws {
    var state = patchState()
    let layout = try #require(PatchScreen.Layout(state, patch: state.patches.view!, size: size))
    // The last column and row of the image belong to patch (1, 1).
    let (width, height) = layout.image.size
    let click = MouseEvent(
      x: layout.imageOrigin.x + width - 2, y: layout.imageOrigin.y + height - 2, button: .left)
    _ = update(&state, .mouse(click), size: size)
    #expect(state.patches.query == 4)
  }

  @Test func patchScreenNeedsAnImageModel() {
    var state = AppState(trace: sampleTrace(), modelDescription: "text", depth: .monochrome)
    _ = update(&state, .key(.character("8")), size: size)
    #expect(state.screen == .attention)
    #expect(state.notice?.contains("not available") == true)
    var vit = patchState()
    vit.screen = .attention
    _ = update(&vit, .key(.character("8")), size: size)
    #expect(vit.screen == .patches)
    _ = update(&vit, .key(.character("2")), size: size)
    #expect(vit.screen == .patches, "no decoding for an image model")
  }
}

@Suite struct RolloutTests {
  @Test func rolloutMixesEachLayerWithTheResidualIdentity() {
    // One layer, one head, 2 tokens, all attention on token 1: Ã = ½A + ½I.
    let entry = AttentionEntry(
      stack: .encoder, kind: .self, layer: 0, heads: 1, queries: ["a", "b"], keys: ["a", "b"],
      weights: [0, 1, 0, 1], scores: [0, 0, 0, 0])
    #expect(AttentionRollout.rollout([entry]) == [0.5, 0.5, 0, 1])
    // Two such layers: Ã² = [[¼, ¾], [0, 1]].
    #expect(AttentionRollout.rollout([entry, entry]) == [0.25, 0.75, 0, 1])
    #expect(AttentionRollout.rollout([]) == [])
  }
}

@Suite struct TraceSelectionTests {
  @Test func layerAndHeadCutTheTrace() throws {
    let trace = sampleTrace()
    let one = try trace.selecting(layer: 1, head: 0)
    #expect(one.attention.count == 3 && one.attention.allSatisfy { $0.layer == 1 && $0.heads == 1 })
    let cross = try #require(trace.entries(stack: .decoder, kind: .cross).last)
    let picked = try #require(one.entries(stack: .decoder, kind: .cross).first)
    #expect(picked.weights == Array(cross.weights.prefix(picked.queries.count * picked.keys.count)))
    #expect(try trace.selecting(layer: nil, head: nil) == trace)
    #expect(throws: AttentionTrace.SelectionError.self) { try trace.selecting(layer: 2, head: nil) }
    do {
      _ = try trace.selecting(layer: nil, head: 5)
    } catch {
      #expect(error.description == "--head 6 is out of range: toy has heads 1–2")
    }
  }
}
