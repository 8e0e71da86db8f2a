// Head fingerprints of a text model: its trace of the input, and for a decoder-only model a second
// forward over a repeated random sequence for the induction score (Olsson et al. 2022). The
// numbers themselves are Trace's `HeadFingerprints`; this file only runs the model.
import Tensors
import Tokenization
import Trace
import Transformer

/// Fingerprints of every head for one input, with the probe induction was measured on.
public struct HeadAnalysis: Sendable {
  public var trace: AttentionTrace
  public var notices: [String]
  public var fingerprints: [HeadFingerprint]
  /// nil for models with an encoder (induction is defined on a decoder's own sequence).
  public var probe: InductionProbe?
}

extension LoadedModel {
  /// Traces `text` and fingerprints every head. An input of one token has no rows to compare and
  /// is refused.
  public func headAnalysis(text: String, seed: UInt64 = InductionProbe.defaultSeed) throws(ModelError)
    -> HeadAnalysis
  {
    let result = try trace(text: text)
    let counts = [result.trace.tokens.encoder?.count, result.trace.tokens.decoder?.count].compactMap { $0 }
    if counts.allSatisfy({ $0 <= 1 }) {
      throw ModelError("the input is one token: fingerprints need at least two positions")
    }
    let (fingerprints, probe) = try fingerprints(of: result.trace, seed: seed)
    return HeadAnalysis(
      trace: result.trace, notices: result.notices, fingerprints: fingerprints, probe: probe)
  }

  /// Every head of `trace` (this model's) fingerprinted, induction measured on a probe of `seed`.
  public func fingerprints(of trace: AttentionTrace, seed: UInt64 = InductionProbe.defaultSeed)
    throws(ModelError) -> (fingerprints: [HeadFingerprint], probe: InductionProbe?)
  {
    let probe = try inductionProbe(seed: seed)
    let probeTrace = try probe.map { probe throws(ModelError) in try self.trace(decoderIDs: probe.ids) }
    return (HeadFingerprints.fingerprints(trace, induction: zip2(probeTrace, probe)), probe)
  }

  /// The repeated random sequence for a decoder-only model: the prompt's own start tokens, then
  /// `InductionProbe.defaultHalfLength` distinct ordinary ids (fewer where the positions do not
  /// allow two copies) drawn with `seed`, then the same ids again. nil for other architectures.
  public func inductionProbe(seed: UInt64) throws(ModelError) -> InductionProbe? {
    guard config.architecture == .decoderOnly else { return nil }
    let vocabulary = config.decoderVocabSize
    let prefix = try promptPrefix()
    let half = min(InductionProbe.defaultHalfLength, (config.maxPositions - prefix.count) / 2)
    guard half >= 2 else { return nil }
    var random = SeededGenerator(seed: seed)
    var drawn: [Int] = []
    var seen = Set<Int>()
    // Distinct, so each token of the second copy has exactly one earlier occurrence.
    var attempts = 0
    while drawn.count < half, attempts < 100 * half {
      attempts += 1
      let id = Int(random.next() % UInt64(vocabulary))
      guard !seen.contains(id), isOrdinary(id) else { continue }
      seen.insert(id)
      drawn.append(id)
    }
    guard drawn.count >= 2 else { return nil }
    return InductionProbe(prefix: prefix, half: drawn, seed: seed)
  }

  /// A forward of a decoder-only model over `ids` as they are (no framing), with its attention.
  public func trace(decoderIDs ids: [Int]) throws(ModelError) -> AttentionTrace {
    let recorder = AttentionRecorder()
    let labels = TokenLabels(decoder: ids.map(label))
    _ = try model.forward(decoderIDs: ids, labels: labels, recorder: recorder)
    return AttentionTrace(model: name, tokens: labels, attention: recorder.entries)
  }

  /// The tokens the format puts before every prompt (e.g. `<s>`): the special tokens two prompts
  /// of different ordinary tokens share at their start.
  func promptPrefix() throws(ModelError) -> [Int] {
    let ordinary = (0..<min(config.decoderVocabSize, 4096)).filter(isOrdinary).prefix(2)
    guard ordinary.count == 2 else { return [] }
    var notices: [String] = []
    let first = try format.frame(
      label(ordinary.first!), side: .prompt, limit: config.maxPositions, notices: &notices)
    let second = try format.frame(
      label(ordinary.last!), side: .prompt, limit: config.maxPositions, notices: &notices)
    // Only special tokens: a SentencePiece tokenizer may start both probes with the same "▁".
    return zip(first, second).prefix { $0.id == $1.id && !isOrdinary($0.id) }.map(\.0.id)
  }

  /// Not an end, start or other special token ("<s>", "[CLS]", "<|endoftext|>", byte tokens).
  func isOrdinary(_ id: Int) -> Bool {
    guard id != endID else { return false }
    let text = label(id)
    guard !text.isEmpty else { return false }
    let bracketed =
      (text.hasPrefix("<") && text.hasSuffix(">")) || (text.hasPrefix("[") && text.hasSuffix("]"))
    return !(bracketed && text.count > 2)
  }
}

/// Both values, or nil if either is missing.
private func zip2<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
  guard let a, let b else { return nil }
  return (a, b)
}
