// transformers' logits processors that a model's generation config turns on, applied to a step
// model's log-probabilities (generation/logits_process.py: NoBadWordsLogitsProcessor — a
// one-token entry is banned everywhere, a longer one bans its last token right after the rest —
// and ForcedEOSTokenLogitsProcessor). Beam search in transformers applies them
// to the log-softmax, greedy to the logits; masking to −∞ gives the same argmax either way.
import Decoding

public struct GenerationStepModel<Base: StepModel>: StepModel {
  public struct State {
    var base: Base.State
    /// Tokens generated so far (the step about to choose has this index).
    var generated: Int
    /// Every token fed so far (the start token, then each chosen one), for multi-token bad words.
    var fed: [Int] = []
  }

  let base: Base
  let banned: [Int]
  /// bad_words_ids entries of two or more tokens.
  let bannedSequences: [[Int]]
  /// Forced end token and the step index at which it is forced (max length − 1).
  let forcedEnd: (token: Int, step: Int)?

  /// `budget`: tokens `generate` may add; a forced EOS comes at its last step.
  public init(_ base: Base, settings: GenerationSettings, budget: Int) {
    self.base = base
    banned = settings.bannedTokenIDs.filter { $0 >= 0 && $0 < base.vocabularySize }.sorted()
    bannedSequences = settings.badWordsIDs.filter {
      $0.count > 1 && $0.last! >= 0 && $0.last! < base.vocabularySize
    }
    forcedEnd = settings.forcedEOSTokenID.map { ($0, budget - 1) }
  }

  public var vocabularySize: Int { base.vocabularySize }

  public func start() throws -> State { State(base: try base.start(), generated: 0) }

  public func step(_ state: inout State, token: Int) throws -> StepOutput {
    var output = try base.step(&state.base, token: token)
    state.fed.append(token)
    process(&output.logProbs, step: state.generated, fed: state.fed)
    state.generated += 1
    return output
  }

  public func stepBatch(_ states: inout [State], tokens: [Int]) throws -> [StepOutput] {
    var bases = states.map(\.base)
    var outputs = try base.stepBatch(&bases, tokens: tokens)
    for index in states.indices {
      states[index].base = bases[index]
      states[index].fed.append(tokens[index])
      process(&outputs[index].logProbs, step: states[index].generated, fed: states[index].fed)
      states[index].generated += 1
    }
    return outputs
  }

  func process(_ logProbs: inout [Float], step: Int, fed: [Int]) {
    for id in banned { logProbs[id] = -.infinity }
    for sequence in bannedSequences where fed.count >= sequence.count - 1 {
      if fed.suffix(sequence.count - 1).elementsEqual(sequence.dropLast()) {
        logProbs[sequence.last!] = -.infinity
      }
    }
    if let forcedEnd, step == forcedEnd.step, logProbs.indices.contains(forcedEnd.token) {
      for index in logProbs.indices { logProbs[index] = -.infinity }
      logProbs[forcedEnd.token] = 0
    }
  }
}
