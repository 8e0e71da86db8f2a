// Text in, attention trace out: the model's format frames the text (special tokens, truncation
// with a notice), then one forward with a recorder.
import Decoding
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
  /// Encoder-only: the framed text. Decoder-only: the framed prompt. Encoder-decoder: the encoder
  /// reads the framed text, the decoder the start token + `target` (teacher forcing), or + the
  /// model's own greedy output when no target is given.
  /// `recordsVectors` also keeps every head's q, k, v and output (the TUI's Q·K detail screen).
  public func trace(text: String, target: String? = nil, recordsVectors: Bool = false) throws(ModelError)
    -> TraceResult
  {
    var notices = format.notices
    if target != nil, config.architecture != .encoderDecoder {
      let kind = config.architecture == .decoderOnly ? "decoder-only" : "encoder-only"
      notices.append("--target ignored: \(name) is \(kind) (only encoder-decoder models read a target)")
    }
    let recorder = AttentionRecorder(recordsVectors: recordsVectors)
    let limit = config.maxPositions
    let labels: TokenLabels
    switch config.architecture {
    case .vision:
      throw ModelError("\(name) is an image model: give it an image, not text")
    case .encoderOnly:
      let input = try format.frame(text, side: .input, limit: limit, notices: &notices)
      labels = TokenLabels(encoder: input.map(\.label))
      _ = try model.forward(encoderIDs: input.map(\.id), labels: labels, recorder: recorder)
    case .decoderOnly:
      let prompt = try format.frame(text, side: .prompt, limit: limit, notices: &notices)
      labels = TokenLabels(decoder: prompt.map(\.label))
      _ = try model.forward(decoderIDs: prompt.map(\.id), labels: labels, recorder: recorder)
    case .encoderDecoder:
      let input = try format.frame(text, side: .input, limit: limit, notices: &notices)
      let generated: [Token]
      if let target {
        generated = try format.frame(target, side: .target, limit: limit - 1, notices: &notices)
      } else {
        generated = try greedyOutput(encoder: input)
        notices.append("no --target given: showing the model's own greedy output")
      }
      let decoder = [format.decoderStart] + generated
      labels = TokenLabels(encoder: input.map(\.label), decoder: decoder.map(\.label))
      _ = try model.forward(
        encoderIDs: input.map(\.id), decoderIDs: decoder.map(\.id), labels: labels, recorder: recorder)
    }
    return TraceResult(
      trace: AttentionTrace(model: name, tokens: labels, attention: recorder.entries), notices: notices)
  }

  /// Tokens a trace generates at most when it shows the model's own output.
  static let greedyTraceLimit = 64

  /// The model's own greedy output for `encoder` (as `generate(num_beams=1)` for a Hugging Face
  /// model), without the end token.
  func greedyOutput(encoder: [Token]) throws(ModelError) -> [Token] {
    let source = DecodingSource(
      encoderIDs: encoder.map(\.id), encoderLabels: encoder.map(\.label), prefill: [],
      firstToken: format.decoderStart.id, notices: [])
    let budget = max(
      1, min(format.defaultMaxLength(promptLength: 1) ?? .max, config.maxPositions - 1, Self.greedyTraceLimit)
    )
    do {
      let result = try GreedySearch.decode(
        generationStepModel(source, maxLength: budget),
        options: DecodingOptions(startToken: source.firstToken, endToken: endID, maxLength: budget))
      return (result.hypotheses.first?.tokens ?? []).map { Token(id: $0, label: label($0)) }
    } catch let error as ModelError {
      throw error
    } catch {
      throw ModelError("\(error)")
    }
  }
}
