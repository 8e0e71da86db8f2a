// A trace computed a layer at a time (LayerwiseAttention) gives exactly the entries the recording
// forward pass gives, bit for bit, on every architecture the fixtures cover: encoder-only (BERT,
// post-norm), decoder-only (GPT-2; the LLM families with grouped-query heads, q/k norms, sliding
// windows, sandwich norms and soft-capping) and encoder-decoder with cross-attention (Marian, the
// en-it sample) — whole entries, one head alone, after the cache evicted them, from a checkpoint
// several layers below.
import Foundation
import Testing
import Trace
import Transformer
import Workbench

@Suite struct OnDemandTraceTests {
  static let folders = [
    "bert", "gpt2", "marian", "llm/qwen2", "llm/gemma3", "llm/gemma3-softcap", "llm/mistral", "llm/phi3",
    "llm/qwen3",
  ]
  static let text = "the cat sat on the mat, and the dog sat on the log"

  /// Keeps only the first layer's input and one entry: every request recomputes from layer 0.
  static let tight = OnDemandBudget(checkpointBytes: 1, cacheBytes: 1)

  func compare(_ model: LoadedModel, target: String? = nil) throws {
    let held = try model.trace(text: Self.text, target: target, recordsVectors: true, computing: .held)
    for budget in [OnDemandBudget.standard, Self.tight] {
      let lazy = try model.trace(
        text: Self.text, target: target, recordsVectors: true, computing: .onDemand(budget))
      #expect(lazy.trace.computesOnDemand && !held.trace.computesOnDemand)
      #expect(lazy.trace.layout == held.trace.layout)
      #expect(lazy.notices == held.notices)
      // Backwards, so the cache and the last-input shortcut are both exercised.
      for index in (0..<held.trace.entryCount).reversed() {
        let expected = held.trace.entry(at: index)
        #expect(lazy.trace.entry(at: index) == expected, "\(model.name) entry \(index)")
        for head in [0, expected.heads - 1] {
          #expect(lazy.trace.entry(at: index, head: head) == expected.cut(toHead: head))
        }
      }
      #expect(lazy.trace == held.trace)
    }
  }

  @Test(arguments: folders)
  func computedOnDemandEqualsRecorded(folder: String) throws {
    try compare(try LoadedModel(folder: HFFixtures.folder(folder).path), target: nil)
  }

  @Test func encoderDecoderSampleWithATarget() throws {
    let samples = HFFixtures.directory.deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("samples/models/en-it")
    try compare(try LoadedModel(folder: samples.path), target: "il gatto")
  }

  @Test func oneHeadCutFromASelectionStaysOnDemand() throws {
    let model = try LoadedModel(folder: HFFixtures.folder("llm/qwen2").path)
    let held = try model.trace(text: Self.text, computing: .held).trace
    let lazy = try model.trace(text: Self.text, computing: .onDemand(Self.tight)).trace
    let picked = try lazy.selecting(layer: 1, head: 2)
    #expect(picked.computesOnDemand)
    #expect(picked == (try held.selecting(layer: 1, head: 2)))
    #expect(picked.layout.map(\.heads) == [1])
    #expect(throws: AttentionTrace.SelectionError.self) { try lazy.selecting(layer: 9, head: nil) }
  }

  @Test func automaticHoldsShortInputs() throws {
    let model = try LoadedModel(folder: HFFixtures.folder("gpt2").path)
    #expect(!(try model.trace(text: Self.text)).trace.computesOnDemand)
  }
}
