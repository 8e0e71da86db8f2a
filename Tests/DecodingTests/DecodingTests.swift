// Greedy, beam search and sampling on hand-made step functions with known answers.
import Foundation
import Testing

@testable import Decoding

/// A step function whose next-token distribution depends only on the prefix, by a table or a hash.
struct TableModel: StepModel, Sendable {
  let vocabularySize: Int
  let distribution: @Sendable ([Int]) -> [Float]  // probabilities of the next token after a prefix

  func start() -> [Int] { [] }
  func step(_ state: inout [Int], token: Int) -> StepOutput {
    state.append(token)
    return StepOutput(logProbs: distribution(state).map { Float(log(Double($0))) })
  }

  /// Random but fixed distributions, one per prefix.
  static func random(vocabulary: Int, seed: UInt64) -> TableModel {
    TableModel(vocabularySize: vocabulary) { prefix in
      var random = DecodingRandom(seed: prefix.reduce(seed) { $0 &* 1_000_003 &+ UInt64($1 + 1) })
      let raw = (0..<vocabulary).map { _ in Float(random.next() >> 40) / Float(1 << 24) + 0.05 }
      let sum = raw.reduce(0, +)
      return raw.map { $0 / sum }
    }
  }
}

let start = 0
let end = 1

func options(_ maxLength: Int) -> DecodingOptions {
  DecodingOptions(startToken: start, endToken: end, maxLength: maxLength)
}

/// Every sequence a decoder can output (ended by `end` or cut at `maxLength`), best score first.
func exhaustive(_ model: TableModel, maxLength: Int, alpha: Float) -> [(Hypothesis, Float)] {
  var all: [(Hypothesis, Float)] = []
  func extend(_ hypothesis: Hypothesis) {
    let logProbs = model.distribution([start] + hypothesis.tokens).map { Float(log(Double($0))) }
    for token in 0..<model.vocabularySize {
      var next = hypothesis
      next.tokenLogProbs.append(logProbs[token])
      if token == end {
        next.finished = true
        all.append((next, next.score(alpha: alpha)))
      } else {
        next.tokens.append(token)
        if next.length == maxLength { all.append((next, next.score(alpha: alpha))) } else { extend(next) }
      }
    }
  }
  extend(Hypothesis())
  return all.sorted { $0.1 > $1.1 }
}

@Suite struct DecodingTests {
  @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
  func beamWidthOneEqualsGreedy(seed: UInt64) throws {
    let model = TableModel.random(vocabulary: 6, seed: seed)
    let greedy = try GreedySearch.decode(model, options: options(8))
    let beam = try BeamSearch.decode(model, width: 1, options: options(8))
    #expect(beam.hypotheses == greedy.hypotheses)
    // A width-1 beam also lists the runner-up it keeps live when `</s>` finishes the best one.
    #expect(
      beam.steps.map { $0.hypotheses[0].chosen.first } == greedy.steps.map { $0.hypotheses[0].chosen.first })
  }

  /// Width = vocabulary and two steps: the first step keeps every token, so the search is exact
  /// (a width above the vocabulary size is refused, as the issue asks).
  @Test(arguments: [3, 5, 16], [0, 0.6, 1] as [Float])
  func wideBeamFindsTheExhaustiveBest(vocabulary: Int, alpha: Float) throws {
    let shape = (vocabulary: vocabulary, maxLength: 2)
    for seed in 0..<20 as Range<UInt64> {
      let model = TableModel.random(vocabulary: shape.vocabulary, seed: seed)
      let reference = exhaustive(model, maxLength: shape.maxLength, alpha: alpha)
      let beam = try BeamSearch.decode(
        model, width: vocabulary, alpha: alpha, options: options(shape.maxLength))
      #expect(beam.hypotheses.first == reference.first?.0, "seed \(seed)")
      #expect(abs(beam.scores[0] - reference[0].1) < 1e-6)
      #expect(beam.hypotheses.count == min(vocabulary, reference.count))
    }
  }

  @Test func beamsAreSortedByScore() throws {
    for seed in 0..<10 as Range<UInt64> {
      let model = TableModel.random(vocabulary: 8, seed: seed)
      for alpha in [0, 0.7, 1.2] as [Float] {
        let result = try BeamSearch.decode(model, width: 5, alpha: alpha, options: options(6))
        #expect(result.hypotheses.count == 5)
        #expect(result.scores == result.scores.sorted(by: >))
        #expect(zip(result.hypotheses, result.scores).allSatisfy { $0.score(alpha: alpha) == $1 })
      }
    }
  }

  /// After `<s>`: token 2 (0.6) leads to a flat distribution; token 3 (0.4) is followed by `</s>`
  /// almost surely. Greedy takes 2 and ends near log 0.6·0.25; the best path is 3 </s> (log 0.39).
  static let trap = TableModel(vocabularySize: 4) { prefix in
    switch prefix {
    case [start]: return [0.0001, 0.0001, 0.6, 0.3998]
    case [start, 3]: return [0.0001, 0.9997, 0.0001, 0.0001]
    default: return [0.25, 0.25, 0.25, 0.25]
    }
  }

  @Test func beamFindsTheKnownBestPathGreedyMisses() throws {
    let greedy = try GreedySearch.decode(Self.trap, options: options(4))
    #expect(greedy.hypotheses[0].tokens.first == 2)
    let beam = try BeamSearch.decode(Self.trap, width: 2, options: options(4))
    #expect(beam.hypotheses[0].tokens == [3])
    #expect(beam.hypotheses[0].finished)
    #expect(beam.scores[0] > greedy.scores[0])
    #expect(beam.steps[0].hypotheses[0].chosen == [2, 3])
    #expect(beam.steps[0].hypotheses[0].candidates.map(\.token).prefix(2) == [2, 3])
  }

  @Test func samplingIsReproducibleWithASeed() throws {
    let model = TableModel.random(vocabulary: 10, seed: 7)
    let chain = Sampling.processors(temperature: 1.3, topK: 6, topP: 0.95)
    let runs = try (0..<2).map { _ in
      try Sampling.decode(model, processors: chain, seed: 42, options: options(12)).hypotheses
    }
    #expect(runs[0] == runs[1])
    let others = try (43..<53 as Range<UInt64>).map {
      try Sampling.decode(model, processors: chain, seed: $0, options: options(12)).hypotheses[0]
    }
    #expect(Set(others.map(\.tokens)).count > 1, "different seeds give different samples")
  }

  @Test func processors() {
    var logits: [Float] = [log(0.5), log(0.3), log(0.15), log(0.05)]
    TopK(2).process(&logits)
    #expect(logits[2] == -.infinity && logits[3] == -.infinity && logits[1].isFinite)
    var nucleus: [Float] = [log(0.5), log(0.3), log(0.15), log(0.05)]
    TopP(0.8).process(&nucleus)
    #expect(nucleus.map(\.isFinite) == [true, true, false, false])
    var warm: [Float] = [2, 4]
    Temperature(2).process(&warm)
    #expect(warm == [-1, 0])  // [1, 2] shifted so the largest is 0: the same softmax
    // top-k 1 is greedy whatever the seed
    let model = TableModel.random(vocabulary: 6, seed: 3)
    let greedy = try! GreedySearch.decode(model, options: options(6)).hypotheses
    let sampled = try! Sampling.decode(model, processors: [TopK(1)], seed: 9, options: options(6))
    #expect(sampled.hypotheses == greedy)
  }

  @Test func badSettingsAreErrors() {
    let model = TableModel.random(vocabulary: 6, seed: 1)
    #expect(throws: DecodingError.self) { try BeamSearch.decode(model, width: 0, options: options(4)) }
    #expect(throws: DecodingError.self) { try BeamSearch.decode(model, width: 7, options: options(4)) }
    #expect(throws: DecodingError.self) { try GreedySearch.decode(model, options: options(0)) }
  }
}
