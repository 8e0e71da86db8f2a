// Text in, attention trace out: the model's format frames the text (special tokens, truncation
// with a notice), then one forward with a recorder.
import Decoding
import Tensors
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
  /// `computing` says whether the trace holds every entry or computes each when asked (by default,
  /// when holding them all would take more than `TraceComputation.heldLimit`).
  public func trace(
    text: String, target: String? = nil, recordsVectors: Bool = false,
    computing: TraceComputation = .automatic
  ) throws(ModelError) -> TraceResult {
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
      if try computing.isOnDemand(model, encoder: input.count, decoder: 0, vectors: recordsVectors) {
        return try onDemand(labels, encoder: input, decoder: nil, recordsVectors, computing.budget, notices)
      }
      _ = try model.forward(encoderIDs: input.map(\.id), labels: labels, recorder: recorder)
    case .decoderOnly:
      let prompt = try format.frame(text, side: .prompt, limit: limit, notices: &notices)
      labels = TokenLabels(decoder: prompt.map(\.label))
      if try computing.isOnDemand(model, encoder: 0, decoder: prompt.count, vectors: recordsVectors) {
        return try onDemand(labels, encoder: nil, decoder: prompt, recordsVectors, computing.budget, notices)
      }
      _ = try model.forward(decoderIDs: prompt.map(\.id), labels: labels, recorder: recorder)
    case .encoderDecoder:
      let input = try format.frame(text, side: .input, limit: limit, notices: &notices)
      let generated = try decoderSide(input: input, target: target, limit: limit, verb: "showing", &notices)
      let decoder = [format.decoderStart] + generated
      labels = TokenLabels(encoder: input.map(\.label), decoder: decoder.map(\.label))
      if try computing.isOnDemand(
        model, encoder: input.count, decoder: decoder.count, vectors: recordsVectors)
      {
        return try onDemand(
          labels, encoder: input, decoder: decoder, recordsVectors, computing.budget, notices)
      }
      _ = try model.forward(
        encoderIDs: input.map(\.id), decoderIDs: decoder.map(\.id), labels: labels, recorder: recorder)
    }
    return TraceResult(
      trace: AttentionTrace(model: name, tokens: labels, attention: recorder.entries), notices: notices)
  }

  /// The trace as a `LayerwiseAttention` source: one unrecorded pass now, each entry when asked.
  func onDemand(
    _ labels: TokenLabels, encoder: [Token]?, decoder: [Token]?, _ recordsVectors: Bool,
    _ budget: OnDemandBudget, _ notices: [String]
  ) throws(ModelError) -> TraceResult {
    let source = try LayerwiseAttention(
      model: model, encoderIDs: encoder?.map(\.id), decoderIDs: decoder?.map(\.id), labels: labels,
      recordsVectors: recordsVectors, budget: budget)
    return TraceResult(trace: AttentionTrace(model: name, tokens: labels, source: source), notices: notices)
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

/// Whether a trace holds every entry or computes each when a screen or an export asks for it.
public enum TraceComputation: Sendable {
  /// Held when every entry fits in `heldLimit` bytes, computed on demand otherwise.
  case automatic
  /// Every entry computed in the one forward pass and held (today's traces of short inputs).
  case held
  /// One unrecorded pass, then each entry when asked (`LayerwiseAttention`), keeping `budget`.
  case onDemand(OnDemandBudget = .standard)

  /// 256 MB: the samples, the test fixtures and a few hundred tokens of a small model stay held;
  /// GPT-2 small at 1,024 tokens (2.4 GB of entries and vectors) is computed a layer at a time.
  public static let heldLimit = 256 << 20

  var budget: OnDemandBudget {
    if case .onDemand(let budget) = self { return budget }
    return .standard
  }

  /// Whether this trace is computed on demand; throws when the memory it needs at once (every entry
  /// and the output head for a held trace; the checkpoints and one head for one on demand, with a
  /// layer's working set either way) is more than `ulimit -v` leaves: one line, not a crash.
  func isOnDemand(_ model: TransformerModel, encoder: Int, decoder: Int, vectors: Bool) throws(ModelError)
    -> Bool
  {
    let held = Self.heldBytes(model, encoder: encoder, decoder: decoder, vectors: vectors)
    let onDemand: Bool
    switch self {
    case .held: onDemand = false
    case .onDemand: onDemand = true
    case .automatic: onDemand = held > Self.heldLimit
    }
    let config = model.config
    let n = max(encoder, decoder)
    let float = MemoryLayout<Float>.size
    let working = (12 * n * config.dModel + 3 * n * config.ffnDim) * float
    let needed: Int
    if onDemand {
      let layers = (model.encoder?.layers.count ?? 0) + (model.decoder?.layers.count ?? 0)
      // One head's scores and probabilities, and a copy of them cut for an export.
      needed = min(layers * n * config.dModel * float, budget.checkpointBytes) + working + 4 * n * n * float
    } else {
      needed = held + working + n * config.outputVocabSize * float
    }
    let what = "tracing \(n) tokens\(onDemand ? " a layer at a time" : "")"
    if let reason = MemoryHeadroom.shortfall(needed, for: what) { throw ModelError(reason) }
    return onDemand
  }

  /// Bytes of every entry's weights and scores (and vectors) for these token counts.
  static func heldBytes(_ model: TransformerModel, encoder: Int, decoder: Int, vectors: Bool) -> Int {
    let config = model.config
    let (heads, dk) = (config.numHeads, config.headDim)
    func layerBytes(_ queries: Int, _ keys: Int) -> Int {
      let cells = heads * queries * keys * 2
      let vectorFloats = vectors ? heads * dk * (2 * queries + 2 * keys) : 0
      return (cells + vectorFloats) * MemoryLayout<Float>.size
    }
    var total = (model.encoder?.layers.count ?? 0) * layerBytes(encoder, encoder)
    let crossBytes = config.architecture == .encoderDecoder ? layerBytes(decoder, encoder) : 0
    total += (model.decoder?.layers.count ?? 0) * (layerBytes(decoder, decoder) + crossBytes)
    return total
  }
}

extension LoadedModel {
  /// An encoder-decoder model's decoder tokens after its start token: `target` framed, or the
  /// model's own greedy output on `input`, with a notice that says so ("showing" / "reading" it).
  func decoderSide(
    input: [Token], target: String?, limit: Int, verb: String, _ notices: inout [String]
  ) throws(ModelError) -> [Token] {
    if let target { return try format.frame(target, side: .target, limit: limit - 1, notices: &notices) }
    let generated = try greedyOutput(encoder: input)
    notices.append("no --target given: \(verb) the model's own greedy output")
    return generated
  }
}
