// BPE merges for a GGUF tokenizer: the file's tokenizer.ggml.merges checked against the vocabulary,
// or, for a SentencePiece vocabulary that lists none, the merges transformers recovers from it
// (tokenization_utils_base.generate_merges). Text is compared byte for byte and measured in code
// points, as Python's str is: Swift's String equality would merge canonically equivalent pieces.
import Transformer

struct GGUFMerge {
  var left: [UInt8]
  var right: [UInt8]
}

/// A vocabulary as Python's `{token: index for index, token in enumerate(tokens)}`: a repeated token
/// keeps its last index; `order` lists each distinct token once, where it first appears.
struct GGUFVocabularyIndex {
  let pieces: [[UInt8]]
  let ids: [ArraySlice<UInt8>: Int]
  let order: [Int]

  init(_ tokens: [String]) {
    pieces = tokens.map { Array($0.utf8) }
    var ids: [ArraySlice<UInt8>: Int] = [:]
    ids.reserveCapacity(tokens.count)
    var order: [Int] = []
    order.reserveCapacity(tokens.count)
    for (index, piece) in pieces.enumerated() {
      if ids.updateValue(index, forKey: piece[...]) == nil { order.append(index) }
    }
    self.ids = ids
    self.order = order
  }

  func id(_ piece: ArraySlice<UInt8>) -> Int? { ids[piece] }
}

enum GGUFMerges {
  /// The file's "left right" merges; each must name two tokens of `vocabulary` whose join is one too
  /// (what tokenizers' BPE builder requires: MergeTokenOutOfVocabulary).
  static func fromFile(_ lines: [String], vocabulary: GGUFVocabularyIndex, fileName: String) throws(ModelError)
    -> [GGUFMerge]
  {
    var merges: [GGUFMerge] = []
    merges.reserveCapacity(lines.count)
    for (index, line) in lines.enumerated() {
      let bytes = Array(line.utf8)
      let parts = bytes.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
      func fail(_ problem: String) -> ModelError {
        GGUFTokenizerMetadata.failure(fileName, "merges", "element \(index) \(ggufQuoted(line)) \(problem)")
      }
      guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
        throw fail("is not two tokens separated by one space")
      }
      for part in parts where vocabulary.id(part) == nil {
        throw fail("names \(ggufQuoted(String(decoding: part, as: UTF8.self))), which is not in the vocabulary")
      }
      let joined = Array(parts[0]) + Array(parts[1])
      guard vocabulary.id(joined[...]) != nil else { throw fail("makes a token the vocabulary does not have") }
      merges.append(GGUFMerge(left: Array(parts[0]), right: Array(parts[1])))
    }
    return merges
  }

  /// generate_merges(vocab, vocab_scores): every way of cutting each token into two tokens of the
  /// vocabulary, best score first, then longer left piece, then longer right piece; ties keep the
  /// order of the tokens (Python's sort is stable) and, within a token, the order of the pieces' ids.
  /// `score(i)` is the score of token `i` (its last occurrence's, as dict(zip(tokens, scores)) keeps).
  static func generated(_ vocabulary: GGUFVocabularyIndex, score: (Int) -> Double) -> [GGUFMerge] {
    struct Candidate {
      var token: Int
      var cut: Int
      var score: Double
      var leftLength: Int
      var rightLength: Int
    }
    var candidates: [Candidate] = []
    for first in vocabulary.order {
      let piece = vocabulary.pieces[first]
      guard let last = vocabulary.id(piece[...]) else { continue }
      let total = piece.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
      var local: [(candidate: Candidate, leftID: Int, rightID: Int)] = []
      var leftLength = 0
      for cut in 1..<max(piece.count, 1) where piece[cut] & 0xC0 != 0x80 {
        leftLength += 1
        guard let leftID = vocabulary.id(piece[..<cut]), let rightID = vocabulary.id(piece[cut...]) else { continue }
        let candidate = Candidate(
          token: first, cut: cut, score: score(last), leftLength: leftLength, rightLength: total - leftLength)
        local.append((candidate, leftID, rightID))
      }
      local.sort { ($0.leftID, $0.rightID) < ($1.leftID, $1.rightID) }
      candidates.append(contentsOf: local.map(\.candidate))
    }
    // Descending by (score, left length, right length); equal keys keep their order.
    let order = candidates.indices.sorted { a, b in
      let x = candidates[a]
      let y = candidates[b]
      if x.score != y.score { return x.score > y.score }
      if x.leftLength != y.leftLength { return x.leftLength > y.leftLength }
      if x.rightLength != y.rightLength { return x.rightLength > y.rightLength }
      return a < b
    }
    return order.map { index in
      let candidate = candidates[index]
      let piece = vocabulary.pieces[candidate.token]
      return GGUFMerge(left: Array(piece[..<candidate.cut]), right: Array(piece[candidate.cut...]))
    }
  }
}

/// `text` in double quotes with control characters escaped, for messages.
func ggufQuoted(_ text: String) -> String {
  "\"" + text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? $0.escaped(asASCII: true) : String($0) }
    .joined() + "\""
}
