// Beam search with a length penalty, finished hypotheses kept aside and an n-best list. Follows
// Hugging Face transformers' `BeamSearchScorer`/`BeamHypotheses`: rank 2·W continuations by summed
// log-prob, an end token within the top W ranks finishes a hypothesis (scored log-prob / length^α),
// the first W others stay live. Stopping is exact (HF's `early_stopping="never"` bound). The live
// hypotheses advance as one `stepBatch` (HF runs the beams as batch rows of one forward), and each
// keeps a back-pointer to the beam it grew from (HF's `beam_indices`).
import Foundation

public enum BeamSearch {
  struct Live<State> {
    var state: State
    var hypothesis: Hypothesis
    var next: StepOutput
    /// Index of the hypothesis it extends in the previous step's record; nil at the first step.
    var parent: Int?
  }

  /// Decodes with `width` live hypotheses (1…16) and returns up to `width` hypotheses best first.
  public static func decode<Model: StepModel>(
    _ model: Model, width: Int, alpha: Float = 0, options: DecodingOptions
  ) throws -> DecodingResult {
    try GreedySearch.validate(options, alpha: alpha)
    guard (1...16).contains(width) else { throw DecodingError("beam width must be 1…16, got \(width)") }
    guard width <= model.vocabularySize else {
      throw DecodingError("beam width \(width) is larger than the vocabulary (\(model.vocabularySize))")
    }
    var state = try model.start()
    let first = try model.checkedStep(&state, token: options.startToken, step: 1)
    var live = [Live(state: state, hypothesis: Hypothesis(), next: first, parent: nil)]
    var finished: [Finished] = []
    var steps: [DecodingStep] = []
    for index in 0..<options.maxLength {
      let ranked = candidates(live, limit: 2 * width)
      var chosen = Array(repeating: [Int](), count: live.count)
      var survivors: [(beam: Int, token: Int, logProb: Float)] = []
      for (rank, candidate) in ranked.enumerated() {
        if candidate.token == options.endToken {
          guard rank < width else { continue }
          var done = live[candidate.beam].hypothesis
          done.tokenLogProbs.append(live[candidate.beam].next.logProbs[candidate.token])
          done.finished = true
          finished.append(Finished(hypothesis: done, score: done.score(alpha: alpha), origin: candidate.beam))
          chosen[candidate.beam].append(candidate.token)
        } else if survivors.count < width {
          survivors.append(candidate)
          chosen[candidate.beam].append(candidate.token)
        }
      }
      steps.append(record(live, chosen: chosen, index: index, options: options))
      finished = Array(finished.sorted { $0.score > $1.score }.prefix(width))
      let atLimit = index + 1 == options.maxLength
      var grown: [(hypothesis: Hypothesis, parent: Int, token: Int)] = []
      for survivor in survivors {
        var hypothesis = live[survivor.beam].hypothesis
        hypothesis.tokens.append(survivor.token)
        hypothesis.tokenLogProbs.append(live[survivor.beam].next.logProbs[survivor.token])
        if atLimit {
          finished.append(
            Finished(hypothesis: hypothesis, score: hypothesis.score(alpha: alpha), origin: survivor.beam))
        } else {
          grown.append((hypothesis, survivor.beam, survivor.token))
        }
      }
      var branches = grown.map { live[$0.parent].state }  // value copies: the beams diverge here
      let outputs =
        grown.isEmpty
        ? [] : try model.checkedStepBatch(&branches, tokens: grown.map(\.token), step: index + 2)
      live = grown.indices.map {
        Live(
          state: branches[$0], hypothesis: grown[$0].hypothesis, next: outputs[$0], parent: grown[$0].parent)
      }
      if live.isEmpty || isDone(live, finished, width: width, alpha: alpha, maxLength: options.maxLength) {
        break
      }
    }
    let best = finished.sorted { $0.score > $1.score }.prefix(width)
    return DecodingResult(
      hypotheses: best.map(\.hypothesis), scores: best.map(\.score), steps: steps, origins: best.map(\.origin)
    )
  }

  /// A hypothesis set aside, and the live beam it came from at the step that ended it.
  struct Finished {
    var hypothesis: Hypothesis
    var score: Float
    var origin: Int
  }

  /// Every (beam, token) continuation by summed log-prob, best first; ties by beam then token.
  static func candidates<State>(_ live: [Live<State>], limit: Int) -> [(
    beam: Int, token: Int, logProb: Float
  )] {
    // Only each beam's best `limit` can be among the overall best `limit` (TopSelection.swift):
    // ranking them alone avoids sorting beams × vocabulary entries at every step.
    var all: [(beam: Int, token: Int, logProb: Float)] = []
    for (beam, entry) in live.enumerated() {
      let base = entry.hypothesis.logProb
      for token in topIndices(entry.next.logProbs, limit, isIncluded: { $0 > -.infinity }) {
        all.append((beam, token, base + entry.next.logProbs[token]))
      }
    }
    all.sort {
      $0.logProb != $1.logProb ? $0.logProb > $1.logProb : ($0.beam, $0.token) < ($1.beam, $1.token)
    }
    return Array(all.prefix(limit))
  }

  /// True when `width` hypotheses are finished and no live one can still beat the worst of them:
  /// log-probs only fall, so a live hypothesis's best possible score is its current log-prob over
  /// the most favourable length it can still reach.
  static func isDone<State>(
    _ live: [Live<State>], _ finished: [Finished], width: Int,
    alpha: Float, maxLength: Int
  ) -> Bool {
    guard finished.count >= width, let worst = finished.map(\.score).min() else { return false }
    let bestPossible = live.map { entry -> Float in
      let logProb = entry.hypothesis.logProb
      let length = alpha > 0 ? maxLength : entry.hypothesis.length + 1
      return LengthPenalty.score(logProb: logProb, length: length, alpha: alpha)
    }.max()!
    return bestPossible <= worst
  }

  static func record<State>(
    _ live: [Live<State>], chosen: [[Int]], index: Int, options: DecodingOptions
  ) -> DecodingStep {
    DecodingStep(
      index: index,
      hypotheses: live.enumerated().map { beam, entry in
        HypothesisStep(
          prefix: entry.hypothesis.tokens, logProb: entry.hypothesis.logProb,
          candidates: topCandidates(entry.next.logProbs, count: options.recordedCandidates),
          chosen: chosen[beam], attention: entry.next.attention, parent: entry.parent)
      })
  }
}
