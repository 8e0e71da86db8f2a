// transformers' logits processors that a model's generation config turns on, applied to a step
// model's log-probabilities (generation/logits_process.py: NoBadWordsLogitsProcessor for
// single-token bad words, ForcedEOSTokenLogitsProcessor). Beam search in transformers applies them
// to the log-softmax, greedy to the logits; masking to −∞ gives the same argmax either way.
import Decoding

public struct GenerationStepModel<Base: StepModel>: StepModel {
  public struct State {
    var base: Base.State
    /// Tokens generated so far (the step about to choose has this index).
    var generated: Int
  }

  let base: Base
  let banned: [Int]
  /// Forced end token and the step index at which it is forced (max length − 1).
  let forcedEnd: (token: Int, step: Int)?

  /// `budget`: tokens `generate` may add; a forced EOS comes at its last step.
  public init(_ base: Base, settings: GenerationSettings, budget: Int) {
    self.base = base
    banned = settings.bannedTokenIDs.filter { $0 >= 0 && $0 < base.vocabularySize }.sorted()
    forcedEnd = settings.forcedEOSTokenID.map { ($0, budget - 1) }
  }

  public var vocabularySize: Int { base.vocabularySize }

  public func start() throws -> State { State(base: try base.start(), generated: 0) }

  public func step(_ state: inout State, token: Int) throws -> StepOutput {
    var output = try base.step(&state.base, token: token)
    process(&output.logProbs, step: state.generated)
    state.generated += 1
    return output
  }

  public func stepBatch(_ states: inout [State], tokens: [Int]) throws -> [StepOutput] {
    var bases = states.map(\.base)
    var outputs = try base.stepBatch(&bases, tokens: tokens)
    for index in states.indices {
      states[index].base = bases[index]
      process(&outputs[index].logProbs, step: states[index].generated)
      states[index].generated += 1
    }
    return outputs
  }

  func process(_ logProbs: inout [Float], step: Int) {
    for id in banned { logProbs[id] = -.infinity }
    if let forcedEnd, step == forcedEnd.step, logProbs.indices.contains(forcedEnd.token) {
      for index in logProbs.indices { logProbs[index] = -.infinity }
      logProbs[forcedEnd.token] = 0
    }
  }
}
