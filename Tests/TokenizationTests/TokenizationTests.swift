// Vocabulary files and the word/character tokenizers, including the bad-input cases.
import Foundation
import Testing

@testable import Tokenization

@Suite struct VocabularyTests {
  func write(_ contents: [UInt8]) throws -> String {
    let path = NSTemporaryDirectory() + "attnscope-vocab-\(UUID().uuidString).txt"
    try Data(contents).write(to: URL(fileURLWithPath: path))
    return path
  }

  @Test func loadsSpecialsAndWords() throws {
    let path = try write(Array("<pad>\n<s>\n</s>\n<unk>\nhello\nworld\n".utf8))
    let vocabulary = try Vocabulary.load(path: path)
    #expect(vocabulary.count == 6)
    #expect(vocabulary.id(of: "world") == 5)
    #expect(vocabulary.token(of: 4) == "hello")
  }

  @Test func rejectsBadFiles() throws {
    let cases: [([UInt8], String)] = [
      ([], "needs the 4 special tokens"),
      (Array("<pad>\n<s>\n</s>\nhello\nworld\n".utf8), "first lines must be"),
      (Array("<pad>\n<s>\n</s>\n<unk>\nhi\nhi\n".utf8), "line 6 repeats the token \"hi\""),
      (Array("<pad>\n<s>\n</s>\n<unk>\n".utf8) + [0xFF, 0xFE, 0x0A], "not valid UTF-8"),
      (Array("<pad>\n<s>\n</s>\n<unk>\nhi\n\nthere\n".utf8), "line 6 is empty"),
    ]
    for (bytes, message) in cases {
      let path = try write(bytes)
      #expect(throws: TokenizationError.self) { try Vocabulary.load(path: path) }
      do { _ = try Vocabulary.load(path: path) } catch {
        #expect(error.description.contains(message), "\(error.description)")
        #expect(error.description.hasPrefix("attnscope-vocab-"), "names the file")
      }
    }
  }

  @Test func missingFileIsNamed() {
    #expect(throws: TokenizationError("nope.txt: cannot read /nonexistent/nope.txt")) {
      try Vocabulary.load(path: "/nonexistent/nope.txt")
    }
  }
}

@Suite struct TokenizerTests {
  let vocabulary = try! Vocabulary(
    tokens: Vocabulary.specials + ["i", "love", "you", "very", "much", ".", "a", "b"])

  @Test func wordsSplitOnSpacesAndPunctuation() {
    let tokenizer = WordTokenizer(vocabulary: vocabulary, lowercase: true)
    #expect(tokenizer.words(of: "  I love\tyou very much. ") == ["i", "love", "you", "very", "much", "."])
    #expect(tokenizer.encode("I love you").map(\.id) == [4, 5, 6])
    #expect(tokenizer.decode([1, 4, 5, 6, 2]) == "i love you")
  }

  @Test func apostrophesStayInsideWords() {
    let tokenizer = WordTokenizer(vocabulary: vocabulary, lowercase: true)
    #expect(tokenizer.words(of: "l' ama, don't") == ["l'", "ama", ",", "don't"])
  }

  @Test func invalidUTF8InAVocabularyIsRefused() {
    #expect(throws: TokenizationError("v.txt: not valid UTF-8")) {
      try Vocabulary.parse([0x3C, 0xC3, 0x28, 0x0A], fileName: "v.txt")
    }
  }

  @Test func unknownWordsKeepTheirTextAndMapToUnk() {
    let tokens = WordTokenizer(vocabulary: vocabulary, lowercase: true).encode("I adore you")
    #expect(tokens[1] == Token(id: Vocabulary.unknownID, label: "adore", isUnknown: true))
  }

  @Test func emptyAndWhitespaceInputGiveNoTokens() {
    let tokenizer = WordTokenizer(vocabulary: vocabulary, lowercase: true)
    #expect(tokenizer.encode("").isEmpty)
    #expect(tokenizer.encode(" \n\t ").isEmpty)
  }

  @Test func longRepeatedInputIsBounded() {
    let text = String(repeating: "a", count: 1_000_000)
    let tokens = WordTokenizer(vocabulary: vocabulary, lowercase: true).encode(text)
    #expect(tokens.count == 1 && tokens[0].isUnknown)
    #expect(
      CharacterTokenizer(vocabulary: vocabulary, lowercase: false).encode(String(text.prefix(1000))).count
        == 1000)
  }

  @Test func charactersAreTokens() {
    let tokenizer = CharacterTokenizer(vocabulary: vocabulary, lowercase: true)
    #expect(tokenizer.encode("AbZ").map(\.id) == [10, 11, 3])
    #expect(tokenizer.decode([10, 11]) == "ab")
  }
}
