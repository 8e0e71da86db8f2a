// The added tokens and the tokenizer.json document of a GGUF tokenizer, laid out as `tokenizers`
// serialises the one transformers builds (tokenizer/serialization.rs, models/bpe/serialization.rs,
// processors/template.rs).
import JSON

/// `tokenizers`' AddedVocabulary as transformers fills it: a token the vocabulary has keeps its id; a
/// repeat of an added token is ignored (add_tokens).
struct GGUFAddedTokens {
  struct Entry {
    var content: String
    var id: Int
    var special: Bool
  }
  let vocabulary: GGUFVocabularyIndex
  private(set) var entries: [Entry] = []
  private var byContent: [[UInt8]: Int] = [:]

  init(vocabulary: GGUFVocabularyIndex) { self.vocabulary = vocabulary }

  /// In the tokenizer's get_vocab(): the model's vocabulary or an added token.
  func knows(_ token: String) -> Bool { id(of: token) != nil }

  func id(of token: String) -> Int? {
    let key = Array(token.utf8)
    return byContent[key].map { entries[$0].id } ?? vocabulary.id(key[...])
  }

  /// transformers would give a token the vocabulary lacks a new id past it, beyond the rows of the
  /// model's embedding; attnscope leaves such a token out and says so.
  mutating func add(_ token: String, special: Bool, _ notices: inout [String], _ fileName: String) {
    let key = Array(token.utf8)
    guard !key.isEmpty, byContent[key] == nil else { return }
    guard let id = vocabulary.id(key[...]) else {
      let note =
        "\(fileName): special token \(ggufQuoted(token)) is not in the vocabulary; transformers would add it "
        + "with a new id past the model's embedding, attnscope leaves it out"
      if !notices.contains(note) { notices.append(note) }
      return
    }
    byContent[key] = entries.count
    entries.append(Entry(content: token, id: id, special: special))
  }
}

enum GGUFTokenizerJSON {
  typealias Object = [(String, JSONValue)]

  static func object(_ members: Object) -> JSONValue { GGUFPipeline.object(members) }
  static func number(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }

  /// The document as bytes. The vocabulary and merges (262,144 and 514,906 entries for Gemma 3) are
  /// written straight from the pieces' bytes rather than through a JSONValue tree.
  static func document(
    pipeline: GGUFPipeline, pieces: [String], vocabulary: GGUFVocabularyIndex, merges: [GGUFMerge],
    added: [GGUFAddedTokens.Entry], bos: (String, Int)?, eos: (String, Int)?
  ) -> [UInt8] {
    let addedTokens: [JSONValue] = added.sorted { $0.id < $1.id }.map {
      object([
        ("id", number($0.id)), ("content", .string($0.content)), ("single_word", .bool(false)),
        ("lstrip", .bool(false)), ("rstrip", .bool(false)), ("normalized", .bool(false)),
        ("special", .bool($0.special)),
      ])
    }
    let head: Object = [
      ("version", .string("1.0")), ("truncation", .null), ("padding", .null),
      ("added_tokens", .array(addedTokens)),
      ("normalizer", pipeline.normalizer), ("pre_tokenizer", pipeline.preTokenizer),
      ("post_processor", template(bos: bos, eos: eos)), ("decoder", pipeline.decoder),
    ]
    let options: Object = [
      ("type", .string("BPE")), ("dropout", .null),
      ("unk_token", pipeline.unknownToken.map { .string($0) } ?? .null),
      ("continuing_subword_prefix", pipeline.affixes), ("end_of_word_suffix", pipeline.affixes),
      ("fuse_unk", .bool(pipeline.fuseUnknown)), ("byte_fallback", .bool(pipeline.byteFallback)),
      ("ignore_merges", .bool(false)),
    ]
    var out: [UInt8] = []
    out.reserveCapacity(64 * (pieces.count + merges.count))
    func members(_ list: Object) {
      for (key, value) in list {
        appendQuoted(key.utf8, to: &out)
        out.append(UInt8(ascii: ":"))
        value.appendSerialized(to: &out)
        out.append(UInt8(ascii: ","))
      }
    }
    out.append(UInt8(ascii: "{"))
    members(head)
    out.append(contentsOf: Array(#""model":{"#.utf8))
    members(options)
    // Each distinct piece once, under the id Python's dict kept (the last).
    out.append(contentsOf: Array(#""vocab":{"#.utf8))
    var first = true
    for index in vocabulary.pieces.indices where vocabulary.kept[index] == index {
      if !first { out.append(UInt8(ascii: ",")) }
      first = false
      appendQuoted(pieces[index].utf8, to: &out)
      out.append(UInt8(ascii: ":"))
      out.append(contentsOf: Array(String(index).utf8))
    }
    out.append(contentsOf: Array(#"},"merges":["#.utf8))
    for (index, merge) in merges.enumerated() {
      if index > 0 { out.append(UInt8(ascii: ",")) }
      out.append(UInt8(ascii: "["))
      appendQuoted(merge.left, to: &out)
      out.append(UInt8(ascii: ","))
      appendQuoted(merge.right, to: &out)
      out.append(UInt8(ascii: "]"))
    }
    out.append(contentsOf: Array("]}}".utf8))
    return out
  }

  static let hex = Array("0123456789abcdef".utf8)

  /// A JSON string of UTF-8 `bytes`: quote, backslash and control characters escaped.
  static func appendQuoted<Bytes: Sequence<UInt8>>(_ bytes: Bytes, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    for byte in bytes {
      switch byte {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"):
        out.append(UInt8(ascii: "\\"))
        out.append(byte)
      case 0x00..<0x20:
        out.append(contentsOf: Array("\\u00".utf8))
        out.append(hex[Int(byte >> 4)])
        out.append(hex[Int(byte & 0xF)])
      default: out.append(byte)
      }
    }
    out.append(UInt8(ascii: "\""))
  }

  /// update_post_processor: "[bos:0] $A:0 [eos:0]" and the pair form after it.
  static func template(bos: (String, Int)?, eos: (String, Int)?) -> JSONValue {
    func special(_ token: (String, Int)?, _ type: Int) -> [JSONValue] {
      guard let token else { return [] }
      return [object([("SpecialToken", object([("id", .string(token.0)), ("type_id", number(type))]))])]
    }
    func sequence(_ name: String, _ type: Int) -> JSONValue {
      object([("Sequence", object([("id", .string(name)), ("type_id", number(type))]))])
    }
    let single = special(bos, 0) + [sequence("A", 0)] + special(eos, 0)
    let pair = single + special(bos, 1) + [sequence("B", 1)] + special(eos, 1)
    var specials: [JSONMember] = []
    for (token, id) in [bos, eos].compactMap({ $0 }) where !specials.contains(where: { $0.key == token }) {
      specials.append(
        JSONMember(
          key: token,
          value: object([
            ("id", .string(token)), ("ids", .array([number(id)])), ("tokens", .array([.string(token)])),
          ])))
    }
    return object([
      ("type", .string("TemplateProcessing")), ("single", .array(single)), ("pair", .array(pair)),
      ("special_tokens", .object(specials)),
    ])
  }
}
