// Broken tokenizer.json BPE files: each gets one TokenizationError line naming the file and the key
// at fault, never a crash (issue #14, "Bad input"; RELIABILITY.md, "Tokenizers").
import Foundation
import Testing

@testable import Tokenization

/// A small valid tokenizer.json with `change` applied to its parsed object.
private func tokenizerJSON(_ change: (inout [String: Any]) -> Void) -> [UInt8] {
  var root: [String: Any] = [
    "version": "1.0",
    "added_tokens": [["id": 4, "content": "<s>", "special": true, "normalized": false]],
    "normalizer": NSNull(),
    "pre_tokenizer": [
      "type": "Sequence",
      "pretokenizers": [
        ["type": "Split", "pattern": ["Regex": "\\s+|\\w+"], "behavior": "Isolated", "invert": false],
        ["type": "ByteLevel", "add_prefix_space": false, "use_regex": false],
      ],
    ],
    "post_processor": NSNull(),
    "decoder": ["type": "ByteLevel"],
    "model": [
      "type": "BPE", "dropout": NSNull(), "unk_token": NSNull(), "byte_fallback": false,
      "vocab": ["a": 0, "b": 1, "ab": 2, "Ġ": 3], "merges": [["a", "b"]],
    ],
  ]
  change(&root)
  return Array(try! JSONSerialization.data(withJSONObject: root))
}

private func model(_ change: @escaping (inout [String: Any]) -> Void) -> [UInt8] {
  tokenizerJSON { root in
    var model = root["model"] as! [String: Any]
    change(&model)
    root["model"] = model
  }
}

/// The one-line error for `bytes`, or a recorded issue when it loads.
private func error(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> String {
  do {
    _ = try HuggingFaceTokenizer.load(tokenizerJSON: bytes)
    Issue.record("loaded without an error", sourceLocation: sourceLocation)
    return ""
  } catch {
    #expect(!error.description.contains("\n"), "one line", sourceLocation: sourceLocation)
    return error.description
  }
}

@Suite struct TokenizerJSONBadInputTests {
  @Test func theBaseFileLoads() throws {
    let tokenizer = try HuggingFaceTokenizer.load(tokenizerJSON: tokenizerJSON { _ in })
    #expect(tokenizer.encode("ab <s>ba").map(\.id) == [2, 3, 4, 1, 0])
    // Merges written as "a b" strings (files before tokenizers 0.20) load the same.
    let older = try HuggingFaceTokenizer.load(tokenizerJSON: model { $0["merges"] = ["a b"] })
    #expect(older.encode("ab <s>ba").map(\.id) == [2, 3, 4, 1, 0])
  }

  @Test func unknownTypesAreNamedWithTheirKey() {
    #expect(
      error(model { $0["type"] = "Unigram" })
        == "tokenizer.json: model type \"Unigram\" is not supported (WordPiece or BPE)")
    #expect(
      error(tokenizerJSON { $0["normalizer"] = ["type": "BertNormalizer"] })
        == "tokenizer.json: normalizer.type \"BertNormalizer\" is not supported (Sequence, Prepend, Replace, NFC, NFD, NFKC, NFKD, Lowercase, Strip)"
    )
    #expect(
      error(
        tokenizerJSON {
          $0["pre_tokenizer"] = ["type": "Sequence", "pretokenizers": [["type": "Whitespace"]]]
        })
        == "tokenizer.json: pre_tokenizer.pretokenizers[0].type \"Whitespace\" is not supported (Split, ByteLevel, Metaspace, Digits, Sequence)"
    )
    #expect(
      error(
        tokenizerJSON {
          $0["decoder"] = ["type": "Sequence", "decoders": [["type": "Fuse"], ["type": "CTC"]]]
        })
        == "tokenizer.json: decoder.decoders[1].type \"CTC\" is not supported (ByteLevel, ByteFallback, Fuse, Strip, Replace, Metaspace, Sequence)"
    )
    #expect(
      error(tokenizerJSON { $0["post_processor"] = ["type": "Magic"] })
        == "tokenizer.json: post_processor.type \"Magic\" is not supported (TemplateProcessing, ByteLevel, BertProcessing, RobertaProcessing, Sequence)"
    )
    #expect(
      error(
        tokenizerJSON {
          $0["pre_tokenizer"] = ["type": "Split", "pattern": ["Regex": "a"], "behavior": "Sideways"]
        })
        == "tokenizer.json: pre_tokenizer.behavior \"Sideways\" is not one of Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous"
    )
    #expect(
      error(
        tokenizerJSON {
          $0["pre_tokenizer"] = ["type": "Metaspace", "replacement": "▁", "prepend_scheme": "sometimes"]
        })
        == "tokenizer.json: pre_tokenizer.prepend_scheme \"sometimes\" is not one of always, first, never")
  }

  @Test func brokenRegexesNameThePatternAndTheReason() {
    #expect(
      error(
        tokenizerJSON {
          $0["pre_tokenizer"] = ["type": "Split", "pattern": ["Regex": "(\\p{L}+"], "behavior": "Isolated"]
        })
        == "tokenizer.json: pre_tokenizer.pattern regex \"(\\\\p{L}+\" is refused: a group is not closed")
    #expect(
      error(
        tokenizerJSON {
          $0["normalizer"] = ["type": "Replace", "pattern": ["Regex": "(?<=a)b"], "content": ""]
        })
        == "tokenizer.json: normalizer.pattern regex \"(?<=a)b\" is refused: lookbehind is not supported")
    #expect(
      error(
        tokenizerJSON {
          $0["pre_tokenizer"] = ["type": "Split", "pattern": ["Glob": "*"], "behavior": "Isolated"]
        })
        == "tokenizer.json: pre_tokenizer.pattern must be {\"String\": …} or {\"Regex\": …}")
  }

  @Test func mergesAndVocabularies() {
    #expect(
      error(model { $0["merges"] = [["a", "b"], ["a", "z"]] })
        == "tokenizer.json: model.merges[1] merges \"z\", which is not in the vocabulary")
    #expect(
      error(model { $0["merges"] = ["b a"] })
        == "tokenizer.json: model.merges[0] makes \"ba\", which is not in the vocabulary")
    #expect(
      error(model { $0["merges"] = ["a b c"] }) == "tokenizer.json: model.merges[0] needs exactly two tokens")
    #expect(
      error(model { $0["merges"] = [["a", "b", "c"]] })
        == "tokenizer.json: model.merges[0] needs exactly two tokens")
    #expect(
      error(model { $0["dropout"] = 0.1 })
        == "tokenizer.json: model.dropout must be null (BPE dropout is random and not supported)")
    #expect(error(model { $0["vocab"] = ["a": 0, "b": 0] }) == "tokenizer.json: id 0 is used twice")
    #expect(
      error(model { $0["vocab"] = ["a": -1] }) == "tokenizer.json: the id of \"a\" is not a whole number ≥ 0")
    #expect(
      error(model { $0["vocab"] = ["a": 0, "b": 1_000_000_000] })
        == "tokenizer.json: ids must be small non-negative numbers")
    #expect(
      error(model { $0["unk_token"] = "<unk>" })
        == "tokenizer.json: model.unk_token \"<unk>\" is not in the vocabulary")
    #expect(
      error(model { $0["byte_fallback"] = "yes" })
        == "tokenizer.json: model.byte_fallback must be true or false")
  }

  @Test func addedTokensAndPostProcessors() {
    #expect(
      error(tokenizerJSON { $0["added_tokens"] = [["id": 9, "content": "<s>", "special": true]] })
        == "tokenizer.json: added_tokens[0] \"<s>\" has id 9, but tokenizers gives it 4 (the id is taken or out of sequence)"
    )
    #expect(
      error(tokenizerJSON { $0["added_tokens"] = [["id": 1, "content": "<s>"]] })
        == "tokenizer.json: added_tokens[0] \"<s>\" has id 1, but tokenizers gives it 4 (the id is taken or out of sequence)"
    )
    #expect(
      error(tokenizerJSON { $0["added_tokens"] = [["id": 4, "content": ""]] })
        == "tokenizer.json: added_tokens[0].content must be a non-empty string")
    let template: [String: Any] = [
      "type": "TemplateProcessing",
      "single": [["SpecialToken": ["id": "<s>", "type_id": 0]], ["Sequence": ["id": "A", "type_id": 0]]],
      "special_tokens": ["<s>": ["id": "<s>", "ids": [99], "tokens": ["<s>"]]],
    ]
    #expect(
      error(tokenizerJSON { $0["post_processor"] = template })
        == "tokenizer.json: post_processor special token \"<s>\" has id 99, outside the vocabulary (0..<5)")
    var missing = template
    missing["special_tokens"] = [String: Any]()
    #expect(
      error(tokenizerJSON { $0["post_processor"] = missing })
        == "tokenizer.json: post_processor.special_tokens has no ids for \"<s>\"")
    #expect(
      error(tokenizerJSON { $0["decoder"] = ["type": "Strip", "content": "ab", "start": 1, "stop": 0] })
        == "tokenizer.json: decoder (Strip) needs one character as content and counts start and stop ≥ 0")
  }

  /// Through a folder, the same line comes back from `load(folder:)`.
  @Test func throughAFolder() throws {
    let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
      "attnscope-tokjson-\(UUID())")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    try Data(model { $0["merges"] = [["a", "q"]] }).write(to: url.appendingPathComponent("tokenizer.json"))
    #expect(
      throws: TokenizationError(
        "tokenizer.json: model.merges[0] merges \"q\", which is not in the vocabulary")
    ) {
      try HuggingFaceTokenizer.load(folder: url)
    }
  }
}

@Suite struct LLMLargeInputTests {
  /// 1 MB through the Llama 3 pattern: no backtracking blow-up (one character, spaces, mixed text).
  @Test func megabyteThroughTheLlama3Pattern() throws {
    let pattern =
      #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    let mixed = String(repeating: "The fox, 1234567 jumps! 中文 😀 don't\r\n  \t x ", count: 1 << 20 / 48)
    for text in [String(repeating: "a", count: 1 << 20), String(repeating: " ", count: 1 << 20), mixed] {
      let pieces = try RegexSplit.isolatedPieces(pattern: pattern, text: text)
      #expect(pieces.joined() == text)
    }
  }

  /// 256 KB of one character through whole pipelines (regex pre-tokenizer, byte fallback): bounded
  /// work (the megabyte runs in the regex test above; here the debug build's time stays small).
  @Test(arguments: ["llm-llama3", "llm-llama2"])
  func longRunsOfOneCharacter(folder: String) throws {
    let tokenizer = try HuggingFaceTokenizer.load(
      folder: TokenizerFixtures.directory.appendingPathComponent(folder))
    for character in ["a", " ", "☃"] {
      let text = String(repeating: character, count: 1 << 18)
      let tokens = tokenizer.encode(text)
      #expect(tokens.count <= 3 << 18 + 1, "\(folder) \(character.debugDescription)")
      #expect(tokenizer.decode(tokens.map(\.id)).unicodeScalars.count >= 1 << 18)
    }
  }
}
