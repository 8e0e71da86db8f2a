// Broken tokenizer files: each gives one TokenizationError line naming the file, never a crash
// (RELIABILITY.md, "Tokenizers").
import Foundation
import Testing

@testable import Tokenization

/// A temporary model folder holding `files`.
private func folder(_ files: [String: [UInt8]]) throws -> URL {
  let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
    "attnscope-tok-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  for (name, bytes) in files { try Data(bytes).write(to: url.appendingPathComponent(name)) }
  return url
}

private func text(_ s: String) -> [UInt8] { Array(s.utf8) }

/// The error `load` gives for `files`, or a recorded issue when it loads.
private func loadError(_ files: [String: [UInt8]], sourceLocation: SourceLocation = #_sourceLocation) throws
  -> String
{
  let url = try folder(files)
  defer { try? FileManager.default.removeItem(at: url) }
  do {
    _ = try HuggingFaceTokenizer.load(folder: url)
    Issue.record("loaded without an error", sourceLocation: sourceLocation)
    return ""
  } catch {
    #expect(!error.description.contains("\n"), "one line", sourceLocation: sourceLocation)
    return error.description
  }
}

private let fixtureSPM = TokenizerFixtures.directory.appendingPathComponent("marian-identity/source.spm")
private let smallVocabJSON = text(#"{"</s>": 0, "<unk>": 1, "▁a": 2, "<pad>": 3}"#)

@Suite struct HuggingFaceBadInputTests {
  @Test func vocabTxt() throws {
    #expect(try loadError(["vocab.txt": []]) == "vocab.txt: the file is empty")
    #expect(
      try loadError(["vocab.txt": text("[UNK]\nok\n") + [0xC3, 0x28, 0x0A]]) == "vocab.txt: not valid UTF-8")
    #expect(
      try loadError(["vocab.txt": text("[UNK]\nhello\nworld\nhello\n")])
        == "vocab.txt: line 4 repeats line 2 (\"hello\")")
    #expect(try loadError(["vocab.txt": text("[PAD]\nhello\n")]) == "vocab.txt: no [UNK] token")
    // The unknown token's name comes from tokenizer_config.json.
    #expect(
      try loadError([
        "vocab.txt": text("[UNK]\nhello\n"), "tokenizer_config.json": text(#"{"unk_token": "<unk>"}"#),
      ])
        == "vocab.txt: no <unk> token")
  }

  @Test func mergesTxt() throws {
    let vocab = text(#"{"a": 0, "b": 1, "ab": 2, "<|endoftext|>": 3}"#)
    #expect(
      try loadError(["vocab.json": vocab, "merges.txt": text("#version: 0.2\na b\na b c\n")])
        == "merges.txt: line 3 needs exactly two tokens separated by one space, found \"a b c\"")
    #expect(
      try loadError(["vocab.json": vocab, "merges.txt": text("#version: 0.2\nab\n")])
        == "merges.txt: line 2 needs exactly two tokens separated by one space, found \"ab\"")
    #expect(
      try loadError(["vocab.json": vocab, "merges.txt": text("a b\nab z\n")])
        == "merges.txt: line 2 merges \"z\", which is not in the vocabulary")
    #expect(
      try loadError(["vocab.json": vocab, "merges.txt": text("b a\n")])
        == "merges.txt: line 1 makes \"ba\", which is not in the vocabulary")
    #expect(
      try loadError(["vocab.json": text("[1, 2]"), "merges.txt": text("a b\n")]).hasPrefix(
        "vocab.json: the vocabulary must be a JSON object"))
    #expect(
      try loadError(["vocab.json": text("{\"a\": 0,"), "merges.txt": text("")]).hasPrefix(
        "vocab.json: not valid JSON"))
    #expect(
      try loadError(["vocab.json": text(#"{"a": 0, "b": 0}"#), "merges.txt": text("")])
        == "vocab.json: id 0 is used twice")
    #expect(
      try loadError(["vocab.json": text(#"{"a": 1.5}"#), "merges.txt": text("")])
        == "vocab.json: the id of \"a\" is not a whole number ≥ 0")
  }

  @Test func sentencePieceModels() throws {
    let good = Array(try Data(contentsOf: fixtureSPM))
    // Cut inside the first piece and inside the last field: the protobuf itself is broken.
    for cut in [1, 7, good.count - 1] {
      let message = try loadError(["source.spm": Array(good.prefix(cut)), "vocab.json": smallVocabJSON])
      #expect(message.hasPrefix("source.spm: "), "cut at \(cut): \(message)")
    }
    // Any cut: an error naming the file, or (at a field boundary) a smaller model; never a crash.
    for cut in stride(from: 0, to: good.count, by: 13) {
      do {
        _ = try SentencePieceModel(protobuf: Array(good.prefix(cut)), fileName: "source.spm")
      } catch {
        #expect(error.description.hasPrefix("source.spm: "))
      }
    }
    var random = SystemRandomNumberGenerator()
    for length in [3, 50, 4096] {
      let garbage = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
      let message = try loadError(["source.spm": garbage, "vocab.json": smallVocabJSON])
      #expect(message.hasPrefix("source.spm: "), "\(message)")
    }
    #expect(
      try loadError(["source.spm": good, "vocab.json": text(#"{"</s>": 0}"#)]) == "vocab.json: no <unk> token"
    )
    #expect(try loadError(["source.spm": good]).hasSuffix("source.spm needs vocab.json beside it"))
    #expect(
      try loadError(["source.spm": good, "target.spm": [0x0A, 0x05], "vocab.json": smallVocabJSON])
        .hasPrefix("target.spm: not a SentencePiece model"))
  }

  @Test func emptyFolderNamesWhatWasLookedFor() throws {
    let message = try loadError(["README.md": text("hi")])
    #expect(
      message.hasSuffix(
        "no tokenizer files (looked for tokenizer.json, vocab.txt, vocab.json + merges.txt, source.spm + vocab.json)"
      ))
  }

  @Test func tokenizerJSON() throws {
    #expect(try loadError(["tokenizer.json": text("{}")]) == "tokenizer.json: no \"model\" object")
    #expect(
      try loadError(["tokenizer.json": text(#"{"model": {"type": "Unigram", "vocab": {}}}"#)])
        == "tokenizer.json: model type \"Unigram\" is not supported (WordPiece or BPE)")
    // BPE without a ByteLevel pre-tokenizer is SentencePiece-style BPE now (LLMTokenizerTests), not refused.
    let nested = String(repeating: "[", count: 100_000)
    #expect(
      try loadError(["tokenizer.json": text(nested)]).hasPrefix(
        "tokenizer.json: not valid JSON (nesting deeper than 256 levels at line 1, column 257 (byte 256)"))
    #expect(
      try loadError(["tokenizer_config.json": text("[]"), "vocab.txt": text("[UNK]\n")])
        == "tokenizer_config.json: must be a JSON object")
  }

  @Test func protobufReaderRefusesOverflow() {
    var reader = ProtobufReader([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F][...])
    #expect(throws: ProtobufReader.Failure.self) { try reader.varint() }
    var long = ProtobufReader([0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F][...])  // field 1, 4 GB long
    #expect(throws: ProtobufReader.Failure.self) {
      _ = try long.fieldHeader()
      _ = try long.lengthDelimited()
    }
  }
}

/// 1 MB of one repeated character through every tokenizer: bounded work, no deep recursion.
@Suite struct HuggingFaceLargeInputTests {
  @Test(arguments: ["minilm", "gpt2-bpe", "marian"])
  func megabyteOfOneCharacter(folder: String) throws {
    let tokenizer = try TokenizerFixtures.tokenizer(folder)
    for character in ["a", "!", " "] {
      let text = String(repeating: character, count: 1 << 20)
      let tokens = tokenizer.encode(text)
      // Never more pieces than bytes (plus SentencePiece's "▁" in front).
      #expect(tokens.count <= (1 << 20) + 1, "\(folder) \(character.debugDescription)")
      _ = tokenizer.decode(tokens.map(\.id))
    }
  }
}
