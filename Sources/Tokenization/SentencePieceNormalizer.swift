// SentencePiece's normaliser: the model's precompiled character map (a Darts double-array trie of
// rules plus their replacement strings; nmt_nfkc is NFKC with extra whitespace and control rules),
// then whitespace handling: leading and trailing spaces dropped and runs collapsed
// (remove_extra_whitespaces), "▁" for spaces (escape_whitespaces), one "▁" in front
// (add_dummy_prefix). Follows google/sentencepiece src/normalizer.cc (`Normalize`,
// `NormalizePrefix`, `DecodePrecompiledCharsMap`) and darts-clone's `commonPrefixSearch`.
import Foundation

struct SentencePieceNormalizer: Sendable {
  let addDummyPrefix: Bool
  let removeExtraWhitespaces: Bool
  let escapeWhitespaces: Bool
  private let charsMap: PrecompiledCharsMap?
  /// A model naming NFKC without carrying its table: Foundation's NFKC stands in.
  private let foundationNFKC: Bool
  /// User-defined pieces pass through unnormalised, longest first.
  private let userDefined: [PieceKey]

  init(spec: ModelProto.NormalizerSpec, userDefined: [PieceKey]) throws(ProtobufReader.Failure) {
    addDummyPrefix = spec.addDummyPrefix
    removeExtraWhitespaces = spec.removeExtraWhitespaces
    escapeWhitespaces = spec.escapeWhitespaces
    charsMap = spec.precompiledCharsMap.isEmpty ? nil : try PrecompiledCharsMap(spec.precompiledCharsMap)
    foundationNFKC = spec.precompiledCharsMap.isEmpty && spec.name.lowercased().contains("nfkc")
    self.userDefined = userDefined.sorted { $0.count > $1.count }
  }

  private static let space: [UInt8] = [0x20]

  /// The normalised UTF-8 bytes of `text`.
  func normalize(_ text: String) -> [UInt8] {
    let input = Array((foundationNFKC ? text.precomposedStringWithCompatibilityMapping : text).utf8)
    var position = 0
    if removeExtraWhitespaces {
      while position < input.count {
        let (replacement, consumed) = normalizePrefix(input, at: position)
        guard replacement.elementsEqual(Self.space) else { break }
        position += consumed
      }
    }
    guard position < input.count else { return [] }
    let spaceMark = escapeWhitespaces ? SentencePieceModel.spaceSymbol : Self.space
    var out: [UInt8] = []
    out.reserveCapacity(input.count + 16)
    if addDummyPrefix { out += spaceMark }
    var previousWasSpace = removeExtraWhitespaces
    while position < input.count {
      let (replacement, consumed) = normalizePrefix(input, at: position)
      var piece = replacement[...]
      if previousWasSpace {
        while piece.first == 0x20 { piece = piece.dropFirst() }
      }
      if !piece.isEmpty {
        for byte in piece {
          if escapeWhitespaces && byte == 0x20 { out += spaceMark } else { out.append(byte) }
        }
        previousWasSpace = piece.last == 0x20
      }
      position += consumed
      if !removeExtraWhitespaces { previousWasSpace = false }
    }
    if removeExtraWhitespaces {
      while out.count >= spaceMark.count && out.suffix(spaceMark.count).elementsEqual(spaceMark) {
        out.removeLast(spaceMark.count)
      }
    }
    return out
  }

  /// The replacement for the longest rule matching at `position`, and the bytes it consumes;
  /// without a rule, one character unchanged.
  private func normalizePrefix(_ input: [UInt8], at position: Int) -> ([UInt8], Int) {
    for symbol in userDefined
    where input.count - position >= symbol.count
      && input[position..<(position + symbol.count)].elementsEqual(symbol)
    {
      return (symbol, symbol.count)
    }
    if let charsMap, let (length, replacement) = charsMap.longestMatch(input, from: position) {
      return (replacement, length)
    }
    let length = min(SentencePieceModel.utf8Length(input[position]), input.count - position)
    return (Array(input[position..<(position + length)]), length)
  }
}

/// The precompiled_charsmap blob: a little-endian UInt32 trie size, the double-array units, then
/// NUL-terminated replacement strings the trie's values point into.
struct PrecompiledCharsMap: Sendable {
  private let units: [UInt32]
  private let replacements: [UInt8]

  init(_ blob: [UInt8]) throws(ProtobufReader.Failure) {
    guard blob.count > 4 else { throw ProtobufReader.Failure(reason: "character map too short") }
    let trieSize = Int(blob[0]) | Int(blob[1]) << 8 | Int(blob[2]) << 16 | Int(blob[3]) << 24
    guard trieSize % 4 == 0, trieSize <= blob.count - 4 else {
      throw ProtobufReader.Failure(reason: "character map trie runs past its blob")
    }
    units = stride(from: 4, to: 4 + trieSize, by: 4).map {
      UInt32(blob[$0]) | UInt32(blob[$0 + 1]) << 8 | UInt32(blob[$0 + 2]) << 16 | UInt32(blob[$0 + 3]) << 24
    }
    replacements = Array(blob[(4 + trieSize)...])
  }

  /// darts-clone unit fields.
  private static func hasLeaf(_ unit: UInt32) -> Bool { (unit >> 8) & 1 == 1 }
  private static func value(_ unit: UInt32) -> Int { Int(unit & 0x7FFF_FFFF) }
  private static func label(_ unit: UInt32) -> UInt32 { unit & (0x8000_0000 | 0xFF) }
  private static func offset(_ unit: UInt32) -> Int { Int((unit >> 10) << ((unit & (1 << 9)) >> 6)) }

  /// `commonPrefixSearch` keeping the longest of the first 32 matches (the reference's buffer).
  func longestMatch(_ key: [UInt8], from start: Int) -> (length: Int, replacement: [UInt8])? {
    guard !units.isEmpty else { return nil }
    var node = Self.offset(units[0])
    var best: (length: Int, value: Int)?
    var found = 0
    for i in start..<key.count {
      node ^= Int(key[i])
      guard node < units.count else { break }
      let unit = units[node]
      guard Self.label(unit) == UInt32(key[i]) else { break }
      node ^= Self.offset(unit)
      guard node < units.count else { break }
      if Self.hasLeaf(unit) {
        if found < 32 { best = (i - start + 1, Self.value(units[node])) }
        found += 1
      }
    }
    guard let best, best.value < replacements.count else { return nil }
    let end = replacements[best.value...].firstIndex(of: 0) ?? replacements.count
    return (best.length, Array(replacements[best.value..<end]))
  }
}
