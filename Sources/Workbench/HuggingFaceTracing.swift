// Text → trace and text → decoding source for Hugging Face models, framed as transformers frames
// them: BERT reads [CLS] text [SEP]; GPT-2 reads the text alone (no BOS, as its tokenizer adds
// none); Marian's encoder reads text </s> and its decoder starts from decoder_start_token_id.
import Decoding
import HuggingFace
import Tokenization
import Trace
import Transformer

extension LoadedModel {
  func huggingFaceTrace(_ hf: HuggingFaceText, text: String, target: String?, recordsVectors: Bool)
    throws(ModelError) -> TraceResult
  {
    var notices = hf.notices
    let recorder = AttentionRecorder(recordsVectors: recordsVectors)
    let input = try framed(hf, text, side: "input", &notices)
    let labels: TokenLabels
    switch config.architecture {
    case .encoderOnly:
      labels = TokenLabels(encoder: input.map(\.label))
      _ = try model.forward(encoderIDs: input.map(\.id), labels: labels, recorder: recorder)
    case .decoderOnly:
      labels = TokenLabels(decoder: input.map(\.label))
      _ = try model.forward(decoderIDs: input.map(\.id), labels: labels, recorder: recorder)
    case .encoderDecoder:
      let start = hf.decoderStartID ?? 0
      var decoderTokens: [Token]
      if let target {
        // The target through the same tokenizer (Marian's target.spm is not applied separately).
        decoderTokens = hf.tokenizer.encode(target)
        guard !decoderTokens.isEmpty else { throw ModelError("the target is empty: nothing to show") }
      } else {
        decoderTokens = try greedyOutput(hf, encoder: input, &notices)
        notices.append("no --target given: showing the model's own greedy output")
      }
      let limit = config.maxPositions - 1
      if decoderTokens.count > limit {
        notices.append("target truncated from \(decoderTokens.count) to \(limit) tokens")
        decoderTokens = Array(decoderTokens.prefix(limit))
      }
      let decoder = [Token(id: start, label: label(of: start, hf))] + decoderTokens
      labels = TokenLabels(encoder: input.map(\.label), decoder: decoder.map(\.label))
      _ = try model.forward(
        encoderIDs: input.map(\.id), decoderIDs: decoder.map(\.id), labels: labels, recorder: recorder)
    case .vision:
      throw ModelError("\(name) is an image model: give it an image, not text")
    }
    return TraceResult(
      trace: AttentionTrace(model: name, tokens: labels, attention: recorder.entries), notices: notices)
  }

  func huggingFaceDecodingSource(_ hf: HuggingFaceText, text: String) throws(ModelError) -> DecodingSource {
    var notices = hf.notices
    let input = try framed(hf, text, side: "input", &notices, reserve: 1)
    switch config.architecture {
    case .decoderOnly:
      let ids = input.map(\.id)
      return DecodingSource(
        encoderIDs: nil, encoderLabels: nil, prefill: Array(ids.dropLast()), firstToken: ids.last!,
        notices: notices)
    case .encoderDecoder:
      return DecodingSource(
        encoderIDs: input.map(\.id), encoderLabels: input.map(\.label), prefill: [],
        firstToken: hf.decoderStartID ?? 0, notices: notices)
    case .encoderOnly, .vision:
      throw ModelError("\(name) is encoder-only: it has no decoder to decode with")
    }
  }

  /// `text` tokenised with the model's special tokens, truncated (inside the specials) so that it
  /// plus `reserve` positions fits the position table.
  func framed(
    _ hf: HuggingFaceText, _ text: String, side: String, _ notices: inout [String], reserve: Int = 0
  ) throws(ModelError) -> [Token] {
    var tokens = hf.tokenizer.encode(text)
    guard !tokens.isEmpty else { throw ModelError("the \(side) is empty: nothing to show") }
    let specials = hf.tokenizer.addingSpecialTokens([]).count
    let limit = config.maxPositions - reserve - specials
    if tokens.count > limit {
      notices.append(
        "\(side) truncated from \(tokens.count) to \(limit) tokens (max_positions \(config.maxPositions))")
      tokens = Array(tokens.prefix(max(0, limit)))
    }
    return hf.tokenizer.addingSpecialTokens(tokens)
  }

  /// Marian's own greedy output as `generate(num_beams=1)` would give it, without the end token.
  func greedyOutput(_ hf: HuggingFaceText, encoder: [Token], _ notices: inout [String]) throws(ModelError)
    -> [Token]
  {
    let source = DecodingSource(
      encoderIDs: encoder.map(\.id), encoderLabels: encoder.map(\.label), prefill: [],
      firstToken: hf.decoderStartID ?? 0, notices: [])
    let budget = min(defaultMaxLength(source) ?? 20, config.maxPositions - 1, 64)
    do {
      let result = try GreedySearch.decode(
        generationStepModel(source, maxLength: max(1, budget)),
        options: DecodingOptions(startToken: source.firstToken, endToken: endID, maxLength: max(1, budget)))
      return (result.hypotheses.first?.tokens ?? []).map { Token(id: $0, label: label(of: $0, hf)) }
    } catch let error as ModelError {
      throw error
    } catch {
      throw ModelError("\(error)")
    }
  }

  func label(of id: Int, _ hf: HuggingFaceText) -> String { hf.tokenizer.token(of: id) ?? "<\(id)>" }
}
