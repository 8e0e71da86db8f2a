// GPT-2's byte-level BPE: pre-tokenise, map each UTF-8 byte to a printable character, apply the
// ranked merges, look the pieces up. Follows openai/gpt-2 src/encoder.py (`bytes_to_unicode`,
// `bpe`) and the `tokenizers` BPE model (models/bpe/word.rs: merges applied lowest rank first,
// leftmost first among equals, with a priority queue so long words stay O(n log n)).

public struct ByteLevelBPETokenizer: SubwordTokenizer {
  /// Special token texts (all default to GPT-2's "<|endoftext|>"); nil where the model has none.
  public struct SpecialTokenNames: Sendable, Equatable {
    public var unknown: String? = "<|endoftext|>"
    public var beginning: String? = "<|endoftext|>"
    public var end: String? = "<|endoftext|>"
    public var padding: String? = nil
    public init() {}
  }

  struct Merge: Sendable {
    var rank: Int
    var merged: Int
  }

  public var kind: SubwordTokenizerKind { .byteLevelBPE }
  public let specialTokens: SpecialTokenIDs
  /// Add a space before the text so its first word is encoded like the others.
  public let addPrefixSpace: Bool
  private let tokens: [String?]
  private let ids: [PieceKey: Int]
  private let merges: [Int: Merge]
  private let byteIDs: [Int?]
  private let addedTokens: [PieceKey: Int]
  private let specialAddedIDs: Set<Int>
  private let splitter: AddedTokenSplitter

  /// `merges` in rank order, with each line's number for error messages. `addedTokens` are extra
  /// tokens kept whole (tokenizer.json `added_tokens`); the special tokens are added to them.
  public init(
    vocabulary: [(piece: String, id: Int)], vocabularyFile: String,
    merges: [(left: String, right: String, line: Int)], mergesFile: String,
    specialTokenNames: SpecialTokenNames = .init(),
    addedTokens: [(content: String, id: Int, special: Bool)] = [],
    addPrefixSpace: Bool = false
  ) throws(TokenizationError) {
    let table = try PieceTable(vocabulary, fileName: vocabularyFile)
    var mergeTable: [Int: Merge] = [:]
    for (rank, merge) in merges.enumerated() {
      guard let left = table.ids[merge.left.pieceKey], let right = table.ids[merge.right.pieceKey]
      else {
        let missing = table.ids[merge.left.pieceKey] == nil ? merge.left : merge.right
        throw TokenizationError(
          "\(mergesFile): line \(merge.line) merges \(quoted(missing)), which is not in the vocabulary")
      }
      guard let merged = table.ids[(merge.left + merge.right).pieceKey] else {
        throw TokenizationError(
          "\(mergesFile): line \(merge.line) makes \(quoted(merge.left + merge.right)), which is not in the vocabulary"
        )
      }
      let key = Self.pairKey(left, right)
      // A repeated merge keeps its first (best) rank, as `tokenizers` does.
      if mergeTable[key] == nil { mergeTable[key] = Merge(rank: rank, merged: merged) }
    }
    var tokens = table.tokens
    var ids = table.ids
    var added: [PieceKey: Int] = [:]
    var specialAdded: Set<Int> = []
    for (content, id, special) in addedTokens where id >= 0 && id < 1 << 24 {
      if special { specialAdded.insert(id) }
      if id >= tokens.count { tokens += Array(repeating: nil, count: id + 1 - tokens.count) }
      tokens[id] = content
      ids[content.pieceKey] = id
      added[content.pieceKey] = id
    }
    func id(_ name: String?) -> Int? { name.flatMap { ids[$0.pieceKey] } }
    for name in [
      specialTokenNames.unknown, specialTokenNames.beginning, specialTokenNames.end,
      specialTokenNames.padding,
    ].compactMap({ $0 }) {
      if let found = ids[name.pieceKey] { added[name.pieceKey] = found }
    }
    self.tokens = tokens
    self.ids = ids
    self.merges = mergeTable
    self.byteIDs = ByteLevelAlphabet.characters.map { ids[String($0).pieceKey] }
    self.addedTokens = added
    self.specialAddedIDs = specialAdded
    self.splitter = AddedTokenSplitter(tokens: added.keys.map { String(decoding: $0, as: UTF8.self) })
    self.addPrefixSpace = addPrefixSpace
    self.specialTokens = SpecialTokenIDs(
      unknown: id(specialTokenNames.unknown), padding: id(specialTokenNames.padding),
      beginning: id(specialTokenNames.beginning), end: id(specialTokenNames.end))
  }

  private static func pairKey(_ left: Int, _ right: Int) -> Int { left << 32 | right }

  public var vocabularySize: Int { tokens.count }
  public func token(of id: Int) -> String? { tokens.indices.contains(id) ? tokens[id] : nil }
  public func id(of token: String) -> Int? { ids[token.pieceKey] }

  public func encode(_ text: String) -> [Token] {
    var out: [Token] = []
    var first = true
    for segment in splitter.split(text) {
      switch segment {
      case .special(let name):
        out.append(Token(id: addedTokens[name.pieceKey]!, label: name))
      case .text(var text):
        // `tokenizers`' ByteLevel(add_prefix_space): only the start of the text, only if needed.
        if addPrefixSpace && first && !(text.unicodeScalars.first?.properties.isWhitespace ?? false) {
          text = " " + text
        }
        let scalars = Array(text.unicodeScalars)
        for range in GPT2PreTokenizer.pieces(scalars) {
          out.append(contentsOf: encodeWord(BasicTokenizer.string(Array(scalars[range]))))
        }
      }
      first = false
    }
    return out
  }

  /// One pre-tokenised word: its bytes as alphabet symbols, merged.
  func encodeWord(_ word: String) -> [Token] {
    var symbols: [Int] = []
    var unknown: [Bool] = []
    for byte in word.utf8 {
      if let id = byteIDs[Int(byte)] {
        symbols.append(id)
        unknown.append(false)
      } else if let unk = specialTokens.unknown {
        // Only for a vocabulary without the full byte alphabet.
        symbols.append(unk)
        unknown.append(true)
      }
    }
    let merged = BPEMerger.merge(symbols) { left, right in
      merges[Self.pairKey(left, right)].map { ($0.rank, $0.merged) }
    }
    let hadUnknown = unknown.contains(true)
    return merged.map {
      Token(id: $0, label: tokens[$0] ?? "", isUnknown: hadUnknown && $0 == specialTokens.unknown)
    }
  }

  public func addingSpecialTokens(_ tokens: [Token]) -> [Token] { tokens }

  /// Pieces concatenated and mapped back to bytes, invalid UTF-8 replaced (the ByteLevel decoder).
  public func decode(_ ids: [Int], skipSpecialTokens: Bool) -> String {
    let skipped = skipSpecialTokens ? specialTokens.all.union(specialAddedIDs) : []
    var bytes: [UInt8] = []
    for id in ids where !skipped.contains(id) {
      guard let piece = token(of: id) else { continue }
      // A piece with a character outside the alphabet (an added token) keeps its own UTF-8.
      let mapped = piece.unicodeScalars.map { ByteLevelAlphabet.byte(of: $0) }
      if mapped.allSatisfy({ $0 != nil }) {
        bytes.append(contentsOf: mapped.map { $0! })
      } else {
        bytes.append(contentsOf: piece.utf8)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}

/// GPT-2's `bytes_to_unicode`: printable bytes stand for themselves, the other 68 bytes take the
/// characters from U+0100 on, so every piece is printable text.
enum ByteLevelAlphabet {
  static let characters: [Unicode.Scalar] = {
    var table = [Unicode.Scalar](repeating: " ", count: 256)
    var next: UInt32 = 256
    for byte in 0..<256 {
      let printable = (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte)
      if printable {
        table[byte] = Unicode.Scalar(UInt32(byte))!
      } else {
        table[byte] = Unicode.Scalar(next)!
        next += 1
      }
    }
    return table
  }()

  private static let bytes: [UInt32: UInt8] = Dictionary(
    uniqueKeysWithValues: characters.enumerated().map { ($1.value, UInt8($0)) })

  static func byte(of scalar: Unicode.Scalar) -> UInt8? { bytes[scalar.value] }
}

/// Applies ranked merges to a sequence of symbol ids: always the lowest-rank adjacent pair, the
/// leftmost among equals. A binary heap of candidate pairs and a doubly linked list of symbols
/// keep it O(n log n), so one huge word (1 MB of "a") does not go quadratic.
enum BPEMerger {
  static func merge(_ symbols: [Int], lookup: (Int, Int) -> (rank: Int, merged: Int)?) -> [Int] {
    guard symbols.count > 1 else { return symbols }
    var symbol = symbols
    var next = Array(1...symbols.count)
    next[symbols.count - 1] = -1
    var previous = Array(-1..<(symbols.count - 1))
    var alive = [Bool](repeating: true, count: symbols.count)
    var heap = MinHeap()
    for i in 0..<(symbols.count - 1) {
      if let m = lookup(symbol[i], symbol[i + 1]) { heap.push(m.rank, i) }
    }
    while let (rank, position) = heap.pop() {
      let right = next[position]
      guard alive[position], right >= 0,
        let m = lookup(symbol[position], symbol[right]), m.rank == rank
      else { continue }  // stale: one side was merged away since this pair was queued
      symbol[position] = m.merged
      alive[right] = false
      next[position] = next[right]
      if next[right] >= 0 { previous[next[right]] = position }
      let before = previous[position]
      if before >= 0, let p = lookup(symbol[before], symbol[position]) { heap.push(p.rank, before) }
      if next[position] >= 0, let p = lookup(symbol[position], symbol[next[position]]) {
        heap.push(p.rank, position)
      }
    }
    var out: [Int] = []
    var i = 0
    while i >= 0 {
      out.append(symbol[i])
      i = next[i]
    }
    return out
  }

  /// A binary min-heap of (rank, position), ordered by rank then position.
  struct MinHeap {
    private var items: [(rank: Int, position: Int)] = []

    private func less(_ a: Int, _ b: Int) -> Bool {
      items[a].rank != items[b].rank ? items[a].rank < items[b].rank : items[a].position < items[b].position
    }

    mutating func push(_ rank: Int, _ position: Int) {
      items.append((rank, position))
      var child = items.count - 1
      while child > 0 {
        let parent = (child - 1) / 2
        guard less(child, parent) else { break }
        items.swapAt(child, parent)
        child = parent
      }
    }

    mutating func pop() -> (Int, Int)? {
      guard let top = items.first else { return nil }
      let last = items.removeLast()
      if !items.isEmpty {
        items[0] = last
        var parent = 0
        while true {
          let left = 2 * parent + 1
          let right = left + 1
          var smallest = parent
          if left < items.count, less(left, smallest) { smallest = left }
          if right < items.count, less(right, smallest) { smallest = right }
          if smallest == parent { break }
          items.swapAt(parent, smallest)
          parent = smallest
        }
      }
      return (top.rank, top.position)
    }
  }
}
