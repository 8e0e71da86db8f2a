// Runs greedy and beam search for the viewer's decode and compare screens and turns the results
// into AppCore's view models (labels instead of ids, attention as one row per layer and head).
import AppCore
import Decoding
import Tokenization
import Trace
import Workbench

extension LoadedModel {
  /// Most tokens a viewer decode generates, the end token included.
  static let viewerMaxLength = 20

  func viewerDecoding(text: String) throws -> (DecodingSource, DecodingOptions) {
    let source = try decodingSource(text: text)
    let room = config.maxPositions - source.prefill.count
    let options = DecodingOptions(
      startToken: source.firstToken, endToken: Vocabulary.endID,
      maxLength: max(1, min(Self.viewerMaxLength, room)))
    return (source, options)
  }

  func label(_ id: Int) -> String { targetTokenizer.vocabulary.token(of: id) }

  /// The greedy decode of `text`, every step with its candidates and attention.
  func decodeRun(text: String) throws -> DecodeRun {
    let (source, options) = try viewerDecoding(text: text)
    let result = try GreedySearch.decode(stepModel(source), options: options)
    let steps = result.steps.compactMap { step -> DecodeStepView? in
      guard let live = step.hypotheses.first, let chosen = live.chosen.first else { return nil }
      return DecodeStepView(
        candidates: live.candidates.map {
          TokenProbability(token: label($0.token), probability: $0.probability)
        },
        chosen: label(chosen), selfAttention: Self.row(live.attention, kind: .masked),
        crossAttention: Self.row(live.attention, kind: .cross))
    }
    return DecodeRun(
      source: source.encoderLabels ?? (source.prefill + [source.firstToken]).map(label),
      start: label(source.firstToken), steps: steps)
  }

  /// Greedy and beam search (`width`, α) on `text`.
  func compareRun(text: String, width: Int, alpha: Float) throws -> CompareRun {
    let (source, options) = try viewerDecoding(text: text)
    let greedy = try GreedySearch.decode(stepModel(source), options: options, alpha: alpha)
    let beam = try BeamSearch.decode(stepModel(source), width: width, alpha: alpha, options: options)
    func view(_ hypothesis: Hypothesis, _ score: Float) -> HypothesisView {
      HypothesisView(
        tokens: hypothesis.tokens.map(label) + (hypothesis.finished ? [label(Vocabulary.endID)] : []),
        logProbs: hypothesis.tokenLogProbs, score: score)
    }
    return CompareRun(
      greedy: view(greedy.hypotheses[0], greedy.scores[0]),
      beam: zip(beam.hypotheses, beam.scores).map(view), width: width, alpha: alpha)
  }

  /// The decoder's entries of one kind as a single query row per layer and head.
  static func row(_ entries: [AttentionEntry], kind: AttentionKind) -> AttentionRow? {
    let layers = entries.filter { $0.stack == .decoder && $0.kind == kind }.sorted { $0.layer < $1.layer }
    guard let first = layers.first, let query = first.queries.last else { return nil }
    return AttentionRow(
      query: query, keys: first.keys,
      weights: layers.map { entry in
        (0..<entry.heads).map { entry.weightMatrix(head: $0).last ?? [] }
      })
  }
}
