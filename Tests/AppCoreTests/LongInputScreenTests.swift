// Issue 17: on a long input the attention screen holds one head, never the layer. A counting
// source stands in for LayerwiseAttention; `wholeLayerFloats` lowered to a few floats makes the
// small sample trace "long", so every key of screen 1 must be served by entry(at:head:) alone,
// and the frame must be the one the whole layer gives (the strip of heads, which needs every
// head, switched off on both sides).
import Foundation
import Synchronization
import Testing

@testable import AppCore
@testable import Render
@testable import Trace

/// The sample trace's entries behind an on-demand source that counts what it is asked for.
final class CountingSource: AttentionSource {
  let entries: [AttentionEntry]
  let layout: [AttentionLayout]
  let wholeLayers = Atomic<Int>(0)
  let singleHeads = Atomic<Int>(0)

  init(_ trace: AttentionTrace) {
    entries = trace.attention
    layout = entries.map(AttentionLayout.init)
  }

  func entry(at index: Int) -> AttentionEntry {
    wholeLayers.add(1, ordering: .relaxed)
    return entries[index]
  }

  func entry(at index: Int, head: Int) -> AttentionEntry {
    singleHeads.add(1, ordering: .relaxed)
    return entries[index].cut(toHead: head)
  }

  func isReady(_ index: Int) -> Bool { true }
  func isReady(_ index: Int, head: Int) -> Bool { true }
  var nonFiniteNotice: String? { nil }
}

@Suite struct LongInputScreenTests {
  let size = (width: 100, height: 30)

  func states() -> (long: AppState, held: AppState, source: CountingSource) {
    let sample = sampleTrace()
    let source = CountingSource(sample)
    var long = AppState(
      trace: AttentionTrace(model: sample.model, tokens: sample.tokens, source: source),
      modelDescription: "test", depth: .palette256)
    long.wholeLayerFloats = 8  // less than any layer of the sample: one head at a time
    long.selections.headStrip = false
    var held = AppState(trace: sample, modelDescription: "test", depth: .palette256)
    held.selections.headStrip = false
    return (long, held, source)
  }

  @Test func everyKeyOfScreenOneReadsOneHeadAndDrawsWhatTheLayerDraws() {
    var (long, held, source) = states()
    #expect(!long.showsWholeLayer && held.showsWholeLayer)
    let keys: [Key] = [
      .character("]"), .character(">"), .character("l"), .character("j"), .character("w"),
      .character("z"), .character("Z"), .character("]"), .character("<"), .character("["),
      .tab, .character("]"), .character("h"), .character("w"),
    ]
    #expect(AppView.view(long, size: size).lines == AppView.view(held, size: size).lines)
    for key in keys {
      _ = update(&long, .key(key), size: size)
      _ = update(&held, .key(key), size: size)
      #expect((long.layer, long.head, long.kindIndex) == (held.layer, held.head, held.kindIndex))
      #expect(
        AppView.view(long, size: size).lines == AppView.view(held, size: size).lines, "after \(key)")
    }
    #expect(source.wholeLayers.load(ordering: .relaxed) == 0, "a whole layer was computed")
    #expect(source.singleHeads.load(ordering: .relaxed) > 0)
    // The title still counts the layer's heads, read from its layout.
    let title = AppView.view(long, size: size).lines[1]
    #expect(title.contains("head \(long.head + 1)/2"), "\(title)")
  }

  @Test func findingATokenReadsOnlyLabels() {
    var (long, _, source) = states()
    long.findToken("amo")
    #expect(long.notice?.contains("found 'amo'") == true || long.notice?.contains("no token") == true)
    #expect(source.wholeLayers.load(ordering: .relaxed) == 0)
    #expect(source.singleHeads.load(ordering: .relaxed) == 0)
  }
}
