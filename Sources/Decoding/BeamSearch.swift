// Beam search as transformers 5's `GenerationMixin._beam_search` runs it (generation/utils.py:
// `_get_top_k_continuations`, `_get_running_beams_for_next_iteration`, `_update_finished_beams`,
// `_check_early_stop_heuristic`): the top 2·W continuations by summed log-prob; of those, the ones
// in the top W that end (the end token, or the maximum length) are finished with score
// log-prob / generated-length^α; the best W that do not end stay live. When to stop is the
// `Stopping` rule: attnscope's own models use the exact bound (`.never`), a Hugging Face model its
// generation config's `early_stopping`. The live hypotheses advance as one `stepBatch` (HF runs the
// beams as batch rows of one forward), and each keeps a back-pointer to the beam it grew from
// (HF's `beam_indices`).
import Foundation

public enum BeamSearch {
  /// When a search with W finished hypotheses stops (transformers' `early_stopping`).
  public enum Stopping: Sendable, Equatable {
    /// `early_stopping=False` (transformers' default): when the best live hypothesis, scored at its
    /// current length, cannot beat the worst finished one.
    case heuristic
    /// `early_stopping=True`: as soon as W hypotheses are finished.
    case whenFinished
    /// `early_stopping="never"`: the exact bound — the best live log-prob at the most favourable
    /// length it can still reach (the maximum length when α > 0) cannot beat the worst finished.
    case never
  }

  struct Live<State> {
    var state: State
    var hypothesis: Hypothesis
    var next: StepOutput
    /// Index of the hypothesis it extends in the previous step's record; nil at the first step.
    var parent: Int?
    /// Summed log-prob as HF accumulates it (float32, step by step).
    var score: Float
  }

  /// A hypothesis set aside, and the live beam it came from at the step that ended it.
  struct Finished {
    var hypothesis: Hypothesis
    var score: Float
    var origin: Int
  }

  /// Decodes with `width` live hypotheses (1…16) and returns up to `width` hypotheses best first;
  /// `options.maxLength` counts generated tokens.
  public static func decode<Model: StepModel>(
    _ model: Model, width: Int, alpha: Float = 0, stopping: Stopping = .never, options: DecodingOptions
  ) throws -> DecodingResult {
    try GreedySearch.validate(options, alpha: alpha)
    guard (1...16).contains(width) else { throw DecodingError("beam width must be 1…16, got \(width)") }
    guard width <= model.vocabularySize else {
      throw DecodingError("beam width \(width) is larger than the vocabulary (\(model.vocabularySize))")
    }
    var state = try model.start()
    let first = try model.checkedStep(&state, token: options.startToken, step: 1)
    var live = [Live(state: state, hypothesis: Hypothesis(), next: first, parent: nil, score: 0)]
    var finished: [Finished] = []
    var steps: [DecodingStep] = []
    var improvementPossible = true
    for index in 0..<options.maxLength {
      let atLimit = index + 1 == options.maxLength  // MaxLengthCriteria: every candidate ends here
      let ranked = candidates(live, limit: 2 * width)
      var chosen = Array(repeating: [Int](), count: live.count)
      var survivors: [(beam: Int, token: Int, score: Float)] = []
      let finishedAreFull = finished.count == width && stopping == .whenFinished
      for (rank, candidate) in ranked.enumerated() {
        let ends = candidate.token == options.endToken || atLimit
        if !ends {
          if survivors.count < width { survivors.append(candidate) }
          continue
        }
        guard rank < width, improvementPossible, !finishedAreFull else { continue }
        var done = live[candidate.beam].hypothesis
        if candidate.token != options.endToken { done.tokens.append(candidate.token) }
        done.tokenLogProbs.append(live[candidate.beam].next.logProbs[candidate.token])
        done.finished = candidate.token == options.endToken
        // Scored by its summed log-prob as accumulated, over the generated length (end included).
        let score = LengthPenalty.score(logProb: candidate.score, length: index + 1, alpha: alpha)
        finished.append(Finished(hypothesis: done, score: score, origin: candidate.beam))
        chosen[candidate.beam].append(candidate.token)
      }
      for survivor in survivors { chosen[survivor.beam].append(survivor.token) }
      steps.append(record(live, chosen: chosen, index: index, options: options))
      finished = Array(finished.sorted { $0.score > $1.score }.prefix(width))
      if atLimit || survivors.isEmpty { break }
      var branches = survivors.map { live[$0.beam].state }  // value copies: the beams diverge here
      let outputs = try model.checkedStepBatch(&branches, tokens: survivors.map(\.token), step: index + 2)
      live = survivors.indices.map { i in
        var hypothesis = live[survivors[i].beam].hypothesis
        hypothesis.tokens.append(survivors[i].token)
        hypothesis.tokenLogProbs.append(live[survivors[i].beam].next.logProbs[survivors[i].token])
        return Live(
          state: branches[i], hypothesis: hypothesis, next: outputs[i], parent: survivors[i].beam,
          score: survivors[i].score)
      }
      // The stopping check, on the lengths after this step.
      let bestLength = stopping == .never && alpha > 0 ? options.maxLength : index + 1
      let bestPossible = LengthPenalty.score(logProb: live[0].score, length: bestLength, alpha: alpha)
      let worstFinished = finished.count == width ? finished.map(\.score).min()! : -.infinity
      improvementPossible = improvementPossible && bestPossible > worstFinished
      if !improvementPossible { break }
      if stopping == .whenFinished && finished.count == width { break }
    }
    let best = finished.sorted { $0.score > $1.score }.prefix(width)
    return DecodingResult(
      hypotheses: best.map(\.hypothesis), scores: best.map(\.score), steps: steps, origins: best.map(\.origin)
    )
  }

  /// The `limit` best (beam, token) continuations by accumulated score (ties: beam, then token —
  /// torch.topk's order on ties is unspecified; ties do not occur on real logits).
  static func candidates<State>(_ live: [Live<State>], limit: Int) -> [(beam: Int, token: Int, score: Float)]
  {
    // The overall best `limit` are among each beam's best `limit` (adding the beam's score keeps
    // the order within a beam; TopSelection.swift), so only those are ranked, not beams × vocabulary.
    var all: [(beam: Int, token: Int, score: Float)] = []
    for (beam, entry) in live.enumerated() {
      for token in topIndices(entry.next.logProbs, limit, isIncluded: { $0 > -.infinity }) {
        all.append((beam, token, entry.score + entry.next.logProbs[token]))
      }
    }
    all.sort { $0.score != $1.score ? $0.score > $1.score : ($0.beam, $0.token) < ($1.beam, $1.token) }
    return Array(all.prefix(limit))
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
