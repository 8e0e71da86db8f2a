// BPE merges for a GGUF tokenizer: the file's tokenizer.ggml.merges checked against the vocabulary,
// or, for a SentencePiece vocabulary that lists none, the merges transformers recovers from it
// (tokenization_utils_base.generate_merges). Text is compared byte for byte and measured in code
// points, as Python's str is: Swift's String equality would merge canonically equivalent pieces.
import Transformer

/// A merge as the token it makes, cut in two (a generated merge shares the vocabulary's bytes).
struct GGUFMerge {
  let joined: [UInt8]
  let cut: Int
  var left: ArraySlice<UInt8> { joined[..<cut] }
  var right: ArraySlice<UInt8> { joined[cut...] }
}

/// A vocabulary as Python's `{token: index for index, token in enumerate(tokens)}`: a repeated token
/// keeps its last index; `order` lists each distinct token once, where it first appears. Looked up by
/// a polynomial hash of the bytes, so every prefix and suffix of a token is hashed in O(1) from the
/// token's prefix hashes (generate_merges cuts 262,144 Gemma tokens at every character).
struct GGUFVocabularyIndex {
  let pieces: [[UInt8]]
  private(set) var order: [Int] = []
  /// For each index, the index Python's dict keeps for its token (the last occurrence).
  private(set) var kept: [Int] = []
  private let hashes: [UInt64]
  /// Open addressing: the piece index in each slot, -1 when empty.
  private var slots: [Int32]
  private let shift: UInt64

  static let base: UInt64 = 0x100_0000_01B3

  /// Σ (byte + 1) · base^(n − 1 − i), wrapping: the hash of `bytes` extended by one byte is
  /// hash · base + byte + 1.
  static func hash(_ bytes: ArraySlice<UInt8>) -> UInt64 {
    var hash: UInt64 = 0
    for byte in bytes { hash = hash &* base &+ UInt64(byte) &+ 1 }
    return hash
  }

  init(_ tokens: [String]) {
    pieces = tokens.map { Array($0.utf8) }
    hashes = pieces.map { Self.hash($0[...]) }
    var bits: UInt64 = 4
    while 1 << bits < 2 * max(pieces.count, 1) { bits += 1 }
    shift = 64 - bits
    slots = [Int32](repeating: -1, count: 1 << Int(bits))
    var slotOf = [Int](repeating: 0, count: pieces.count)
    var order: [Int] = []
    order.reserveCapacity(pieces.count)
    for index in pieces.indices {
      let slot = probe(hashes[index], pieces[index][...])
      if slots[slot] < 0 { order.append(index) }
      slots[slot] = Int32(index)
      slotOf[index] = slot
    }
    self.order = order
    kept = slotOf.map { Int(slots[$0]) }
  }

  /// The slot holding `piece`, or the empty slot where it would go.
  private func probe(_ hash: UInt64, _ piece: ArraySlice<UInt8>) -> Int {
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: ((hash ^ (hash >> 31)) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    while true {
      let index = Int(slots[slot])
      if index < 0 || (hashes[index] == hash && Self.same(pieces[index], piece)) { return slot }
      slot = (slot + 1) & mask
    }
  }

  private static func same(_ a: [UInt8], _ b: ArraySlice<UInt8>) -> Bool {
    guard a.count == b.count else { return false }
    return a.withUnsafeBufferPointer { x in
      b.withUnsafeBufferPointer { y in
        for i in 0..<x.count where x[i] != y[i] { return false }
        return true
      }
    }
  }

  func id(_ piece: ArraySlice<UInt8>) -> Int? { id(piece, hash: Self.hash(piece)) }

  /// `hash` must be `Self.hash(piece)`.
  func id(_ piece: ArraySlice<UInt8>, hash: UInt64) -> Int? {
    let index = slots[probe(hash, piece)]
    return index < 0 ? nil : Int(index)
  }

  var count: Int { order.count }
}

enum GGUFMerges {
  /// The file's "left right" merges; each must name two tokens of `vocabulary` whose join is one too
  /// (what tokenizers' BPE builder requires: MergeTokenOutOfVocabulary).
  static func fromFile(_ lines: [String], vocabulary: GGUFVocabularyIndex, fileName: String)
    throws(ModelError)
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
        throw fail(
          "names \(ggufQuoted(String(decoding: part, as: UTF8.self))), which is not in the vocabulary")
      }
      let joined = Array(parts[0]) + Array(parts[1])
      guard vocabulary.id(joined[...]) != nil else {
        throw fail("makes a token the vocabulary does not have")
      }
      merges.append(GGUFMerge(joined: joined, cut: parts[0].count))
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
    var powers: [UInt64] = [1]
    for first in vocabulary.order {
      let piece = vocabulary.pieces[first]
      let last = vocabulary.kept[first]
      while powers.count <= piece.count { powers.append(powers.last! &* GGUFVocabularyIndex.base) }
      var prefixes = [UInt64](repeating: 0, count: piece.count + 1)
      var total = 0
      for (index, byte) in piece.enumerated() {
        prefixes[index + 1] = prefixes[index] &* GGUFVocabularyIndex.base &+ UInt64(byte) &+ 1
        if byte & 0xC0 != 0x80 { total += 1 }
      }
      let whole = prefixes[piece.count]
      var local: [(candidate: Candidate, leftID: Int, rightID: Int)] = []
      var leftLength = 0
      for cut in 1..<max(piece.count, 1) where piece[cut] & 0xC0 != 0x80 {
        leftLength += 1
        let rightHash = whole &- prefixes[cut] &* powers[piece.count - cut]
        guard let leftID = vocabulary.id(piece[..<cut], hash: prefixes[cut]),
          let rightID = vocabulary.id(piece[cut...], hash: rightHash)
        else { continue }
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
    return order.map { GGUFMerge(joined: vocabulary.pieces[candidates[$0].token], cut: candidates[$0].cut) }
  }
}

/// `text` in double quotes with control characters escaped, for messages.
func ggufQuoted(_ text: String) -> String {
  "\""
    + text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? $0.escaped(asASCII: true) : String($0) }
    .joined() + "\""
}
