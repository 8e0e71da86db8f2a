// Beam search exactly as transformers 5's `GenerationMixin._beam_search` (generation/utils.py:
// `_get_top_k_continuations`, `_get_running_beams_for_next_iteration`, `_update_finished_beams`,
// `_check_early_stop_heuristic`), so a Hugging Face model's beam ids match `generate(num_beams=W)`:
// the top 2·W continuations by summed log-prob; of those, the ones in the top W that end (end token,
// or the maximum length) are finished with score log-prob / generated-length^penalty; the best W
// that do not end stay live. It stops when every candidate ends, or — `early_stopping` false, HF's
// default — once W hypotheses are finished and the best live one, at its current length, cannot beat
// the worst of them. `BeamSearch` keeps the exact bound instead (HF's `"never"` with α > 0).
import Foundation

public enum HuggingFaceBeamSearch {
  public enum EarlyStopping: Sendable {
    /// transformers' `early_stopping=False`: the best live score at its current length.
    case heuristic
    /// `early_stopping=True`: stop as soon as W hypotheses are finished.
    case whenFinished
    /// `early_stopping="never"`: the best live score at the maximum length when the penalty is > 0.
    case never
  }

  struct Live<State> {
    var state: State
    var hypothesis: Hypothesis
    var next: StepOutput
    var parent: Int?
    /// Summed log-prob as HF accumulates it (float32, step by step).
    var score: Float
  }

  /// `promptLength`: tokens before the first generated one (1 for an encoder-decoder's start token,
  /// the prompt's length for a decoder-only model); `options.maxLength` counts generated tokens.
  public static func decode<Model: StepModel>(
    _ model: Model, width: Int, lengthPenalty: Float = 1, earlyStopping: EarlyStopping = .heuristic,
    promptLength: Int = 1, options: DecodingOptions
  ) throws -> DecodingResult {
    try GreedySearch.validate(options, alpha: lengthPenalty)
    guard (1...16).contains(width) else { throw DecodingError("beam width must be 1…16, got \(width)") }
    guard 2 * width <= model.vocabularySize else {
      throw DecodingError("beam width \(width) needs at least \(2 * width) tokens in the vocabulary")
    }
    var state = try model.start()
    let first = try model.checkedStep(&state, token: options.startToken, step: 1)
    var live = [Live(state: state, hypothesis: Hypothesis(), next: first, parent: nil, score: 0)]
    var finished: [BeamSearch.Finished] = []
    var steps: [DecodingStep] = []
    var improvementPossible = true
    func penalised(_ logProb: Float, _ length: Int) -> Float {
      logProb / Float(max(length, 1)).power(lengthPenalty)
    }
    for index in 0..<options.maxLength {
      let atLimit = index + 1 == options.maxLength  // MaxLengthCriteria: every candidate ends here
      let ranked = candidates(live, limit: 2 * width)
      var chosen = Array(repeating: [Int](), count: live.count)
      var survivors: [(beam: Int, token: Int, score: Float)] = []
      let finishedAreFull = finished.count == width && earlyStopping == .whenFinished
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
        finished.append(
          Finished(hypothesis: done, score: penalised(candidate.score, index + 1), origin: candidate.beam))
        chosen[candidate.beam].append(candidate.token)
      }
      for survivor in survivors { chosen[survivor.beam].append(survivor.token) }
      steps.append(BeamSearch.record(live.map(\.asBeamLive), chosen: chosen, index: index, options: options))
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
      // The early-stop check, on the lengths after this step.
      let generated = index + 1
      let bestLength =
        earlyStopping == .never && lengthPenalty > 0 ? options.maxLength : generated
      let bestPossible = penalised(live[0].score, bestLength)
      let worstFinished = finished.count == width ? finished.map(\.score).min()! : -1e9
      improvementPossible = improvementPossible && bestPossible > worstFinished
      if !improvementPossible { break }
      if earlyStopping == .whenFinished && finished.count == width { break }
    }
    let best = finished.sorted { $0.score > $1.score }.prefix(width)
    return DecodingResult(
      hypotheses: best.map(\.hypothesis), scores: best.map(\.score), steps: steps, origins: best.map(\.origin)
    )
  }

  typealias Finished = BeamSearch.Finished

  /// The `limit` best (beam, token) continuations by accumulated score (ties: beam, then token —
  /// torch.topk's order on ties is unspecified; ties do not occur on real logits).
  static func candidates<State>(_ live: [Live<State>], limit: Int) -> [(beam: Int, token: Int, score: Float)]
  {
    // The overall best `limit` are among each beam's best `limit` (adding the beam's score keeps
    // the order within a beam), so only those are ranked.
    var all: [(beam: Int, token: Int, score: Float)] = []
    for (beam, entry) in live.enumerated() {
      for token in topIndices(entry.next.logProbs, limit, isIncluded: { $0 > -.infinity }) {
        all.append((beam, token, entry.score + entry.next.logProbs[token]))
      }
    }
    all.sort { $0.score != $1.score ? $0.score > $1.score : ($0.beam, $0.token) < ($1.beam, $1.token) }
    return Array(all.prefix(limit))
  }
}

extension HuggingFaceBeamSearch.Live {
  /// The same hypothesis in `BeamSearch`'s record form.
  var asBeamLive: BeamSearch.Live<State> {
    BeamSearch.Live(state: state, hypothesis: hypothesis, next: next, parent: parent)
  }
}
