// The logit lens at the model seam (nostalgebraist 2020): text framed as `trace` frames it, one
// forward that keeps the residual stream, and every layer's state read through the final norm and
// LM head (TransformerModel.lensLogits) as the top-K next tokens with their probabilities.
import Decoding
import Tensors
import Tokenization
import Trace
import Transformer

/// One candidate of one layer's reading.
public struct LensCandidate: Sendable, Equatable {
  public var id: Int
  public var token: String
  public var probability: Float
}

/// The lens over one token sequence: `readings[layer][position]`, layer 0 the embeddings and the
/// last layer the model's own output, each the top-K candidates best first.
public struct LensResult: Sendable {
  /// The labels of the positions read (the decoder's for an encoder-decoder model).
  public var tokens: [String]
  public var readings: [[[LensCandidate]]]
  /// `probabilities[layer][position]` of `follow[position]`, where the caller asked for a token to
  /// follow (a decode's chosen tokens); empty otherwise.
  public var followed: [[Float]]
  public var notices: [String]

  public var layers: Int { readings.count }
}

extension LoadedModel {
  /// Most candidates a lens reports per layer and position.
  public static let lensTopLimit = 100

  /// The lens of `text` (framed as `trace` frames it: a decoder-only model's prompt, or an
  /// encoder-decoder model's decoder on `target` or its own greedy output).
  public func lens(text: String, target: String? = nil, top: Int) throws(ModelError) -> LensResult {
    var notices = format.notices
    let limit = config.maxPositions
    switch config.architecture {
    case .vision: throw ModelError("\(name) is an image model: the lens reads text models")
    case .encoderOnly:
      throw ModelError("\(name) is encoder-only: it predicts no next token for the lens to read")
    case .decoderOnly:
      let prompt = try format.frame(text, side: .prompt, limit: limit, notices: &notices)
      var result = try lens(encoderIDs: nil, decoder: prompt, top: top)
      result.notices = notices
      return result
    case .encoderDecoder:
      let input = try format.frame(text, side: .input, limit: limit, notices: &notices)
      let generated = try decoderSide(input: input, target: target, limit: limit, verb: "reading", &notices)
      var result = try lens(encoderIDs: input.map(\.id), decoder: [format.decoderStart] + generated, top: top)
      result.notices = notices
      return result
    }
  }

  /// The lens over `decoder` (a decoder-only model's whole input, or an encoder-decoder model's
  /// decoder tokens after `encoderIDs`); `follow`, if given, is the token whose probability every
  /// layer gives at each position (one per position).
  public func lens(encoderIDs: [Int]?, decoder: [Token], top: Int, follow: [Int]? = nil) throws(ModelError)
    -> LensResult
  {
    guard config.hasLMHead else {
      throw ModelError("\(name) has no LM head: the lens has no next-token reading")
    }
    let k = max(1, min(top, Self.lensTopLimit, config.decoderVocabSize))
    let states = try model.residualStream(encoderIDs: encoderIDs, decoderIDs: decoder.map(\.id))
    var readings: [[[LensCandidate]]] = []
    var followed: [[Float]] = []
    for state in states {
      // [n, V] in one vectorised softmax over the cores: per row in Double libm exp it was a
      // third of SmolLM2's 64-token lens (31 readings × 64 positions × 49,152 tokens).
      let distributions = model.lensLogits(state).softmaxRows()
      var layer: [[LensCandidate]] = []
      var chosen: [Float] = []
      for position in 0..<distributions.rows {
        let probabilities = Array(distributions.row(position))
        let best = topIndices(probabilities, k)
        layer.append(best.map { LensCandidate(id: $0, token: label($0), probability: probabilities[$0]) })
        if let follow, follow.indices.contains(position) { chosen.append(probabilities[follow[position]]) }
      }
      readings.append(layer)
      if follow != nil { followed.append(chosen) }
    }
    return LensResult(tokens: decoder.map(\.label), readings: readings, followed: followed, notices: [])
  }
}
