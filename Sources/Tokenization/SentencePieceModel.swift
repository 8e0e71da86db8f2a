// A SentencePiece unigram model read from its .model / .spm protobuf, with sentencepiece's own
// normaliser and its optimised Viterbi segmentation. Follows google/sentencepiece:
// src/sentencepiece_model.proto (fields), src/model_interface.cc (piece checks),
// src/unigram_model.cc (`EncodeOptimized`: float scores, unknown = min score − 10, ties keep the
// first path found), src/sentencepiece_processor.cc (runs of unknown pieces merged; `Decode`).

public struct SentencePieceModel: Sendable {
  public enum PieceType: Int, Sendable {
    case normal = 1, unknown = 2, control = 3, userDefined = 4, unused = 5, byte = 6
  }

  public struct Piece: Sendable, Equatable {
    public var text: String
    public var score: Float
    public var type: PieceType
  }

  /// Pieces in id order.
  public let pieces: [Piece]
  public let unknownID: Int
  let normalizer: SentencePieceNormalizer
  /// What `Decode` prints for the unknown piece (trainer_spec.unk_surface, default " ⁇ ").
  let unknownSurface: String
  /// Normal, user-defined and unused pieces (the ones segmentation can pick), by bytes.
  private let trie: ByteTrie
  /// Control, unknown and byte pieces: found by `pieceID` but never produced by segmentation.
  private let reserved: [PieceKey: Int]
  private let minimumScore: Float
  private let maximumScore: Float

  /// Reads a serialized ModelProto; `fileName` starts every error message.
  public init(protobuf bytes: [UInt8], fileName: String) throws(TokenizationError) {
    let proto: ModelProto
    do throws(ProtobufReader.Failure) {
      proto = try ModelProto(bytes[...])
    } catch {
      throw TokenizationError("\(fileName): not a SentencePiece model (\(error.reason))")
    }
    guard !proto.pieces.isEmpty else { throw TokenizationError("\(fileName): the model has no pieces") }
    guard proto.modelType == 1 else {
      let name = [2: "BPE", 3: "word", 4: "char"][proto.modelType] ?? "type \(proto.modelType)"
      throw TokenizationError("\(fileName): a \(name) SentencePiece model; only unigram models are supported")
    }
    var trie = ByteTrie()
    var reserved: [PieceKey: Int] = [:]
    var unknownID: Int?
    var minimum = Float.greatestFiniteMagnitude
    var maximum = Float.leastNormalMagnitude  // FLT_MIN, as the reference starts from
    for (id, piece) in proto.pieces.enumerated() {
      guard !piece.text.isEmpty else { throw TokenizationError("\(fileName): piece \(id) is empty") }
      let key = piece.text.pieceKey
      if trie.value(of: key) != nil || reserved[key] != nil {
        throw TokenizationError("\(fileName): the piece \(quoted(piece.text)) appears twice")
      }
      switch piece.type {
      case .normal, .userDefined, .unused: trie.insert(key, value: Int32(id))
      case .unknown, .control, .byte: reserved[key] = id
      }
      if piece.type == .unknown {
        guard unknownID == nil else { throw TokenizationError("\(fileName): more than one unknown piece") }
        unknownID = id
      }
      if piece.type == .normal {
        minimum = min(minimum, piece.score)
        maximum = max(maximum, piece.score)
      }
    }
    guard let unknownID else { throw TokenizationError("\(fileName): the model has no unknown piece") }
    self.pieces = proto.pieces
    self.unknownID = unknownID
    self.trie = trie
    self.reserved = reserved
    self.minimumScore = minimum
    self.maximumScore = maximum
    self.unknownSurface = proto.unknownSurface ?? " \u{2047} "
    do throws(ProtobufReader.Failure) {
      self.normalizer = try SentencePieceNormalizer(
        spec: proto.normalizer,
        userDefined: proto.pieces.filter { $0.type == .userDefined }.map(\.text.pieceKey))
    } catch {
      throw TokenizationError("\(fileName): bad normalizer (\(error.reason))")
    }
  }

  /// `PieceToId`: reserved pieces first, then the others, else the unknown id.
  public func pieceID(_ piece: String) -> Int {
    let key = piece.pieceKey
    if let id = reserved[key] { return id }
    if let id = trie.value(of: key) { return Int(id) }
    return unknownID
  }

  /// Pieces of `text` with their ids; a run of unknown characters is one unknown piece.
  public func encode(_ text: String) -> [(piece: String, id: Int)] {
    let normalized = normalizer.normalize(text)
    var out: [(piece: String, id: Int)] = []
    var previousUnknown = false
    for (range, id) in segment(normalized) {
      let piece = String(decoding: normalized[range], as: UTF8.self)
      let isUnknown = id == unknownID
      if isUnknown && previousUnknown {
        out[out.count - 1].piece += piece
      } else {
        out.append((piece, id))
      }
      previousUnknown = isUnknown
    }
    return out
  }

  /// Viterbi over the normalised bytes: best_path_ends_at[i] holds the best path ending at byte i.
  func segment(_ text: [UInt8]) -> [(Range<Int>, Int)] {
    let size = text.count
    guard size > 0 else { return [] }
    let unknownScore = minimumScore - 10  // kUnkPenalty
    var bestScore = [Float](repeating: 0, count: size + 1)
    var bestStart = [Int](repeating: -1, count: size + 1)
    var bestID = [Int](repeating: -1, count: size + 1)
    func offer(end: Int, start: Int, id: Int, score: Float) {
      let candidate = score + bestScore[start]
      if bestStart[end] == -1 || candidate > bestScore[end] {
        bestScore[end] = candidate
        bestStart[end] = start
        bestID[end] = id
      }
    }
    var start = 0
    while start < size {
      let characterLength = min(Self.utf8Length(text[start]), size - start)
      var hasSingleCharacterPiece = false
      var node = ByteTrie.root
      var end = start
      while end < size, let child = trie.child(of: node, text[end]) {
        node = child
        end += 1
        guard let value = trie.value(at: node) else { continue }
        let id = Int(value)
        let piece = pieces[id]
        if piece.type == .unused { continue }
        // User-defined symbols get a bonus so they are always chosen (computed in double there).
        let score =
          piece.type == .userDefined
          ? Float(Double(end - start) * Double(maximumScore) - 0.1) : piece.score
        offer(end: end, start: start, id: id, score: score)
        if end - start == characterLength { hasSingleCharacterPiece = true }
      }
      if !hasSingleCharacterPiece {
        offer(end: start + characterLength, start: start, id: unknownID, score: unknownScore)
      }
      start += characterLength
    }
    var result: [(Range<Int>, Int)] = []
    var end = size
    while end > 0 {
      let begin = bestStart[end]
      result.append((begin..<end, bestID[end]))
      end = begin
    }
    return result.reversed()
  }

  /// Bytes of the UTF-8 character starting with `lead` (1 for a stray continuation byte).
  static func utf8Length(_ lead: UInt8) -> Int {
    switch lead {
    case 0xF0...0xFF: return 4
    case 0xE0...0xEF: return 3
    case 0xC0...0xDF: return 2
    default: return 1
    }
  }

  /// `DecodePieces`: control pieces vanish, the unknown piece prints its surface, "▁" becomes a
  /// space, and the first piece loses its leading "▁" (the dummy prefix).
  public func decodePieces(_ pieceTexts: [String]) -> String {
    var text = ""
    let stripsDummyPrefix = normalizer.addDummyPrefix || normalizer.removeExtraWhitespaces
    for piece in pieceTexts {
      let id = pieceID(piece)
      switch pieces[id].type {
      case .control: continue
      case .unknown:
        text += piece.pieceKey == pieces[id].text.pieceKey ? unknownSurface : piece
      default:
        var bytes = piece.pieceKey[...]
        if text.isEmpty && stripsDummyPrefix && bytes.starts(with: Self.spaceSymbol) {
          bytes = bytes.dropFirst(Self.spaceSymbol.count)
        }
        text += String(decoding: bytes, as: UTF8.self).replacingAll("\u{2581}", with: " ")
      }
    }
    return text
  }

  static let spaceSymbol: [UInt8] = Array("\u{2581}".utf8)
}

/// The ModelProto fields attnscope reads.
struct ModelProto {
  var pieces: [SentencePieceModel.Piece] = []
  var modelType = 1  // TrainerSpec.model_type, default UNIGRAM
  var unknownSurface: String?
  var normalizer = NormalizerSpec()

  struct NormalizerSpec {
    var name = ""
    var precompiledCharsMap: [UInt8] = []
    var addDummyPrefix = true
    var removeExtraWhitespaces = true
    var escapeWhitespaces = true
  }

  init(_ bytes: ArraySlice<UInt8>) throws(ProtobufReader.Failure) {
    var reader = ProtobufReader(bytes)
    while !reader.isAtEnd {
      let (field, type) = try reader.fieldHeader()
      switch (field, type) {
      case (1, .lengthDelimited): pieces.append(try Self.piece(try reader.lengthDelimited()))
      case (2, .lengthDelimited): try readTrainerSpec(try reader.lengthDelimited())
      case (3, .lengthDelimited): normalizer = try Self.normalizerSpec(try reader.lengthDelimited())
      case (1...3, _): throw ProtobufReader.Failure(reason: "field \(field) has the wrong wire type")
      default: try reader.skip(type)
      }
    }
  }

  private static func string(_ bytes: ArraySlice<UInt8>) throws(ProtobufReader.Failure) -> String {
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw ProtobufReader.Failure(reason: "a string is not valid UTF-8")
    }
    return text
  }

  private static func piece(_ bytes: ArraySlice<UInt8>) throws(ProtobufReader.Failure)
    -> SentencePieceModel.Piece
  {
    var reader = ProtobufReader(bytes)
    var piece = SentencePieceModel.Piece(text: "", score: 0, type: .normal)
    while !reader.isAtEnd {
      let (field, type) = try reader.fieldHeader()
      switch (field, type) {
      case (1, .lengthDelimited): piece.text = try string(try reader.lengthDelimited())
      case (2, .fixed32): piece.score = Float(bitPattern: try reader.fixed32())
      case (3, .varint):
        let raw = try reader.varint()
        guard let kind = SentencePieceModel.PieceType(rawValue: Int(truncatingIfNeeded: raw)), raw < 7 else {
          throw ProtobufReader.Failure(reason: "unknown piece type \(raw)")
        }
        piece.type = kind
      case (1...3, _): throw ProtobufReader.Failure(reason: "piece field \(field) has the wrong wire type")
      default: try reader.skip(type)
      }
    }
    return piece
  }

  private mutating func readTrainerSpec(_ bytes: ArraySlice<UInt8>) throws(ProtobufReader.Failure) {
    var reader = ProtobufReader(bytes)
    while !reader.isAtEnd {
      let (field, type) = try reader.fieldHeader()
      switch (field, type) {
      case (3, .varint): modelType = Int(truncatingIfNeeded: try reader.varint())
      case (44, .lengthDelimited): unknownSurface = try Self.string(try reader.lengthDelimited())
      default: try reader.skip(type)
      }
    }
  }

  private static func normalizerSpec(_ bytes: ArraySlice<UInt8>) throws(ProtobufReader.Failure)
    -> NormalizerSpec
  {
    var reader = ProtobufReader(bytes)
    var spec = NormalizerSpec()
    while !reader.isAtEnd {
      let (field, type) = try reader.fieldHeader()
      switch (field, type) {
      case (1, .lengthDelimited): spec.name = try string(try reader.lengthDelimited())
      case (2, .lengthDelimited): spec.precompiledCharsMap = Array(try reader.lengthDelimited())
      case (3, .varint): spec.addDummyPrefix = try reader.varint() != 0
      case (4, .varint): spec.removeExtraWhitespaces = try reader.varint() != 0
      case (5, .varint): spec.escapeWhitespaces = try reader.varint() != 0
      default: try reader.skip(type)
      }
    }
    return spec
  }
}

/// A byte trie with one hash table of edges: (node, byte) → child.
struct ByteTrie: Sendable {
  static let root = 0
  private var edges: [Int: Int32] = [:]
  private var values: [Int32] = [-1]

  mutating func insert(_ key: PieceKey, value: Int32) {
    var node = Self.root
    for byte in key {
      let edge = node << 8 | Int(byte)
      if let child = edges[edge] {
        node = Int(child)
      } else {
        values.append(-1)
        edges[edge] = Int32(values.count - 1)
        node = values.count - 1
      }
    }
    values[node] = value
  }

  func child(of node: Int, _ byte: UInt8) -> Int? { edges[node << 8 | Int(byte)].map(Int.init) }
  func value(at node: Int) -> Int32? { values[node] >= 0 ? values[node] : nil }

  func value(of key: PieceKey) -> Int32? {
    var node = Self.root
    for byte in key {
      guard let child = child(of: node, byte) else { return nil }
      node = child
    }
    return value(at: node)
  }
}
