// Opens the tokenizer of a Hugging Face model folder, picking the kind from the files present as
// `transformers` would: tokenizer.json (model.type WordPiece or BPE), else vocab.txt (BERT), else
// vocab.json + merges.txt (GPT-2), else source.spm + vocab.json (Marian). tokenizer_config.json and
// special_tokens_map.json supply options and special-token names when present. Every failure is a
// one-line `TokenizationError` naming the file at fault.
import FileInput
import Foundation
import JSON

public enum HuggingFaceTokenizer {
  /// The tokenizer of the model in `folder`.
  public static func load(folder: URL) throws(TokenizationError) -> any SubwordTokenizer {
    let files = Folder(url: folder)
    let config = try TokenizerConfig(folder: files)
    if files.exists("tokenizer.json") { return try TokenizerJSONLoader.load(files, config: config) }
    if files.exists("vocab.txt") {
      let vocabulary = try parseVocabTxt(try files.read("vocab.txt"), fileName: "vocab.txt")
      return try WordPieceTokenizer(
        vocabulary: vocabulary.enumerated().map { ($1, $0) }, fileName: "vocab.txt",
        basicTokenizer: config.basicTokenizer, specialTokenNames: config.wordPieceNames,
        decoding: .joinTokens(cleanUpSpaces: config.cleanUpTokenizationSpaces ?? true))
    }
    if files.exists("vocab.json") && files.exists("merges.txt") {
      return try ByteLevelBPETokenizer(
        vocabulary: try parseVocabJSON(try files.read("vocab.json"), fileName: "vocab.json"),
        vocabularyFile: "vocab.json",
        merges: try parseMerges(try files.read("merges.txt"), fileName: "merges.txt"),
        mergesFile: "merges.txt", specialTokenNames: config.bpeNames,
        addPrefixSpace: config.addPrefixSpace ?? false)
    }
    if files.exists("source.spm") {
      // target.spm is checked too, so a broken folder fails here, though source text uses source.spm.
      return try marian(files, config: config, model: "source.spm", alsoChecking: "target.spm")
    }
    throw TokenizationError(
      "\(folder.lastPathComponent): no tokenizer files (looked for tokenizer.json, vocab.txt, "
        + "vocab.json + merges.txt, source.spm + vocab.json)")
  }

  /// A tokenizer.json's bytes on their own (no tokenizer_config.json), as the fuzzer feeds them.
  public static func load(tokenizerJSON bytes: [UInt8]) throws(TokenizationError) -> any SubwordTokenizer {
    try TokenizerJSONLoader.load(bytes: bytes, config: TokenizerConfig())
  }

  /// Marian's tokenizer with the SentencePiece `model` (source.spm or target.spm) over the shared
  /// vocab.json, with the special-token names of tokenizer_config.json; `other`, if present, must
  /// parse too.
  static func marian(
    _ files: Folder, config: TokenizerConfig, model: String, alsoChecking other: String? = nil
  ) throws(TokenizationError) -> MarianTokenizer {
    let pieces = try SentencePieceModel(protobuf: try files.read(model), fileName: model)
    if let other, files.exists(other) {
      _ = try SentencePieceModel(protobuf: try files.read(other), fileName: other)
    }
    guard files.exists("vocab.json") else {
      throw TokenizationError("\(files.url.lastPathComponent): \(model) needs vocab.json beside it")
    }
    return try MarianTokenizer(
      source: pieces, vocabulary: try parseVocabJSON(try files.read("vocab.json"), fileName: "vocab.json"),
      vocabularyFile: "vocab.json", specialTokenNames: config.marianNames)
  }

  /// vocab.txt: UTF-8, one token per line, id = line number (0-based); \n, \r\n or \r end a line,
  /// as Python's text mode reads it. Empty files and repeated tokens are refused.
  public static func parseVocabTxt(_ bytes: [UInt8], fileName: String) throws(TokenizationError) -> [String] {
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw TokenizationError("\(fileName): not valid UTF-8")
    }
    var lines = splitLines(text)
    if lines.last == "" { lines.removeLast() }
    guard !lines.isEmpty else { throw TokenizationError("\(fileName): the file is empty") }
    var seen: [PieceKey: Int] = [:]
    for (index, line) in lines.enumerated() {
      if let first = seen[line.pieceKey] {
        throw TokenizationError(
          "\(fileName): line \(index + 1) repeats line \(first + 1) (\(quoted(line)))")
      }
      seen[line.pieceKey] = index
    }
    return lines
  }

  /// merges.txt: "left right" per line in rank order; a first line "#version…" is skipped.
  public static func parseMerges(_ bytes: [UInt8], fileName: String) throws(TokenizationError)
    -> [(left: String, right: String, line: Int)]
  {
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw TokenizationError("\(fileName): not valid UTF-8")
    }
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
      $0.utf8.last == 0x0D ? String(decoding: $0.utf8.dropLast(), as: UTF8.self) : String($0)
    }
    if lines.last == "" { lines.removeLast() }
    var merges: [(left: String, right: String, line: Int)] = []
    for (index, line) in lines.enumerated() {
      if line.utf8.starts(with: "#version".utf8) { continue }
      let parts = line.split(separator: " ", omittingEmptySubsequences: false)
      guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
        throw TokenizationError(
          "\(fileName): line \(index + 1) needs exactly two tokens separated by one space, found \(quoted(line))"
        )
      }
      merges.append((String(parts[0]), String(parts[1]), index + 1))
    }
    return merges
  }

  /// vocab.json: an object from piece to id.
  public static func parseVocabJSON(_ bytes: [UInt8], fileName: String) throws(TokenizationError)
    -> [(piece: String, id: Int)]
  {
    try vocabularyEntries(try TokenizerJSON.parse(bytes, fileName: fileName), fileName: fileName)
  }

  static func vocabularyEntries(_ value: JSONValue, fileName: String) throws(TokenizationError)
    -> [(piece: String, id: Int)]
  {
    guard let members = value.objectMembers else {
      throw TokenizationError("\(fileName): the vocabulary must be a JSON object of token → id")
    }
    var entries: [(piece: String, id: Int)] = []
    entries.reserveCapacity(members.count)
    for member in members {
      let (piece, id) = (member.key, member.value)
      guard let id = id.integer, id >= 0 else {
        throw TokenizationError("\(fileName): the id of \(quoted(piece)) is not a whole number ≥ 0")
      }
      entries.append((piece, id))
    }
    return entries
  }

  /// Python's universal newlines: \r\n, \r and \n each end a line.
  static func splitLines(_ text: String) -> [String] {
    var lines: [String] = []
    var current: [UInt8] = []
    var bytes = Array(text.utf8)[...]
    while let byte = bytes.popFirst() {
      if byte == 0x0A || byte == 0x0D {
        if byte == 0x0D && bytes.first == 0x0A { bytes = bytes.dropFirst() }
        lines.append(String(decoding: current, as: UTF8.self))
        current.removeAll(keepingCapacity: true)
      } else {
        current.append(byte)
      }
    }
    lines.append(String(decoding: current, as: UTF8.self))
    return lines
  }
}

/// A model folder's files, read whole.
struct Folder {
  let url: URL

  /// Whether anything has the name: a directory or FIFO named tokenizer.json is then refused by
  /// `read` as not a regular file, rather than passed over as if absent.
  func exists(_ name: String) -> Bool {
    FileManager.default.fileExists(atPath: url.appendingPathComponent(name).path)
  }

  /// The file's bytes: a regular file of at most `InputFile.Limit.tokenizer` bytes.
  func read(_ name: String) throws(TokenizationError) -> [UInt8] {
    let path = url.appendingPathComponent(name).path
    do { return try InputFile.read(path, limit: InputFile.Limit.tokenizer) } catch {
      throw TokenizationError("\(name): cannot read \(path)\(error.suffix)")
    }
  }
}

/// tokenizer_config.json with special_tokens_map.json over it; every key optional.
struct TokenizerConfig {
  var values: [String: JSONValue] = [:]

  /// No configuration files.
  init() {}

  init(folder: Folder) throws(TokenizationError) {
    for name in ["tokenizer_config.json", "special_tokens_map.json"] where folder.exists(name) {
      guard let members = try TokenizerJSON.parse(try folder.read(name), fileName: name).objectMembers else {
        throw TokenizationError("\(name): must be a JSON object")
      }
      for member in members { values[member.key] = member.value }
    }
  }

  private func bool(_ key: String) -> Bool? { values[key]?.boolValue }
  private func token(_ key: String) -> String? { values[key]?.tokenContent }

  var cleanUpTokenizationSpaces: Bool? { bool("clean_up_tokenization_spaces") }
  var addPrefixSpace: Bool? { bool("add_prefix_space") }

  var basicTokenizer: BasicTokenizer {
    BasicTokenizer(
      lowercase: bool("do_lower_case") ?? true, stripAccents: bool("strip_accents"),
      splitChineseCharacters: bool("tokenize_chinese_chars") ?? true)
  }

  var wordPieceNames: WordPieceTokenizer.SpecialTokenNames {
    var names = WordPieceTokenizer.SpecialTokenNames()
    names.unknown = token("unk_token") ?? names.unknown
    names.classifier = token("cls_token") ?? names.classifier
    names.separator = token("sep_token") ?? names.separator
    names.padding = token("pad_token") ?? names.padding
    names.mask = token("mask_token") ?? names.mask
    return names
  }

  var bpeNames: ByteLevelBPETokenizer.SpecialTokenNames {
    var names = ByteLevelBPETokenizer.SpecialTokenNames()
    names.unknown = token("unk_token") ?? names.unknown
    names.beginning = token("bos_token") ?? names.beginning
    names.end = token("eos_token") ?? names.end
    names.padding = token("pad_token") ?? names.padding
    return names
  }

  /// The special tokens of a tokenizer.json BPE tokenizer: tokenizer_config.json's names, else the
  /// defaults of the transformers class it names (an explicit null means none).
  var pipelineNames: BPEPipelineTokenizer.SpecialTokenNames {
    let defaults = Self.classDefaults[values["tokenizer_class"]?.stringValue ?? ""] ?? [:]
    func name(_ key: String) -> String? {
      guard let value = values[key] else { return defaults[key] }
      return value.tokenContent
    }
    var names = BPEPipelineTokenizer.SpecialTokenNames()
    names.unknown = name("unk_token")
    names.beginning = name("bos_token")
    names.end = name("eos_token")
    names.padding = name("pad_token")
    names.mask = name("mask_token")
    return names
  }

  /// The special-token defaults of transformers 5's classes (their `__init__` signatures).
  private static let classDefaults: [String: [String: String]] = {
    let llama = ["unk_token": "<unk>", "bos_token": "<s>", "eos_token": "</s>"]
    let gemma = [
      "unk_token": "<unk>", "bos_token": "<bos>", "eos_token": "<eos>", "pad_token": "<pad>",
      "mask_token": "<mask>",
    ]
    let qwen = ["unk_token": "<|endoftext|>", "eos_token": "<|endoftext|>", "pad_token": "<|endoftext|>"]
    let gpt2 = ["unk_token": "<|endoftext|>", "bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>"]
    var table: [String: [String: String]] = [:]
    for (name, defaults) in [
      ("LlamaTokenizer", llama), ("GemmaTokenizer", gemma), ("Qwen2Tokenizer", qwen), ("GPT2Tokenizer", gpt2),
    ] {
      table[name] = defaults
      table[name + "Fast"] = defaults
    }
    return table
  }()

  var marianNames: MarianTokenizer.SpecialTokenNames {
    var names = MarianTokenizer.SpecialTokenNames()
    names.unknown = token("unk_token") ?? names.unknown
    names.end = token("eos_token") ?? names.end
    names.padding = token("pad_token") ?? names.padding
    return names
  }
}
