// Runs greedy and beam search for the viewer's decode and compare screens — beam search under the
// model's decoding policy, so the screens show what `attnscope decode --strategy beam` prints — and
// turns the results into AppCore's view models (labels instead of ids, attention as one row per
// layer and head).
import AppCore
import Decoding
import Foundation
import Trace
import Workbench

extension LoadedModel {
  /// Most tokens a viewer decode generates, the end token included, where the model's format
  /// sets no length (a Hugging Face generation config does: its max_length / max_new_tokens).
  static let viewerMaxLength = 20

  func viewerDecoding(text: String) throws -> (DecodingSource, DecodingOptions) {
    let source = try decodingSource(text: text)
    let room = config.maxPositions - source.prefill.count
    let options = DecodingOptions(
      startToken: source.firstToken, endToken: endID,
      maxLength: max(1, min(defaultMaxLength(source) ?? Self.viewerMaxLength, room)))
    return (source, options)
  }

  /// The greedy decode of `text`, every step with its candidates and attention.
  public func decodeRun(text: String) throws -> DecodeRun {
    let (source, options) = try viewerDecoding(text: text)
    let result = try GreedySearch.decode(
      generationStepModel(source, maxLength: options.maxLength), options: options)
    let steps = result.steps.compactMap { step -> DecodeStepView? in
      guard let live = step.hypotheses.first, let chosen = live.chosen.first else { return nil }
      return stepView(live, chosen: chosen)
    }
    return DecodeRun(
      source: source.encoderLabels ?? (source.prefill + [source.firstToken]).map(label),
      start: label(source.firstToken), steps: steps)
  }

  /// One hypothesis's record at one step as the screens show it, `chosen` being its token there.
  func stepView(_ record: HypothesisStep, chosen: Int) -> DecodeStepView {
    DecodeStepView(
      candidates: record.candidates.map {
        TokenProbability(token: label($0.token), probability: $0.probability)
      },
      chosen: label(chosen), selfAttention: Self.row(record.attention, kind: .masked),
      crossAttention: Self.row(record.attention, kind: .cross))
  }

  /// The records of `result`'s hypothesis `index` along its own back-pointers, one per token.
  func pathViews(_ result: DecodingResult, _ index: Int) -> [DecodeStepView] {
    guard result.hypotheses.indices.contains(index) else { return [] }
    let hypothesis = result.hypotheses[index]
    return result.path(of: index).enumerated().map { step, record in
      stepView(record, chosen: step < hypothesis.tokens.count ? hypothesis.tokens[step] : endID)
    }
  }

  /// Greedy and beam search (`width`, α) on `text`, the beam under the model's decoding policy.
  public func compareRun(text: String, width: Int, alpha: Float) throws -> CompareRun {
    let (source, options) = try viewerDecoding(text: text)
    let greedy = try GreedySearch.decode(
      generationStepModel(source, maxLength: options.maxLength), options: options, alpha: alpha)
    var beamOptions = options
    beamOptions.recordedCandidates = max(options.recordedCandidates, 2 * width)  // every kept token
    let beam = try beamSearch(source, width: width, alpha: alpha, options: beamOptions)
    func view(_ hypothesis: Hypothesis, _ score: Float) -> HypothesisView {
      HypothesisView(
        tokens: hypothesis.tokens.map(label) + (hypothesis.finished ? [label(endID)] : []),
        logProbs: hypothesis.tokenLogProbs, score: score)
    }
    return CompareRun(
      greedy: view(greedy.hypotheses[0], greedy.scores[0]),
      beam: zip(beam.hypotheses, beam.scores).map(view), width: width, alpha: alpha,
      tree: beamTree(beam, start: source.firstToken, alpha: alpha), greedySteps: pathViews(greedy, 0),
      beamSteps: pathViews(beam, 0))
  }

  /// Never-kept candidates shown per step in the beam tree: the best few just below the cut.
  static let neverKeptPerStep = 2

  /// Every hypothesis the beam held, as a tree rooted at the start token: each step's live
  /// hypotheses with the tokens that continued them (end tokens as finished leaves), plus the best
  /// `neverKeptPerStep` candidates of each step that no hypothesis kept (dimmed leaves).
  func beamTree(_ result: DecodingResult, start: Int, alpha: Float) -> [BeamNode] {
    var nodes = [BeamNode(token: label(start), logProb: 0, parent: nil)]
    var byPrefix: [[Int]: Int] = [[]: 0]
    // A node `depth` tokens below the root is scored as the beam scores a hypothesis that long.
    func score(_ logProb: Float, depth: Int) -> Float {
      LengthPenalty.score(logProb: logProb, length: depth, alpha: alpha)
    }
    for step in result.steps {
      var cut: [(parent: Int, token: Int, logProb: Float, depth: Int)] = []
      for live in step.hypotheses {
        guard let parent = byPrefix[live.prefix] else { continue }
        for candidate in live.candidates
        where !live.chosen.contains(candidate.token) && candidate.probability > 0 {
          cut.append(
            (
              parent, candidate.token, live.logProb + Float(log(Double(candidate.probability))),
              live.prefix.count + 1
            ))
        }
      }
      for live in step.hypotheses {
        guard let parent = byPrefix[live.prefix] else { continue }
        nodes[parent].logProb = live.logProb
        nodes[parent].score = score(live.logProb, depth: live.prefix.count)
        nodes[parent].crossAttention = Self.row(live.attention, kind: .cross)
        for token in live.chosen {
          let probability = live.candidates.first { $0.token == token }?.probability ?? 0
          let logProb = live.logProb + Float(log(Double(probability)))
          nodes.append(
            BeamNode(
              token: label(token), logProb: logProb, parent: parent, finished: token == endID,
              score: score(logProb, depth: live.prefix.count + 1)))
          if token != endID { byPrefix[live.prefix + [token]] = nodes.count - 1 }
        }
      }
      for missed in cut.sorted(by: { $0.logProb > $1.logProb }).prefix(Self.neverKeptPerStep) {
        nodes.append(
          BeamNode(
            token: label(missed.token), logProb: missed.logProb, parent: missed.parent, neverKept: true,
            score: score(missed.logProb, depth: missed.depth)))
      }
    }
    return nodes
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
