// One word in two inputs ("bank" by the money and by the river): how alike its contextual vectors
// are at every layer, and where it looks in each. Plain data and arithmetic; the host runs the model.
import Foundation

/// One side of a contrast: the input, its tokens, every token's vector at every depth, the
/// stack's attention, and the chosen word's position.
public struct ContrastSide: Sendable, Equatable {
  public var text: String
  public var tokens: [String]
  public var position: Int
  /// [depth][position][d]: depth 0 the embeddings, then each layer's output (the last through the
  /// stack's final norm where it has one, as transformers' `hidden_states`).
  public var vectors: [[[Float]]]
  /// The self-attention of the stack the vectors come from, one entry per layer.
  public var attention: [AttentionEntry]

  public init(
    text: String, tokens: [String], position: Int, vectors: [[[Float]]], attention: [AttentionEntry]
  ) {
    self.text = text
    self.tokens = tokens
    self.position = position
    self.vectors = vectors
    self.attention = attention
  }

  public var word: String { tokens[position] }

  /// The chosen word's attention row at `layer` and `head` (nil outside the trace).
  public func row(layer: Int, head: Int) -> [Float]? {
    guard attention.indices.contains(layer), head >= 0, head < attention[layer].heads else { return nil }
    return attention[layer].weightMatrix(head: head)[position]
  }
}

/// The contrast of one word across two inputs of the same model.
public struct ContrastRun: Sendable, Equatable {
  public var model: String
  public var first: ContrastSide
  public var second: ContrastSide
  /// Notices for the user (which occurrence was used, truncation).
  public var notices: [String]

  public init(model: String, first: ContrastSide, second: ContrastSide, notices: [String]) {
    self.model = model
    self.first = first
    self.second = second
    self.notices = notices
  }

  /// Per depth (0 = the embeddings, then each layer's output): cos(v_first, v_second) of the two
  /// chosen tokens.
  public var cosines: [Float] {
    zip(first.vectors, second.vectors).map { a, b in
      guard a.indices.contains(first.position), b.indices.contains(second.position) else { return 0 }
      return ContextualContrast.cosine(a[first.position][...], b[second.position][...])
    }
  }

  public var layers: Int { min(first.attention.count, second.attention.count) }
  public var heads: Int { first.attention.first?.heads ?? 0 }
}

/// A bad `--word` or input, said on one line.
public struct ContrastError: Error, CustomStringConvertible, Equatable {
  public let description: String
  public init(_ description: String) { self.description = description }
}

public enum ContextualContrast {
  /// a·b / (|a| |b|), in Double; 0 when either vector is zero.
  public static func cosine(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Float {
    precondition(a.count == b.count, "cosine of vectors of different sizes")
    var (dot, aa, bb) = (0.0, 0.0, 0.0)
    for (x, y) in zip(a, b) {
      dot += Double(x) * Double(y)
      aa += Double(x) * Double(x)
      bb += Double(y) * Double(y)
    }
    let norm = (aa * bb).squareRoot()
    return norm > 0 ? Float(dot / norm) : 0
  }

  /// A token label as the word a user would type: the tokenizers' word markers ("Ġ" of byte-level
  /// BPE, "▁" of SentencePiece, "##" of WordPiece continuations, "</w>") removed, lower-cased.
  public static func plainWord(_ label: String) -> String {
    var text = Substring(label.trimmingCharacters(in: .whitespaces))
    for marker in ["Ġ", "▁", "##"] where text.hasPrefix(marker) { text = text.dropFirst(marker.count) }
    if text.hasSuffix("</w>") { text = text.dropLast(4) }
    return text.lowercased()
  }

  /// Where `spec` ("bank", or "bank@2" for its second occurrence) stands in `tokens`; `name`
  /// ("input 1") is how the message names the input. Several occurrences without "@N": the first,
  /// and a notice saying so and how to pick another.
  public static func locate(_ spec: String, in tokens: [String], name: String) throws(ContrastError)
    -> (position: Int, notice: String?)
  {
    var word = spec
    var occurrence: Int?
    if let at = spec.lastIndex(of: "@"), at != spec.startIndex {
      guard let number = Int(spec[spec.index(after: at)...]), number >= 1 else {
        throw ContrastError("--word \(spec): after @ comes the occurrence, a number from 1")
      }
      word = String(spec[..<at])
      occurrence = number
    }
    let target = plainWord(word)
    let matches = tokens.indices.filter { plainWord(tokens[$0]) == target }
    guard !matches.isEmpty else {
      let choices = tokens.map { "'\($0)'" }.joined(separator: " ")
      throw ContrastError("--word \(word) is not a token of \(name); its tokens: \(choices)")
    }
    if let occurrence {
      guard occurrence <= matches.count else {
        throw ContrastError(
          "--word \(spec): \(name) has \(matches.count) occurrence(s) of '\(word)' (tokens \(list(matches)))")
      }
      return (matches[occurrence - 1], nil)
    }
    guard matches.count > 1 else { return (matches[0], nil) }
    return (
      matches[0],
      "'\(word)' occurs \(matches.count) times in \(name) (tokens \(list(matches))): using the first, token \(matches[0] + 1); --word \(word)@2 picks the second"
    )
  }

  /// 1-based token numbers, as the messages show them.
  static func list(_ positions: [Int]) -> String {
    positions.map { String($0 + 1) }.joined(separator: ", ")
  }
}
