// A loaded model as a Decoding step function: with the KV cache (one new position per step) or
// recomputing the whole prefix each step (`--no-cache`, the reference the cache is checked against).
import Decoding
import Foundation
import Tokenization
import Trace
import Transformer

/// What a decoding run starts from: the encoder input (encoder-decoder) or the prompt prefilled
/// before the first step (decoder-only), and the token fed first.
public struct DecodingSource: Sendable {
  public var encoderIDs: [Int]?
  public var encoderLabels: [String]?
  /// Decoder tokens before `firstToken` (decoder-only: `<s>` and the prompt but its last word).
  public var prefill: [Int]
  public var firstToken: Int
  public var notices: [String]

  public init(
    encoderIDs: [Int]?, encoderLabels: [String]? = nil, prefill: [Int], firstToken: Int,
    notices: [String] = []
  ) {
    self.encoderIDs = encoderIDs
    self.encoderLabels = encoderLabels
    self.prefill = prefill
    self.firstToken = firstToken
    self.notices = notices
  }
}

extension LoadedModel {
  /// What a decode of `text` starts from, framed as `trace` frames it with one position left for
  /// the first generated token; empty text is an error, long text is truncated.
  public func decodingSource(text: String) throws(ModelError) -> DecodingSource {
    var notices = format.notices
    switch config.architecture {
    case .encoderOnly, .vision:
      throw ModelError("\(name) is encoder-only: it has no decoder to decode with")
    case .decoderOnly:
      let ids = try format.frame(text, side: .prompt, limit: config.maxPositions - 1, notices: &notices)
        .map(\.id)
      return DecodingSource(
        encoderIDs: nil, encoderLabels: nil, prefill: Array(ids.dropLast()), firstToken: ids.last!,
        notices: notices)
    case .encoderDecoder:
      let input = try format.frame(text, side: .input, limit: config.maxPositions, notices: &notices)
      return DecodingSource(
        encoderIDs: input.map(\.id), encoderLabels: input.map(\.label), prefill: [],
        firstToken: format.decoderStart.id, notices: notices)
    }
  }

  /// A step function over this model for `source`, cached or recomputing.
  public func stepModel(_ source: DecodingSource, cached: Bool = true) -> any StepModel {
    cached
      ? CachedStepModel(model, source: source, label: label)
      : RecomputingStepModel(model: model, source: source, label: label)
  }

  /// `stepModel` with the format's logits processors (a Hugging Face generation config's bad words
  /// and forced end token at the `maxLength`-th token).
  public func generationStepModel(_ source: DecodingSource, cached: Bool = true, maxLength: Int)
    -> any StepModel
  {
    func wrap<M: StepModel>(_ model: M) -> any StepModel {
      format.generationStepModel(model, maxLength: maxLength)
    }
    return wrap(stepModel(source, cached: cached))
  }

  /// Tokens a decode generates by default: the format's (transformers' max_length or
  /// max_new_tokens after the prompt), nil where the format has none.
  public func defaultMaxLength(_ source: DecodingSource) -> Int? {
    format.defaultMaxLength(promptLength: source.prefill.count + 1)
  }

  /// Beam search under the model's decoding policy; `width` and `alpha` default to the policy's.
  public func beamSearch(
    _ source: DecodingSource, width: Int? = nil, alpha: Float? = nil, options: DecodingOptions,
    cached: Bool = true
  ) throws -> DecodingResult {
    func run<M: StepModel>(_ model: M) throws -> DecodingResult {
      try policy.beamSearch(model, width: width, alpha: alpha, options: options)
    }
    return try run(generationStepModel(source, cached: cached, maxLength: options.maxLength))
  }
}

public struct CachedStepModel: StepModel {
  public struct State: Sendable {
    var cache: DecoderCache
    let memory: CrossKVCache?  // shared by every copy
  }
  let model: TransformerModel
  let source: DecodingSource
  /// Labels the recorded attention's keys and queries.
  let label: @Sendable (Int) -> String

  /// `label` names tokens in the recorded attention (the model's vocabulary, or ids).
  public init(
    _ model: TransformerModel, source: DecodingSource,
    label: @escaping @Sendable (Int) -> String = { "\($0)" }
  ) {
    (self.model, self.source, self.label) = (model, source, label)
  }

  public var vocabularySize: Int { model.config.decoderVocabSize }

  public func start() throws -> State {
    let memory = try source.encoderIDs.map {
      try model.encodeForDecoding(encoderIDs: $0, labels: source.encoderLabels)
    }
    var state = State(cache: model.makeDecoderCache(), memory: memory)
    if !source.prefill.isEmpty {
      _ = try model.decodeStep(
        tokens: source.prefill, labels: source.prefill.map(label), cache: &state.cache,
        encoderMemory: memory)
    }
    return state
  }

  public func step(_ state: inout State, token: Int) throws -> StepOutput {
    let recorder = AttentionRecorder()
    let logits = try model.decodeStep(
      token: token, label: label(token), cache: &state.cache, encoderMemory: state.memory,
      recorder: recorder)
    return StepOutput(logProbs: Probabilities.logSoftmax(logits), attention: recorder.entries)
  }

  /// Every hypothesis's new position in one batched forward; each state keeps its own cache and
  /// they all share the encoder memory.
  public func stepBatch(_ states: inout [State], tokens: [Int]) throws -> [StepOutput] {
    guard states.count > 1 else { return try states.indices.map { try step(&states[$0], token: tokens[$0]) } }
    let recorders = tokens.map { _ in AttentionRecorder() }
    var caches = states.map(\.cache)
    let logits = try model.decodeStepBatch(
      tokens: tokens, labels: tokens.map(label), caches: &caches, encoderMemory: states[0].memory,
      recorders: recorders)  // [B, V]
    for index in states.indices { states[index].cache = caches[index] }
    return tokens.indices.map {
      StepOutput(logProbs: Probabilities.logSoftmax(logits.row($0)), attention: recorders[$0].entries)
    }
  }
}

/// The whole prefix through `forward` at every step; attention is cut down to the last query so
/// the records match the cached model's.
struct RecomputingStepModel: StepModel {
  let model: TransformerModel
  let source: DecodingSource
  let label: @Sendable (Int) -> String

  var vocabularySize: Int { model.config.decoderVocabSize }

  func start() throws -> [Int] { source.prefill }

  func step(_ state: inout [Int], token: Int) throws -> StepOutput {
    state.append(token)
    let recorder = AttentionRecorder()
    let labels = TokenLabels(encoder: source.encoderLabels, decoder: state.map(label))
    let logits = try model.forward(
      encoderIDs: source.encoderIDs, decoderIDs: state, labels: labels, recorder: recorder
    ).logits  // [n, V]
    let attention = recorder.entries.filter { $0.stack == .decoder }.map(Self.lastQuery)
    return StepOutput(logProbs: Probabilities.logSoftmax(logits.row(logits.rows - 1)), attention: attention)
  }

  /// The entry restricted to its last query row, [heads, 1, keys].
  static func lastQuery(_ entry: AttentionEntry) -> AttentionEntry {
    let (n, k) = (entry.queries.count, entry.keys.count)
    var weights: [Float] = []
    var scores: [Float] = []
    for head in 0..<entry.heads {
      let start = (head * n + n - 1) * k
      weights += entry.weights[start..<(start + k)]
      scores += entry.scores[start..<(start + k)]
    }
    return AttentionEntry(
      stack: entry.stack, kind: entry.kind, layer: entry.layer, heads: entry.heads,
      queries: [entry.queries[n - 1]], keys: entry.keys, weights: weights, scores: scores)
  }
}
