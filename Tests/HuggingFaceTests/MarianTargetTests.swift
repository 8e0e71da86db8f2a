// Marian's target text goes through target.spm, as transformers' `tokenizer(text_target=…)` does
// (pieces recorded from transformers 5.23 on the fixture folder).
import Testing

@testable import Workbench

@Suite struct MarianTargetTests {
  @Test func targetTextIsSegmentedWithTheTargetModel() throws {
    let loaded = try LoadedModel(folder: HFFixtures.folder("marian").path)
    #expect(loaded.targetTokenizer.encode("ti amo").map(\.label) == ["t", "i", "▁a", "m", "o"])
    #expect(loaded.sourceTokenizer.encode("I love you").map(\.label) == ["I", "▁", "lo", "ve", "▁you"])
  }

  /// `--target` on a trace is teacher-forced through the same target.spm pieces (after the decoder
  /// start token), not through the source model.
  @Test func aTracedTargetUsesTheTargetModel() throws {
    let loaded = try LoadedModel(folder: HFFixtures.folder("marian").path)
    let result = try loaded.trace(text: "I love you", target: "ti amo")
    let decoder = try #require(result.trace.tokens.decoder)
    #expect(Array(decoder.dropFirst()) == ["t", "i", "▁a", "m", "o"])
  }
}
