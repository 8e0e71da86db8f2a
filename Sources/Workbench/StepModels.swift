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
}

extension LoadedModel {
  /// Tokenises `text` the way `trace` does; empty text is an error, long text is truncated.
  public func decodingSource(text: String) throws(ModelError) -> DecodingSource {
    if let hf = huggingFace { return try huggingFaceDecodingSource(hf, text: text) }
    var notices: [String] = []
    switch config.architecture {
    case .encoderOnly, .vision:
      throw ModelError("\(name) is encoder-only: it has no decoder to decode with")
    case .decoderOnly:
      let prompt = try tokens(text, tokenizer: targetTokenizer, reserve: 2, side: "input", &notices)
      let ids = [Vocabulary.startID] + prompt.map(\.id)
      return DecodingSource(prefill: ids.dropLast(), firstToken: ids.last!, notices: notices)
    case .encoderDecoder:
      let source = try tokens(text, tokenizer: sourceTokenizer, reserve: 1, side: "input", &notices)
      return DecodingSource(
        encoderIDs: source.map(\.id) + [Vocabulary.endID], encoderLabels: source.map(\.label) + ["</s>"],
        prefill: [], firstToken: Vocabulary.startID, notices: notices)
    }
  }

  /// A step function over this model for `source`, cached or recomputing.
  public func stepModel(_ source: DecodingSource, cached: Bool = true) -> any StepModel {
    cached
      ? CachedStepModel(loaded: self, source: source) : RecomputingStepModel(loaded: self, source: source)
  }
}

/// Log-softmax of a logits row.
func logSoftmax(_ logits: some Collection<Float>) -> [Float] {
  let maximum = logits.max() ?? 0
  let logSum = Float(log(logits.reduce(0.0) { $0 + exp(Double($1 - maximum)) }))
  return logits.map { $0 - maximum - logSum }
}

public struct CachedStepModel: StepModel {
  public struct State: Sendable {
    var cache: DecoderCache
    let memory: CrossKVCache?  // shared by every copy
  }
  let loaded: LoadedModel
  let source: DecodingSource

  public var vocabularySize: Int { loaded.config.decoderVocabSize }

  public func start() throws -> State {
    let model = loaded.model
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
    let logits = try loaded.model.decodeStep(
      token: token, label: label(token), cache: &state.cache, encoderMemory: state.memory,
      recorder: recorder)
    return StepOutput(logProbs: logSoftmax(logits), attention: recorder.entries)
  }

  /// Every hypothesis's new position in one batched forward; each state keeps its own cache and
  /// they all share the encoder memory.
  public func stepBatch(_ states: inout [State], tokens: [Int]) throws -> [StepOutput] {
    guard states.count > 1 else { return try states.indices.map { try step(&states[$0], token: tokens[$0]) } }
    let recorders = tokens.map { _ in AttentionRecorder() }
    var caches = states.map(\.cache)
    let logits = try loaded.model.decodeStepBatch(
      tokens: tokens, labels: tokens.map(label), caches: &caches, encoderMemory: states[0].memory,
      recorders: recorders)  // [B, V]
    for index in states.indices { states[index].cache = caches[index] }
    return tokens.indices.map {
      StepOutput(logProbs: logSoftmax(logits.row($0)), attention: recorders[$0].entries)
    }
  }

  func label(_ id: Int) -> String { loaded.targetTokenizer.vocabulary.token(of: id) }
}

/// The whole prefix through `forward` at every step; attention is cut down to the last query so
/// the records match the cached model's.
public struct RecomputingStepModel: StepModel {
  let loaded: LoadedModel
  let source: DecodingSource

  public var vocabularySize: Int { loaded.config.decoderVocabSize }

  public func start() throws -> [Int] { source.prefill }

  public func step(_ state: inout [Int], token: Int) throws -> StepOutput {
    state.append(token)
    let recorder = AttentionRecorder()
    let vocabulary = loaded.targetTokenizer.vocabulary
    let labels = TokenLabels(encoder: source.encoderLabels, decoder: state.map { vocabulary.token(of: $0) })
    let logits = try loaded.model.forward(
      encoderIDs: source.encoderIDs, decoderIDs: state, labels: labels, recorder: recorder
    ).logits  // [n, V]
    let attention = recorder.entries.filter { $0.stack == .decoder }.map(Self.lastQuery)
    return StepOutput(logProbs: logSoftmax(logits.row(logits.rows - 1)), attention: attention)
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
