// Text in, attention trace out: tokenises, adds the special tokens each architecture expects,
// truncates to the position table with a notice, and runs the model with a recorder.
import Tokenization
import Trace
import Transformer

/// A trace plus the notices the user should see (truncation, unknown words, a generated target).
public struct TraceResult: Sendable {
  public var trace: AttentionTrace
  public var notices: [String]

  /// Every trace passes here, so a model whose activations overflowed is always named in a notice.
  public init(trace: AttentionTrace, notices: [String]) {
    self.trace = trace
    self.notices = notices + (trace.nonFiniteNotice.map { [$0] } ?? [])
  }
}

extension LoadedModel {
  /// Encoder-decoder: the encoder reads `text` + `</s>`, the decoder `<s>` + `target` (teacher
  /// forcing); without a target, the greedy output is used. Decoder-only: `<s>` + `text`.
  /// Encoder-only: `text`.
  /// `recordsVectors` also keeps every head's q, k, v and output (the TUI's Q·K detail screen).
  public func trace(text: String, target: String? = nil, recordsVectors: Bool = false) throws(ModelError)
    -> TraceResult
  {
    var result = try traceText(text: text, target: target, recordsVectors: recordsVectors)
    if target != nil, config.architecture != .encoderDecoder {
      let kind = config.architecture == .decoderOnly ? "decoder-only" : "encoder-only"
      result.notices.insert(
        "--target ignored: \(name) is \(kind) (only encoder-decoder models read a target)", at: 0)
    }
    return result
  }

  private func traceText(text: String, target: String?, recordsVectors: Bool) throws(ModelError)
    -> TraceResult
  {
    if let hf = huggingFace {
      return try huggingFaceTrace(hf, text: text, target: target, recordsVectors: recordsVectors)
    }
    var notices: [String] = []
    let recorder = AttentionRecorder(recordsVectors: recordsVectors)
    switch config.architecture {
    case .vision:
      throw ModelError("\(name) is an image model: give it an image, not text")
    case .encoderOnly:
      let source = try tokens(text, tokenizer: sourceTokenizer, reserve: 0, side: "input", &notices)
      _ = try model.forward(
        encoderIDs: source.map(\.id), labels: TokenLabels(encoder: source.map(\.label)),
        recorder: recorder)
      return result(recorder, TokenLabels(encoder: source.map(\.label)), notices)
    case .decoderOnly:
      let prompt = try tokens(text, tokenizer: targetTokenizer, reserve: 1, side: "input", &notices)
      let labels = ["<s>"] + prompt.map(\.label)
      _ = try model.forward(
        decoderIDs: [Vocabulary.startID] + prompt.map(\.id), labels: TokenLabels(decoder: labels),
        recorder: recorder)
      return result(recorder, TokenLabels(decoder: labels), notices)
    case .encoderDecoder:
      let source = try tokens(text, tokenizer: sourceTokenizer, reserve: 1, side: "input", &notices)
      let encoderIDs = source.map(\.id) + [Vocabulary.endID]
      var targetTokens: [Token]
      if let target {
        targetTokens = try tokens(target, tokenizer: targetTokenizer, reserve: 1, side: "target", &notices)
      } else {
        targetTokens = try greedyTarget(encoderIDs: encoderIDs)
        notices.append("no --target given: showing the model's own greedy output")
      }
      let labels = TokenLabels(
        encoder: source.map(\.label) + ["</s>"], decoder: ["<s>"] + targetTokens.map(\.label))
      _ = try model.forward(
        encoderIDs: encoderIDs, decoderIDs: [Vocabulary.startID] + targetTokens.map(\.id),
        labels: labels, recorder: recorder)
      return result(recorder, labels, notices)
    }
  }

  private func result(_ recorder: AttentionRecorder, _ labels: TokenLabels, _ notices: [String])
    -> TraceResult
  {
    TraceResult(
      trace: AttentionTrace(model: name, tokens: labels, attention: recorder.entries),
      notices: notices)
  }

  /// Tokens of `text`, leaving `reserve` positions for special tokens; empty input is an error,
  /// over-long input is truncated with a notice, unknown words are named in a notice.
  func tokens(
    _ text: String, tokenizer: any TextTokenizer, reserve: Int, side: String, _ notices: inout [String]
  ) throws(ModelError) -> [Token] {
    var tokens = tokenizer.encode(text)
    guard !tokens.isEmpty else { throw ModelError("the \(side) is empty: nothing to show") }
    let limit = config.maxPositions - reserve
    if tokens.count > limit {
      notices.append(
        "\(side) truncated from \(tokens.count) to \(limit) tokens (max_positions \(config.maxPositions))")
      tokens = Array(tokens.prefix(limit))
    }
    let unknown = tokens.filter(\.isUnknown).map(\.label)
    if !unknown.isEmpty {
      notices.append("not in the vocabulary, shown as <unk>: \(unknown.prefix(5).joined(separator: " "))")
    }
    return tokens.map { $0.isUnknown ? Token(id: $0.id, label: "<unk>", isUnknown: true) : $0 }
  }

  /// The model's own greedy translation (a `--target` was not given).
  func greedyTarget(encoderIDs: [Int]) throws(ModelError) -> [Token] {
    let ids = try model.greedy(
      encoderIDs: encoderIDs, prefix: [Vocabulary.startID], endID: Vocabulary.endID)
    return ids.map {
      Token(id: $0, label: targetTokenizer.vocabulary.token(of: $0))
    }
  }
}
