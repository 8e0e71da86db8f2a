// The fingerprint metrics on matrices small enough to check by hand, the contrast's cosine, and the
// word lookup's messages (absent word, several occurrences, WORD@N).
import Foundation
import Testing
import Trace

/// One head over `rows` (queries × keys), as a self-attention entry unless `kind` says otherwise.
func singleHead(_ rows: [[Float]], kind: AttentionKind = .masked, keys: [String]? = nil) -> AttentionEntry {
  let keyLabels = keys ?? (0..<(rows.first?.count ?? 0)).map { "k\($0)" }
  return AttentionEntry(
    stack: kind == .self ? .encoder : .decoder, kind: kind, layer: 0, heads: 1,
    queries: rows.indices.map { "q\($0)" }, keys: keyLabels, weights: rows.flatMap { $0 },
    scores: rows.flatMap { $0.map { $0 == 0 ? -Float.infinity : 0 } })
}

@Suite struct HeadFingerprintsTests {
  @Test func previousTokenHeadScoresOneOnTheOffDiagonal() throws {
    // Row 0 can only see itself; every later row sits on t − 1.
    let entry = singleHead([[1, 0, 0], [1, 0, 0], [0, 1, 0]])
    let values = HeadFingerprints.measure(entry, head: 0)
    #expect(values[.previousToken] == 1)
    #expect(abs(values[.selfScore]! - 1.0 / 3) < 1e-6)
    #expect(abs(values[.sink]! - 2.0 / 3) < 1e-6)
    #expect(values[.entropy] == 0)
    #expect(values[.antiDiagonal] == nil)
  }

  @Test func uniformRowsHaveEntropyLogK() throws {
    let entry = singleHead([[0.25, 0.25, 0.25, 0.25], [0.25, 0.25, 0.25, 0.25]], kind: .self, keys: nil)
    let values = HeadFingerprints.measure(entry, head: 0)
    #expect(abs(values[.entropy]! - Float(log(4.0))) < 1e-6)
    // Not square: no diagonal to score.
    #expect(values[.selfScore] == nil && values[.previousToken] == nil)
  }

  @Test func crossAttentionReadingTheSourceBackwardsScoresOne() throws {
    // Source "a b c </s>"; the decoder's 3 positions read c, b, a (the end token is not aligned).
    let entry = singleHead(
      [[0, 0, 1, 0], [0, 1, 0, 0], [1, 0, 0, 0]], kind: .cross, keys: ["a", "b", "c", "</s>"])
    let values = HeadFingerprints.measure(entry, head: 0)
    #expect(values[.antiDiagonal] == 1)
    #expect(values[.previousToken] == nil && values[.selfScore] == nil)
  }

  @Test func inductionScoreReadsTheTokenAfterTheEarlierOccurrence() throws {
    // <s> a b a b: position 3 ('a', second copy) → key 2 ('b' after the first 'a'); 4 → 3.
    let probe = InductionProbe(prefix: [1], half: [5, 6], seed: 0)
    var rows = Array(repeating: Array(repeating: Float(0), count: 5), count: 5)
    for q in 0..<5 { rows[q][0] = 1 }
    rows[3] = [0, 0, 0.5, 0.5, 0]
    rows[4] = [0, 0, 0, 1, 0]
    let score = HeadFingerprints.induction(singleHead(rows), head: 0, probe: probe)
    #expect(score == 0.75)
    // A trace of another length is not this probe's.
    #expect(HeadFingerprints.induction(singleHead([[1]]), head: 0, probe: probe) == nil)
  }

  @Test func fingerprintsCoverEveryHeadAndAttachInduction() throws {
    let entry = maskedEntry()
    let trace = AttentionTrace(model: "m", tokens: TokenLabels(decoder: ["<s>", "ti"]), attention: [entry])
    let prints = HeadFingerprints.fingerprints(trace)
    #expect(prints.count == 2)
    #expect(prints.map(\.head) == [0, 1])
    #expect(prints.allSatisfy { $0[.induction] == nil })
  }

  @Test func cosineOfParallelOrthogonalAndZeroVectors() {
    #expect(abs(ContextualContrast.cosine([1, 2, 3], [2, 4, 6]) - 1) < 1e-6)
    #expect(ContextualContrast.cosine([1, 0], [0, 1]) == 0)
    #expect(ContextualContrast.cosine([0, 0], [1, 1]) == 0)
  }

  @Test func wordMarkersAreIgnoredWhenLookingAWordUp() throws {
    #expect(ContextualContrast.plainWord("Ġbank") == "bank")
    #expect(ContextualContrast.plainWord("▁Bank") == "bank")
    #expect(ContextualContrast.plainWord("##bank") == "bank")
    let found = try ContextualContrast.locate("bank", in: ["[CLS]", "the", "Ġbank"], name: "input 1")
    #expect(found.position == 2 && found.notice == nil)
  }

  @Test func absentWordListsTheTokensItCouldBe() {
    #expect(throws: ContrastError("--word bank is not a token of input 2; its tokens: 'the' 'ban' '##k'")) {
      try ContextualContrast.locate("bank", in: ["the", "ban", "##k"], name: "input 2")
    }
  }

  @Test func repeatedWordUsesTheFirstAndSaysHowToPickAnother() throws {
    let tokens = ["the", "bank", "by", "the", "bank"]
    let first = try ContextualContrast.locate("bank", in: tokens, name: "input 1")
    #expect(first.position == 1)
    #expect(
      first.notice
        == "'bank' occurs 2 times in input 1 (tokens 2, 5): using the first, token 2; --word bank@2 picks the second"
    )
    let second = try ContextualContrast.locate("bank@2", in: tokens, name: "input 1")
    #expect(second.position == 4 && second.notice == nil)
    #expect(throws: ContrastError("--word bank@3: input 1 has 2 occurrence(s) of 'bank' (tokens 2, 5)")) {
      try ContextualContrast.locate("bank@3", in: tokens, name: "input 1")
    }
    #expect(throws: ContrastError("--word bank@x: after @ comes the occurrence, a number from 1")) {
      try ContextualContrast.locate("bank@x", in: tokens, name: "input 1")
    }
  }
}
