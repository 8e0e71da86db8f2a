// A GGUF file's tokenizer keys that cannot describe a tokenizer: each is refused with one line naming
// the file and the key, and a vocabulary past the bound is refused before it is read.
import Foundation
import GGUF
import Testing
import Transformer

@testable import Workbench

/// A GGUF file of metadata only (no tensors), written little-endian as gguf-py lays it out.
struct MetadataGGUF: Sendable {
  enum Value: Sendable {
    case string(String)
    case u32(UInt32)
    case bool(Bool)
    case strings([String])
    case ints([Int32])
    case floats([Float])
  }

  var pairs: [(key: String, value: Value)]

  subscript(key: String) -> Value? {
    get { pairs.first { $0.key == key }?.value }
    set {
      pairs.removeAll { $0.key == key }
      if let newValue { pairs.append((key, newValue)) }
    }
  }

  /// A well-formed llama SentencePiece vocabulary: <unk> <s> </s> a b ab, merges from the scores.
  static var llama: MetadataGGUF {
    MetadataGGUF(pairs: [
      ("general.architecture", .string("llama")), ("tokenizer.ggml.model", .string("llama")),
      ("tokenizer.ggml.tokens", .strings(["<unk>", "<s>", "</s>", "a", "b", "ab"])),
      ("tokenizer.ggml.scores", .floats([0, 0, 0, -3, -4, -5])),
      ("tokenizer.ggml.token_type", .ints([2, 3, 3, 1, 1, 1])),
      ("tokenizer.ggml.bos_token_id", .u32(1)), ("tokenizer.ggml.eos_token_id", .u32(2)),
      ("tokenizer.ggml.unknown_token_id", .u32(0)),
    ])
  }

  var bytes: [UInt8] {
    var out: [UInt8] = []
    func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
    func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
    func string(_ s: String) {
      u64(UInt64(s.utf8.count))
      out += Array(s.utf8)
    }
    out += Array("GGUF".utf8)
    u32(3)
    u64(0)
    u64(UInt64(pairs.count))
    for (key, value) in pairs {
      string(key)
      switch value {
      case .string(let s):
        u32(8)
        string(s)
      case .u32(let v):
        u32(4)
        u32(v)
      case .bool(let b):
        u32(7)
        out.append(b ? 1 : 0)
      case .strings(let list):
        u32(9)
        u32(8)
        u64(UInt64(list.count))
        list.forEach(string)
      case .ints(let list):
        u32(9)
        u32(5)
        u64(UInt64(list.count))
        for v in list { u32(UInt32(bitPattern: v)) }
      case .floats(let list):
        u32(9)
        u32(6)
        u64(UInt64(list.count))
        for v in list { u32(v.bitPattern) }
      }
    }
    while out.count % 32 != 0 { out.append(0) }
    return out
  }

  /// The tokenizer built from these keys, written to a temporary `name`.
  func load(name: String = "bad.gguf") throws -> GGUFTokenizerLoad {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ggtok-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return try GGUFTokenizer.load(try GGUFFile.load(path: url.path))
  }

  /// The one-line message the tokenizer is refused with (nil if it loads).
  func refusal() throws -> String? {
    do {
      _ = try load()
      return nil
    } catch let error as ModelError {
      return error.description
    }
  }
}

@Suite struct GGUFTokenizerBadInputTests {
  @Test func theWellFormedBaseLoads() throws {
    let (tokenizer, notices) = try MetadataGGUF.llama.load()
    #expect(notices.isEmpty)
    // generate_merges: "a b" → "ab"; Metaspace puts ▁ first, which the vocabulary lacks: byte fallback
    // has no <0x..> tokens either, so the ▁ becomes nothing (fuse_unk with no unk token).
    #expect(tokenizer.encodeForModel("ab").map(\.id) == [1, 5])
  }

  static let cases: [(change: @Sendable (inout MetadataGGUF) -> Void, key: String, says: String)] = [
    ({ $0["tokenizer.ggml.model"] = nil }, "tokenizer.ggml.model", "missing"),
    ({ $0["tokenizer.ggml.model"] = .string("bert") }, "tokenizer.ggml.model", "\"bert\" is not supported"),
    ({ $0["tokenizer.ggml.tokens"] = nil }, "tokenizer.ggml.tokens", "missing"),
    (
      { $0["tokenizer.ggml.tokens"] = .ints([1, 2, 3, 4, 5, 6]) }, "tokenizer.ggml.tokens",
      "expected an array of strings"
    ),
    ({ $0["tokenizer.ggml.tokens"] = .strings([]) }, "tokenizer.ggml.tokens", "empty"),
    ({ $0["tokenizer.ggml.model"] = .u32(1) }, "tokenizer.ggml.model", "expected a string"),
    ({ $0["tokenizer.ggml.scores"] = .floats([0, 0, 0]) }, "tokenizer.ggml.scores", "3 values for 6 tokens"),
    ({ $0["tokenizer.ggml.scores"] = .floats([0, 0, 0, .nan, 0, 0]) }, "tokenizer.ggml.scores", "NaN"),
    ({ $0["tokenizer.ggml.scores"] = nil }, "tokenizer.ggml.scores", "missing"),
    ({ $0["tokenizer.ggml.token_type"] = .ints([1]) }, "tokenizer.ggml.token_type", "1 values for 6 tokens"),
    ({ $0["tokenizer.ggml.bos_token_id"] = .u32(6) }, "tokenizer.ggml.bos_token_id", "id 6 is outside"),
    ({ $0["tokenizer.ggml.eos_token_id"] = .u32(99) }, "tokenizer.ggml.eos_token_id", "id 99 is outside"),
    (
      { $0["tokenizer.ggml.bos_token_id"] = .string("1") }, "tokenizer.ggml.bos_token_id",
      "expected an integer"
    ),
    ({ $0["tokenizer.ggml.add_bos_token"] = .u32(1) }, "tokenizer.ggml.add_bos_token", "expected a bool"),
    ({ $0["tokenizer.ggml.merges"] = .strings(["a c"]) }, "tokenizer.ggml.merges", "\"c\", which is not in"),
    (
      { $0["tokenizer.ggml.merges"] = .strings(["b a"]) }, "tokenizer.ggml.merges",
      "makes a token the vocabulary"
    ),
    ({ $0["tokenizer.ggml.merges"] = .strings(["a  b"]) }, "tokenizer.ggml.merges", "not two tokens"),
    ({ $0["tokenizer.ggml.merges"] = .ints([1]) }, "tokenizer.ggml.merges", "expected an array of strings"),
  ]

  @Test(arguments: cases.indices)
  func refusedInOneLineNamingTheFileAndKey(index: Int) throws {
    let entry = Self.cases[index]
    var file = MetadataGGUF.llama
    entry.change(&file)
    let message = try #require(try file.refusal(), "case \(index) loaded")
    #expect(!message.contains("\n"))
    #expect(message.hasPrefix("bad.gguf: key '\(entry.key)'"), "\(message)")
    #expect(message.contains(entry.says), "\(message)")
  }

  /// A vocabulary past the bound is refused from its count, before any string is made.
  @Test func aVocabularyPastTheBoundIsRefused() throws {
    var file = MetadataGGUF.llama
    file["tokenizer.ggml.tokens"] = .strings(
      Array(repeating: "", count: GGUFTokenizerMetadata.maximumTokens + 1))
    file["tokenizer.ggml.scores"] = nil
    file["tokenizer.ggml.token_type"] = nil
    let message = try #require(try file.refusal())
    #expect(message.hasPrefix("bad.gguf: key 'tokenizer.ggml.tokens'"))
    #expect(message.contains("more than the 2097152"), "\(message)")
  }

  /// gpt2 with the file's merges, a user-defined token and the llama-bpe split: the ids and text
  /// transformers gives (checked with gguf-py's writer). GPT2Tokenizer's default <|endoftext|>, absent
  /// here, is where attnscope differs on purpose: transformers appends it as id 7, past the model's
  /// embedding; attnscope leaves it out and says so.
  @Test func aByteLevelVocabularyWithAUserDefinedToken() throws {
    let file = MetadataGGUF(pairs: [
      ("general.architecture", .string("llama")), ("tokenizer.ggml.model", .string("gpt2")),
      ("tokenizer.ggml.pre", .string("llama-bpe")),
      ("tokenizer.ggml.tokens", .strings(["<|end|>", "a", "b", "ab", "Ġ", "Ġab", "<think>"])),
      ("tokenizer.ggml.token_type", .ints([3, 1, 1, 1, 1, 1, 4])),
      ("tokenizer.ggml.merges", .strings(["a b", "Ġ ab"])), ("tokenizer.ggml.eos_token_id", .u32(0)),
    ])
    let (tokenizer, notices) = try file.load()
    #expect(notices.count == 1)
    #expect(
      notices.first?.hasPrefix("bad.gguf: special token \"<|endoftext|>\" is not in the vocabulary") == true)
    #expect(tokenizer.vocabularySize == 7)
    #expect(tokenizer.encodeForModel("ab<think> ab<|end|>").map(\.id) == [3, 6, 5, 0])
    #expect(tokenizer.decode([3, 6, 5, 0], skipSpecialTokens: true) == "ab<think> ab")
  }
}
