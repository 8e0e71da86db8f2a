// tokenizer.json (the `tokenizers` library's serialisation) for the two kinds attnscope runs:
// WordPiece with a BertNormalizer, and BPE with a ByteLevel pre-tokenizer. Field names follow
// huggingface/tokenizers (models/wordpiece, models/bpe/serialization.rs, normalizers/bert.rs,
// pre_tokenizers/byte_level.rs, decoders/wordpiece.rs).

enum TokenizerJSONLoader {
  static let fileName = "tokenizer.json"

  static func load(_ folder: Folder, config: TokenizerConfig) throws(TokenizationError)
    -> any SubwordTokenizer
  {
    let root = try JSONReader.parse(try folder.read(fileName), fileName: fileName)
    guard let model = root["model"], model.members != nil else {
      throw TokenizationError("\(fileName): no \"model\" object")
    }
    guard let vocab = model["vocab"] else { throw TokenizationError("\(fileName): the model has no vocab") }
    let vocabulary = try HuggingFaceTokenizer.vocabularyEntries(vocab, fileName: fileName)
    switch model["type"]?.string {
    case "WordPiece": return try wordPiece(root, model, vocabulary, config)
    case "BPE": return try bytePairs(root, model, vocabulary, config)
    case let other:
      throw TokenizationError(
        "\(fileName): model type \(quoted(other ?? "none")) is not supported (WordPiece or BPE)")
    }
  }

  private static func addedTokens(_ root: JSONValue) -> [(content: String, id: Int, special: Bool)] {
    (root["added_tokens"]?.array ?? []).compactMap { entry in
      guard let content = entry["content"]?.string, let id = entry["id"]?.integer else { return nil }
      return (content, id, entry["special"]?.bool ?? false)
    }
  }

  private static func wordPiece(
    _ root: JSONValue, _ model: JSONValue, _ vocabulary: [(piece: String, id: Int)], _ config: TokenizerConfig
  ) throws(TokenizationError) -> any SubwordTokenizer {
    var basic = config.basicTokenizer
    if let normalizer = root["normalizer"], normalizer["type"]?.string == "BertNormalizer" {
      basic.lowercase = normalizer["lowercase"]?.bool ?? basic.lowercase
      basic.stripAccents = normalizer["strip_accents"]?.bool
      basic.splitChineseCharacters = normalizer["handle_chinese_chars"]?.bool ?? basic.splitChineseCharacters
    }
    var names = config.wordPieceNames
    names.unknown = model["unk_token"]?.string ?? names.unknown
    let decoder = root["decoder"]
    let decoding: WordPieceTokenizer.Decoding =
      decoder?["type"]?.string == "WordPiece"
      ? .wordPieceDecoder(
        cleanup: decoder?["cleanup"]?.bool ?? true, cleanUpSpaces: config.cleanUpTokenizationSpaces ?? false)
      : .joinTokens(cleanUpSpaces: config.cleanUpTokenizationSpaces ?? false)
    return try WordPieceTokenizer(
      vocabulary: vocabulary, fileName: fileName, basicTokenizer: basic, specialTokenNames: names,
      decoding: decoding, continuationPrefix: model["continuing_subword_prefix"]?.string ?? "##")
  }

  private static func bytePairs(
    _ root: JSONValue, _ model: JSONValue, _ vocabulary: [(piece: String, id: Int)], _ config: TokenizerConfig
  ) throws(TokenizationError) -> any SubwordTokenizer {
    guard let byteLevel = byteLevelPreTokenizer(root["pre_tokenizer"]) else {
      throw TokenizationError(
        "\(fileName): only byte-level BPE (a ByteLevel pre-tokenizer, as GPT-2) is supported")
    }
    var merges: [(left: String, right: String, line: Int)] = []
    for (index, merge) in (model["merges"]?.array ?? []).enumerated() {
      // "a b" (older files) or ["a", "b"] (tokenizers ≥ 0.20).
      let parts: [String]
      if let text = merge.string {
        parts = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
      } else {
        parts = merge.array?.compactMap(\.string) ?? []
      }
      guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
        throw TokenizationError("\(fileName): merge \(index + 1) needs exactly two tokens")
      }
      merges.append((parts[0], parts[1], index + 1))
    }
    return try ByteLevelBPETokenizer(
      vocabulary: vocabulary, vocabularyFile: fileName, merges: merges, mergesFile: fileName,
      specialTokenNames: config.bpeNames, addedTokens: addedTokens(root),
      addPrefixSpace: byteLevel["add_prefix_space"]?.bool ?? config.addPrefixSpace ?? false)
  }

  /// The ByteLevel pre-tokenizer, alone or inside a Sequence.
  private static func byteLevelPreTokenizer(_ value: JSONValue?) -> JSONValue? {
    guard let value else { return nil }
    if value["type"]?.string == "ByteLevel" { return value }
    if value["type"]?.string == "Sequence" {
      return value["pretokenizers"]?.array?.first { $0["type"]?.string == "ByteLevel" }
    }
    return nil
  }
}
