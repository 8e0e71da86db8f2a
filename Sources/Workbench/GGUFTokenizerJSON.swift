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

  static func document(
    pipeline: GGUFPipeline, pieces: [String], vocabulary: GGUFVocabularyIndex, merges: [GGUFMerge],
    added: [GGUFAddedTokens.Entry], bos: (String, Int)?, eos: (String, Int)?
  ) -> [UInt8] {
    // The vocabulary object keeps each distinct piece once, under the id Python's dict kept (the last).
    var vocab: [JSONMember] = []
    vocab.reserveCapacity(vocabulary.ids.count)
    for (index, piece) in vocabulary.pieces.enumerated() where vocabulary.id(piece[...]) == index {
      vocab.append(JSONMember(key: pieces[index], value: number(index)))
    }
    let mergeList: [JSONValue] = merges.map {
      .array([.string(String(decoding: $0.left, as: UTF8.self)), .string(String(decoding: $0.right, as: UTF8.self))])
    }
    let model = object([
      ("type", .string("BPE")), ("dropout", .null), ("unk_token", pipeline.unknownToken.map { .string($0) } ?? .null),
      ("continuing_subword_prefix", pipeline.affixes), ("end_of_word_suffix", pipeline.affixes),
      ("fuse_unk", .bool(pipeline.fuseUnknown)), ("byte_fallback", .bool(pipeline.byteFallback)),
      ("ignore_merges", .bool(false)), ("vocab", .object(vocab)), ("merges", .array(mergeList)),
    ])
    let addedTokens: [JSONValue] = added.sorted { $0.id < $1.id }.map {
      object([
        ("id", number($0.id)), ("content", .string($0.content)), ("single_word", .bool(false)),
        ("lstrip", .bool(false)), ("rstrip", .bool(false)), ("normalized", .bool(false)),
        ("special", .bool($0.special)),
      ])
    }
    let root = object([
      ("version", .string("1.0")), ("truncation", .null), ("padding", .null), ("added_tokens", .array(addedTokens)),
      ("normalizer", pipeline.normalizer), ("pre_tokenizer", pipeline.preTokenizer),
      ("post_processor", template(bos: bos, eos: eos)), ("decoder", pipeline.decoder), ("model", model),
    ])
    var bytes: [UInt8] = []
    root.appendSerialized(to: &bytes)
    return bytes
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
          value: object([("id", .string(token)), ("ids", .array([number(id)])), ("tokens", .array([.string(token)]))])))
    }
    return object([
      ("type", .string("TemplateProcessing")), ("single", .array(single)), ("pair", .array(pair)),
      ("special_tokens", .object(specials)),
    ])
  }
}
