// tokenizer.json (the `tokenizers` library's serialisation) for the two kinds attnscope runs:
// WordPiece with a BertNormalizer, and BPE with a ByteLevel pre-tokenizer. Field names follow
// huggingface/tokenizers (models/wordpiece, models/bpe/serialization.rs, normalizers/bert.rs,
// pre_tokenizers/byte_level.rs, decoders/wordpiece.rs).

import JSON

enum TokenizerJSONLoader {
  static let fileName = "tokenizer.json"

  static func load(_ folder: Folder, config: TokenizerConfig) throws(TokenizationError)
    -> any SubwordTokenizer
  {
    let root = try TokenizerJSON.parse(try folder.read(fileName), fileName: fileName)
    guard let model = root["model"], model.objectMembers != nil else {
      throw TokenizationError("\(fileName): no \"model\" object")
    }
    guard let vocab = model["vocab"] else { throw TokenizationError("\(fileName): the model has no vocab") }
    let vocabulary = try HuggingFaceTokenizer.vocabularyEntries(vocab, fileName: fileName)
    switch model["type"]?.stringValue {
    case "WordPiece": return try wordPiece(root, model, vocabulary, config)
    case "BPE": return try bytePairs(root, model, vocabulary, config)
    case let other:
      throw TokenizationError(
        "\(fileName): model type \(quoted(other ?? "none")) is not supported (WordPiece or BPE)")
    }
  }

  private static func addedTokens(_ root: JSONValue) -> [(content: String, id: Int, special: Bool)] {
    (root["added_tokens"]?.arrayValue ?? []).compactMap { entry in
      guard let content = entry["content"]?.stringValue, let id = entry["id"]?.integer else { return nil }
      return (content, id, entry["special"]?.boolValue ?? false)
    }
  }

  private static func wordPiece(
    _ root: JSONValue, _ model: JSONValue, _ vocabulary: [(piece: String, id: Int)], _ config: TokenizerConfig
  ) throws(TokenizationError) -> any SubwordTokenizer {
    var basic = config.basicTokenizer
    if let normalizer = root["normalizer"], normalizer["type"]?.stringValue == "BertNormalizer" {
      basic.lowercase = normalizer["lowercase"]?.boolValue ?? basic.lowercase
      basic.stripAccents = normalizer["strip_accents"]?.boolValue
      basic.splitChineseCharacters =
        normalizer["handle_chinese_chars"]?.boolValue ?? basic.splitChineseCharacters
    }
    var names = config.wordPieceNames
    names.unknown = model["unk_token"]?.stringValue ?? names.unknown
    let decoder = root["decoder"]
    let decoding: WordPieceTokenizer.Decoding =
      decoder?["type"]?.stringValue == "WordPiece"
      ? .wordPieceDecoder(
        cleanup: decoder?["cleanup"]?.boolValue ?? true,
        cleanUpSpaces: config.cleanUpTokenizationSpaces ?? false)
      : .joinTokens(cleanUpSpaces: config.cleanUpTokenizationSpaces ?? false)
    return try WordPieceTokenizer(
      vocabulary: vocabulary, fileName: fileName, basicTokenizer: basic, specialTokenNames: names,
      decoding: decoding, continuationPrefix: model["continuing_subword_prefix"]?.stringValue ?? "##")
  }

  private static func bytePairs(
    _ root: JSONValue, _ model: JSONValue, _ vocabulary: [(piece: String, id: Int)], _ config: TokenizerConfig
  ) throws(TokenizationError) -> any SubwordTokenizer {
    guard let byteLevel = byteLevelPreTokenizer(root["pre_tokenizer"]) else {
      throw TokenizationError(
        "\(fileName): only byte-level BPE (a ByteLevel pre-tokenizer, as GPT-2) is supported")
    }
    var merges: [(left: String, right: String, line: Int)] = []
    for (index, merge) in (model["merges"]?.arrayValue ?? []).enumerated() {
      // "a b" (older files) or ["a", "b"] (tokenizers ≥ 0.20).
      let parts: [String]
      if let text = merge.stringValue {
        parts = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
      } else {
        parts = merge.arrayValue?.compactMap(\.stringValue) ?? []
      }
      guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
        throw TokenizationError("\(fileName): merge \(index + 1) needs exactly two tokens")
      }
      merges.append((parts[0], parts[1], index + 1))
    }
    return try ByteLevelBPETokenizer(
      vocabulary: vocabulary, vocabularyFile: fileName, merges: merges, mergesFile: fileName,
      specialTokenNames: config.bpeNames, addedTokens: addedTokens(root),
      addPrefixSpace: byteLevel["add_prefix_space"]?.boolValue ?? config.addPrefixSpace ?? false)
  }

  /// The ByteLevel pre-tokenizer, alone or inside a Sequence.
  private static func byteLevelPreTokenizer(_ value: JSONValue?) -> JSONValue? {
    guard let value else { return nil }
    if value["type"]?.stringValue == "ByteLevel" { return value }
    if value["type"]?.stringValue == "Sequence" {
      return value["pretokenizers"]?.arrayValue?.first { $0["type"]?.stringValue == "ByteLevel" }
    }
    return nil
  }
}
