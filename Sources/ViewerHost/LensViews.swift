// The decode screen's logit lens: greedy and beam search as the screens run them (DecodingViews),
// then one forward per hypothesis over its whole sequence keeping the residual stream (Workbench's
// LogitLens.swift) — causal attention makes each position's reading the one of its own prefix — and
// the readings of its generated positions as AppCore's `LensRun`. Also the compare screen's
// "before" of an ablated model.
import AppCore
import Decoding
import Tokenization
import Workbench

extension CompareBefore {
  /// What the compare screen keeps of the model as trained's run.
  init(_ run: CompareRun) {
    self.init(greedy: run.greedy, beam: run.beam.first, greedySteps: run.greedySteps)
  }
}

extension LoadedModel {
  /// Candidates per layer the lens keeps (the screen shows as many as fit).
  static let lensTop = 8

  /// Greedy and every beam hypothesis (`width`, α) of `text`, each step read through the lens.
  public func lensRun(text: String, width: Int, alpha: Float) throws -> LensRun {
    let (source, options) = try viewerDecoding(text: text)
    let greedy = try GreedySearch.decode(
      generationStepModel(source, maxLength: options.maxLength), options: options, alpha: alpha)
    let beam = try beamSearch(source, width: width, alpha: alpha, options: options)
    let named =
      [("greedy", greedy.hypotheses[0])]
      + beam.hypotheses.enumerated().map { ("beam \(width) #\($0 + 1)", $1) }
    return LensRun(
      hypotheses: try named.map { name, hypothesis in
        LensHypothesis(name: name, steps: try lensSteps(source, hypothesis))
      })
  }

  /// One reading per generated token (the end token's included when the hypothesis finished).
  func lensSteps(_ source: DecodingSource, _ hypothesis: Hypothesis) throws -> [LensStep] {
    let generated = hypothesis.tokens + (hypothesis.finished ? [endID] : [])
    guard !generated.isEmpty else { return [] }
    let full = source.prefill + [source.firstToken] + generated
    // Position p reads what follows it: the decoder runs on all but the last token.
    let decoder = full.dropLast().map { Token(id: $0, label: label($0)) }
    let result = try lens(
      encoderIDs: source.encoderIDs, decoder: decoder, top: Self.lensTop, follow: Array(full.dropFirst()))
    return generated.enumerated().map { step, id in
      let position = source.prefill.count + step
      let layers = result.readings.map { $0[position] }
      return LensStep(
        chosen: label(id),
        layers: layers.map { $0.map { TokenProbability(token: $0.token, probability: $0.probability) } },
        chosenProbability: result.followed.map { $0[position] },
        firstTop: layers.firstIndex { $0.first?.id == id })
    }
  }
}
