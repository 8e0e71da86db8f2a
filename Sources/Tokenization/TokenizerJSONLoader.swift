// tokenizer.json (the `tokenizers` library's serialisation) for the kinds attnscope runs: WordPiece
// with a BertNormalizer, and BPE with the pipelines of today's LLMs (BPEPipelineTokenizer: byte-level
// as GPT-2, Llama 3, Qwen; SentencePiece-style with byte fallback as Llama 2, Mistral, Gemma, Phi-3).
// Field names follow huggingface/tokenizers (models/wordpiece, models/bpe/serialization.rs,
// normalizers, pre_tokenizers, decoders, processors, tokenizer/serialization.rs).

import JSON

enum TokenizerJSONLoader {
  static let fileName = "tokenizer.json"

  static func load(_ folder: Folder, config: TokenizerConfig) throws(TokenizationError)
    -> any SubwordTokenizer
  {
    try load(bytes: try folder.read(fileName), config: config)
  }

  static func load(bytes: [UInt8], config: TokenizerConfig) throws(TokenizationError) -> any SubwordTokenizer
  {
    let root = try TokenizerJSON.parse(bytes, fileName: fileName)
    guard let model = root["model"], model.objectMembers != nil else {
      throw TokenizationError("\(fileName): no \"model\" object")
    }
    switch model["type"]?.stringValue {
    case "WordPiece":
      guard let vocab = model["vocab"] else { throw TokenizationError("\(fileName): the model has no vocab") }
      let vocabulary = try HuggingFaceTokenizer.vocabularyEntries(vocab, fileName: fileName)
      return try wordPiece(root, model, vocabulary, config)
    case "BPE": return try bytePairs(root, model, config)
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

  /// BPE as Llama 3, Qwen 2, SmolLM2, Llama 2, Mistral, Gemma 3 and Phi-3 ship it: the whole
  /// pipeline of the file (BPEPipelineTokenizer).
  private static func bytePairs(_ root: JSONValue, _ model: JSONValue, _ config: TokenizerConfig)
    throws(TokenizationError) -> any SubwordTokenizer
  {
    let bpe = try BPEModel(model, fileName: fileName)
    let normalizer = try TokenizerNormalizer.parse(root["normalizer"], fileName: fileName)
    let preTokenizer = try TokenizerPreTokenizer.parse(root["pre_tokenizer"], fileName: fileName)
    let decoder = try TokenizerDecoder.parse(root["decoder"], fileName: fileName)
    let added = try addedTokenEntries(root["added_tokens"], bpe)
    let size = max(bpe.tokens.count, (added.map(\.id).max() ?? -1) + 1)
    let postProcessor = try TokenizerPostProcessor.parse(
      root["post_processor"], fileName: fileName, vocabularySize: size)
    return BPEPipelineTokenizer(
      model: bpe, normalizer: normalizer, preTokenizer: preTokenizer, decoder: decoder,
      postProcessor: postProcessor, addedTokens: added, specialTokenNames: config.pipelineNames)
  }

  /// `added_tokens`, each with the id `tokenizers` gives it (AddedVocabulary::add_tokens: the
  /// model's id for a piece it has, else the next id after the vocabulary and the tokens before it).
  /// A file whose id disagrees is refused: the reference would renumber the token with a warning,
  /// and the model's embedding rows would no longer be the ones the file names.
  private static func addedTokenEntries(_ value: JSONValue?, _ model: BPEModel) throws(TokenizationError)
    -> [AddedTokenEntry]
  {
    guard let value, !value.isNull else { return [] }
    guard let list = value.arrayValue else {
      throw TokenizationError("\(fileName): added_tokens must be an array")
    }
    var entries: [AddedTokenEntry] = []
    var byContent: [PieceKey: Int] = [:]
    var highest: Int?
    let modelSize = model.ids.count
    for (index, item) in list.enumerated() {
      let path = "added_tokens[\(index)]"
      guard let content = item["content"]?.stringValue, !content.isEmpty else {
        throw TokenizationError("\(fileName): \(path).content must be a non-empty string")
      }
      guard let id = item["id"]?.integer, id >= 0 else {
        throw TokenizationError("\(fileName): \(path).id must be a whole number ≥ 0")
      }
      func flag(_ key: String, _ fallback: Bool) throws(TokenizationError) -> Bool {
        guard let flag = item[key], !flag.isNull else { return fallback }
        guard let bool = flag.boolValue else {
          throw TokenizationError("\(fileName): \(path).\(key) must be true or false")
        }
        return bool
      }
      let assigned: Int
      if let known = byContent[content.pieceKey] ?? model.ids[content.pieceKey] {
        assigned = known
      } else if let highest, highest >= modelSize {
        assigned = highest + 1
      } else {
        assigned = modelSize
      }
      guard assigned == id else {
        throw TokenizationError(
          "\(fileName): \(path) \(quoted(content)) has id \(id), but tokenizers gives it \(assigned) (the id is taken or out of sequence)"
        )
      }
      highest = max(highest ?? assigned, assigned)
      let special = try flag("special", false)
      byContent[content.pieceKey] = id
      entries.append(
        AddedTokenEntry(
          content: content, id: id, special: special, singleWord: try flag("single_word", false),
          leftStrip: try flag("lstrip", false), rightStrip: try flag("rstrip", false),
          normalized: try flag("normalized", !special)))
    }
    return entries
  }
}
