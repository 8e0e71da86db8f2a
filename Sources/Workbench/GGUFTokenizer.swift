// The tokenizer a GGUF file describes in its metadata (tokenizer.ggml.*), built as transformers 5.24
// builds it (integrations/gguf/gguf_tokenizer_mapping.py: get_gguf_tokenizer, convert_gguf_tokenizer,
// add_gguf_special_tokens, set_split_regex; then TokenizersBackend.__init__ adding the named special
// tokens and update_post_processor). What it builds is written as the tokenizer.json transformers'
// result serialises to and handed to the one tokenizer.json loader, so a GGUF tokenizer runs the
// same pipeline code as a Hugging Face folder's.
import GGUF
import JSON
import Tokenization
import Transformer

/// A tokenizer built from a GGUF file, and what the user should know about it.
typealias GGUFTokenizerLoad = (tokenizer: any SubwordTokenizer, notices: [String])
typealias GGUFSubwordTokenizer = any SubwordTokenizer

enum GGUFTokenizer {
  static func load(_ file: GGUFFile) throws(ModelError) -> (
    tokenizer: any SubwordTokenizer, notices: [String]
  ) {
    try build(try GGUFTokenizerMetadata(file))
  }

  /// Architectures whose "llama" vocabulary transformers hands to GemmaTokenizer (gemma_tokenizer).
  static let gemmaArchitectures: Set = ["gemma", "gemma2", "gemma3"]

  static func build(_ metadata: GGUFTokenizerMetadata) throws(ModelError) -> (
    tokenizer: any SubwordTokenizer, notices: [String]
  ) {
    let built = try document(metadata)
    do {
      return (
        try HuggingFaceTokenizer.load(tokenizerJSON: built.json, specialTokens: built.names), built.notices
      )
    } catch {
      throw ModelError(
        "\(metadata.fileName): the tokenizer its tokenizer.ggml.* keys describe: \(error.description)")
    }
  }

  /// The tokenizer.json transformers' tokenizer serialises to, the special-token names its class
  /// holds, and what the user should know.
  static func document(_ metadata: GGUFTokenizerMetadata) throws(ModelError) -> (
    json: [UInt8], names: [String: String?], notices: [String]
  ) {
    let name = metadata.fileName
    var notices: [String] = []
    var plan = try GGUFTokenizerPlan(metadata)
    let vocabulary = GGUFVocabularyIndex(plan.pieces)
    if let unknown = plan.pipeline.unknownToken, vocabulary.id(Array(unknown.utf8)[...]) == nil {
      // tokenizers would fail only when it needed the unk token; without one, unknown text is dropped.
      plan.pipeline.unknownToken = nil
      notices.append("\(name): the vocabulary has no \(ggufQuoted(unknown)) token; unknown text is left out")
    }
    let merges = try plan.merges(metadata, vocabulary)
    var added = GGUFAddedTokens(vocabulary: vocabulary)
    for token in plan.pipeline.classDefaults { added.add(token, special: true, &notices, name) }
    let types = metadata.tokenTypes ?? []
    let byteLevel = metadata.model == "gpt2"
    for (token, type) in zip(metadata.tokens, types) where type == 3 {
      // A control token outside the byte alphabet is a llama.cpp mislabel; transformers skips it.
      if byteLevel && !GGUFByteAlphabet.spells(token) { continue }
      added.add(token, special: true, &notices, name)
    }
    for (token, type) in zip(metadata.tokens, types) where type == 4 && added.knows(token) {
      added.add(token, special: false, &notices, name)
    }
    var named: [String: String?] = [
      "bos_token": metadata.name(metadata.bos), "eos_token": metadata.name(metadata.eos),
      "unk_token": metadata.name(metadata.unknown), "pad_token": metadata.name(metadata.padding),
      "mask_token": nil,
    ]
    // GemmaTokenizer's own mask_token default, which no GGUF key overrides.
    if Self.gemmaArchitectures.contains(metadata.architecture) { named["mask_token"] = "<mask>" }
    for key in ["bos_token", "eos_token", "unk_token", "pad_token", "mask_token"] {
      if let token = named[key] ?? nil { added.add(token, special: true, &notices, name) }
    }
    if let note = plan.preTokenizerNotice(metadata) { notices.append(note) }

    let bos = plan.addBOS ? metadata.name(metadata.bos) : nil
    let eos = (metadata.addEOS ?? false) ? metadata.name(metadata.eos) : nil
    let json = GGUFTokenizerJSON.document(
      pipeline: plan.pipeline, pieces: plan.pieces, vocabulary: vocabulary, merges: merges,
      added: added.entries,
      bos: bos.map { ($0, added.id(of: $0) ?? 0) }, eos: eos.map { ($0, added.id(of: $0) ?? 0) })
    return (json, named, notices)
  }
}

/// Which builder transformers picks (select_tokenizer_builder) and what it starts from.
struct GGUFTokenizerPlan {
  var pipeline: GGUFPipeline
  /// The vocabulary as the BPE model spells it (byte-level letters for gpt2, ▁ runs for Gemma).
  var pieces: [String]
  /// How merges are recovered when the file has none.
  var mergeOrder: MergeOrder
  var addBOS: Bool

  enum MergeOrder {
    case scores
    /// gemma_tokenizer: the order the tokens appear in the file.
    case positions
  }

  init(_ metadata: GGUFTokenizerMetadata) throws(ModelError) {
    let architecture = metadata.architecture
    pieces = metadata.tokens
    mergeOrder = .scores
    // get_gguf_tokenizer: a "llama" vocabulary adds BOS unless the file says otherwise.
    addBOS = metadata.addBOS ?? (metadata.model == "llama")
    switch metadata.model {
    case "llama" where GGUFTokenizer.gemmaArchitectures.contains(architecture):
      pipeline = .gemma
      pieces = metadata.tokens.map(Self.gemmaSpelling)
      mergeOrder = .positions
    case "llama" where architecture == "phi3": pipeline = .phi3
    case "llama": pipeline = .llama
    case "gpt2":
      pipeline = .byteLevel
      pieces = metadata.tokens.map(GGUFByteAlphabet.spelled)
    case "gemma4":
      // The reference tokenizer adds no BOS (its chat template writes <bos>), whatever the flag says.
      pipeline = .gemma
      addBOS = false
    default:
      throw GGUFTokenizerMetadata.failure(
        metadata.fileName, "model",
        "tokenizer \(ggufQuoted(metadata.model)) is not supported (supported: gemma4, gpt2, llama)")
    }
    if metadata.bos == nil { addBOS = false }
    if let pre = metadata.pre, let regex = GGUFPreTokenizerSplits.table[pre] { pipeline.split(regex) }
  }

  /// A Gemma token made only of whitespace with a space in it is stored as real spaces; GemmaTokenizer
  /// looks it up as ▁s (one per character), so it is respelled before merges are built.
  static func gemmaSpelling(_ token: String) -> String {
    let scalars = token.unicodeScalars
    guard scalars.contains(" "), scalars.allSatisfy(isPythonSpace) else { return token }
    return String(repeating: GGUFPipeline.space, count: scalars.count)
  }

  /// Python's str.isspace (so str.strip): Unicode White_Space plus the separators U+001C…U+001F.
  static func isPythonSpace(_ scalar: Unicode.Scalar) -> Bool {
    scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
  }

  func merges(_ metadata: GGUFTokenizerMetadata, _ vocabulary: GGUFVocabularyIndex) throws(ModelError)
    -> [GGUFMerge]
  {
    if let lines = metadata.merges {
      return try GGUFMerges.fromFile(lines, vocabulary: vocabulary, fileName: metadata.fileName)
    }
    switch mergeOrder {
    case .positions:
      return GGUFMerges.generated(vocabulary) { -Double($0) }
    case .scores:
      guard let scores = metadata.scores else {
        throw GGUFTokenizerMetadata.failure(
          metadata.fileName, "scores",
          "missing: the file has no merges, and they are recovered from the scores")
      }
      // generate_merges runs over the file's own spelling of the tokens.
      let respelled = !metadata.tokens.elementsEqual(pieces) { $0.utf8.elementsEqual($1.utf8) }
      let source = respelled ? GGUFVocabularyIndex(metadata.tokens) : vocabulary
      let generated = GGUFMerges.generated(source) { Double(scores[$0]) }
      guard respelled else { return generated }
      let lines = generated.map { String(decoding: $0.left + [UInt8(ascii: " ")] + $0.right, as: UTF8.self) }
      return try GGUFMerges.fromFile(lines, vocabulary: vocabulary, fileName: metadata.fileName)
    }
  }

  /// transformers gives a pre-tokenizer name it has no split for the builder's default; say so, since
  /// llama.cpp splits such text its own way.
  func preTokenizerNotice(_ metadata: GGUFTokenizerMetadata) -> String? {
    guard let pre = metadata.pre, GGUFPreTokenizerSplits.table[pre] == nil else { return nil }
    let plain: Set = metadata.model == "gpt2" ? ["default", "gpt-2", "gpt2"] : ["default"]
    guard !plain.contains(pre) else { return nil }
    let fallback = metadata.model == "gpt2" ? "GPT-2's pattern" : "the SentencePiece pipeline"
    return "\(metadata.fileName): tokenizer.ggml.pre \(ggufQuoted(pre)) has no split rule in transformers; "
      + "text is split with \(fallback), as transformers does (llama.cpp may split it differently)"
  }
}

/// GPT-2's printable stand-ins for bytes (convert_slow_tokenizer.bytes_to_unicode).
enum GGUFByteAlphabet {
  static let scalars: [Unicode.Scalar] = {
    let printable = Array(33...126) + Array(161...172) + Array(174...255)
    var table = [UInt32](repeating: 0, count: 256)
    var extra: UInt32 = 256
    let kept = Set(printable)
    for byte in 0..<256 {
      if kept.contains(byte) {
        table[byte] = UInt32(byte)
      } else {
        table[byte] = extra
        extra += 1
      }
    }
    return table.map { Unicode.Scalar($0)! }
  }()
  static let members = Set(scalars.map(\.value))

  static func spells(_ token: String) -> Bool {
    token.unicodeScalars.allSatisfy { members.contains($0.value) }
  }

  /// byte_level_tokenizer: a token already in the alphabet as is, any other written byte by byte.
  static func spelled(_ token: String) -> String {
    if spells(token) { return token }
    var out = String.UnicodeScalarView()
    for byte in token.utf8 { out.append(scalars[Int(byte)]) }
    return String(out)
  }
}
