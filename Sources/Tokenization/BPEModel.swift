// tokenizer.json's BPE model with the options today's LLMs set: byte_fallback (a character missing
// from the vocabulary becomes its UTF-8 bytes as <0xAB> tokens: Llama 2, Mistral, Gemma, Phi-3),
// ignore_merges (a pre-token that is itself in the vocabulary is one token: Llama 3), unk_token and
// fuse_unk, continuing_subword_prefix and end_of_word_suffix; dropout must be null. Follows
// tokenizers/src/models/bpe/model.rs (`merge_word`, `tokenize_with_cache`) and serialization.rs;
// the merging itself is `BPEMerger` (word.rs: lowest rank first, leftmost among equals).
import JSON

struct BPEModel: Sendable {
  let tokens: [String?]
  let ids: [PieceKey: Int]
  private let merges: [Int: BPEMerge]
  private let byteTokens: [Int?]
  let unknownID: Int?
  let fuseUnknown: Bool
  let byteFallback: Bool
  let ignoreMerges: Bool
  private let prefix: [UInt8]?
  private let suffix: [UInt8]?
  /// The id of every one-scalar piece, keyed by the scalar: the per-character lookup without
  /// building a byte-array key (most pieces of a long word are looked up here).
  private let scalarIDs: [UInt32: Int]

  struct BPEMerge: Sendable {
    var rank: Int
    var merged: Int
  }

  init(_ model: JSONValue, fileName: String) throws(TokenizationError) {
    func option(_ key: String) throws(TokenizationError) -> Bool {
      guard let value = model[key], !value.isNull else { return false }
      guard let flag = value.boolValue else {
        throw TokenizationError("\(fileName): model.\(key) must be true or false")
      }
      return flag
    }
    func text(_ key: String) throws(TokenizationError) -> String? {
      guard let value = model[key], !value.isNull else { return nil }
      guard let string = value.stringValue else {
        throw TokenizationError("\(fileName): model.\(key) must be a string")
      }
      return string
    }
    if let dropout = model["dropout"], !dropout.isNull {
      // Random merges would make ids differ from run to run; attnscope shows one tokenisation.
      guard dropout.numberValue?.doubleValue == 0 else {
        throw TokenizationError(
          "\(fileName): model.dropout must be null (BPE dropout is random and not supported)")
      }
    }
    guard let vocab = model["vocab"] else { throw TokenizationError("\(fileName): the model has no vocab") }
    let table = try PieceTable(
      try HuggingFaceTokenizer.vocabularyEntries(vocab, fileName: fileName), fileName: fileName)
    tokens = table.tokens
    ids = table.ids
    byteFallback = try option("byte_fallback")
    ignoreMerges = try option("ignore_merges")
    fuseUnknown = try option("fuse_unk")
    let prefixText = try text("continuing_subword_prefix")
    prefix = prefixText.flatMap { $0.isEmpty ? nil : Array($0.utf8) }
    suffix = try text("end_of_word_suffix").flatMap { $0.isEmpty ? nil : Array($0.utf8) }
    if let unknown = try text("unk_token") {
      // The reference fails at encode time when it needs a missing unk token; refusing it here keeps
      // encoding infallible.
      guard let id = table.ids[unknown.pieceKey] else {
        throw TokenizationError("\(fileName): model.unk_token \(quoted(unknown)) is not in the vocabulary")
      }
      unknownID = id
    } else {
      unknownID = nil
    }
    var scalarIDs: [UInt32: Int] = [:]
    for (key, id) in table.ids {
      if let text = String(validating: key, as: UTF8.self), text.unicodeScalars.count == 1 {
        scalarIDs[text.unicodeScalars.first!.value] = id
      }
    }
    self.scalarIDs = scalarIDs
    byteTokens = Self.byteTokenKeys.map { table.ids[$0] }
    merges = try Self.mergeTable(
      model["merges"], table.ids, prefixLength: prefixText?.utf8.count ?? 0, fileName)
  }

  /// tokenizers' `format!("<{b:#04X}>")`: "<0x0A>".
  static func byteTokenName(_ byte: UInt8) -> String {
    let hex = String(byte, radix: 16, uppercase: true)
    return "<0x" + (hex.count == 1 ? "0" + hex : hex) + ">"
  }

  /// The 256 byte-token names as keys, built once (every file that loads looks them all up).
  private static let byteTokenKeys: [PieceKey] = (0..<256).map { byteTokenName(UInt8($0)).pieceKey }

  /// Merges as "a b" strings (older files) or ["a", "b"] pairs (tokenizers ≥ 0.20), in rank order.
  /// A repeated pair keeps its last rank, as the reference's HashMap collect does.
  private static func mergeTable(
    _ value: JSONValue?, _ ids: [PieceKey: Int], prefixLength: Int, _ fileName: String
  ) throws(TokenizationError) -> [Int: BPEMerge] {
    guard let value, !value.isNull else { return [:] }
    guard let list = value.arrayValue else {
      throw TokenizationError("\(fileName): model.merges must be an array")
    }
    var table: [Int: BPEMerge] = [:]
    table.reserveCapacity(list.count)
    for (rank, merge) in list.enumerated() {
      let parts: [String]
      if let text = merge.stringValue {
        parts = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
      } else {
        parts = merge.arrayValue?.compactMap(\.stringValue) ?? []
      }
      guard parts.count == 2, merge.arrayValue?.count ?? 2 == 2 else {
        throw TokenizationError("\(fileName): model.merges[\(rank)] needs exactly two tokens")
      }
      guard let left = ids[parts[0].pieceKey], let right = ids[parts[1].pieceKey] else {
        let missing = ids[parts[0].pieceKey] == nil ? parts[0] : parts[1]
        throw TokenizationError(
          "\(fileName): model.merges[\(rank)] merges \(quoted(missing)), which is not in the vocabulary")
      }
      // The right part loses the continuing_subword_prefix (`format!("{a}{}", &b[prefix_len..])`).
      let rightBytes = Array(parts[1].utf8)
      guard rightBytes.count >= prefixLength,
        let rightText = String(validating: rightBytes[prefixLength...], as: UTF8.self)
      else {
        throw TokenizationError(
          "\(fileName): model.merges[\(rank)] has \(quoted(parts[1])), shorter than the continuing_subword_prefix"
        )
      }
      guard let merged = ids[(parts[0] + rightText).pieceKey] else {
        throw TokenizationError(
          "\(fileName): model.merges[\(rank)] makes \(quoted(parts[0] + rightText)), which is not in the vocabulary"
        )
      }
      table[left << 32 | right] = BPEMerge(rank: rank, merged: merged)
    }
    return table
  }

  /// The ids of one pre-token (`tokenize_with_cache` without the cache).
  func tokenize(_ piece: [Unicode.Scalar]) -> [Int] {
    guard !piece.isEmpty else { return [] }
    let text = piece.string
    if ignoreMerges, let id = ids[text.pieceKey] { return [id] }
    var symbols: [Int] = []
    var pendingUnknown = false
    let plain = prefix == nil && suffix == nil
    for (index, scalar) in piece.enumerated() {
      var key: [UInt8] = []
      var found: Int?
      if plain {
        found = scalarIDs[scalar.value]
      } else {
        if index > 0, let prefix { key += prefix }
        key += Array(String(scalar).utf8)
        if index == piece.count - 1, let suffix { key += suffix }
        found = ids[key]
      }
      if let id = found {
        if pendingUnknown, let unknownID { symbols.append(unknownID) }
        pendingUnknown = false
        symbols.append(id)
        continue
      }
      if byteFallback {
        if plain { key = Array(String(scalar).utf8) }
        let bytes = key.map { byteTokens[Int($0)] }
        if bytes.allSatisfy({ $0 != nil }) {
          // A pending unk stays pending: the reference adds it after these bytes.
          symbols += bytes.map { $0! }
          continue
        }
      }
      // Without an unk token the character is dropped, as the reference drops it.
      guard let unknownID else { continue }
      if pendingUnknown && !fuseUnknown { symbols.append(unknownID) }
      pendingUnknown = true
    }
    if pendingUnknown, let unknownID { symbols.append(unknownID) }
    return BPEMerger.merge(symbols) { left, right in
      merges[left << 32 | right].map { ($0.rank, $0.merged) }
    }
  }
}
