// The added-token splitter: leftmost-longest matching (the `tokenizers` AddedVocabulary's
// semantics), checked against the obvious every-token-at-every-byte reference, and with a
// tokenizer.json-sized list of added tokens (10^5) over 10 KB of text.
import Testing

@testable import Tokenization

@Suite struct AddedTokenSplitterTests {
  /// The slow, obviously correct reference: at each byte, the longest token that starts there.
  static func referenceSplit(_ tokens: [String], _ text: String) -> [AddedTokenSplitter.Segment] {
    let keys = Set(tokens.filter { !$0.isEmpty }.map { Array($0.utf8) }).sorted { $0.count > $1.count }
    let bytes = Array(text.utf8)
    var segments: [AddedTokenSplitter.Segment] = []
    var textStart = 0
    var position = 0
    while position < bytes.count {
      if let match = keys.first(where: {
        position + $0.count <= bytes.count && Array(bytes[position..<(position + $0.count)]) == $0
      }) {
        if textStart < position {
          segments.append(.text(String(decoding: bytes[textStart..<position], as: UTF8.self)))
        }
        segments.append(.special(String(decoding: match, as: UTF8.self)))
        position += match.count
        textStart = position
      } else {
        position += 1
      }
    }
    if textStart < bytes.count {
      segments.append(.text(String(decoding: bytes[textStart...], as: UTF8.self)))
    }
    return segments
  }

  @Test func examples() {
    let splitter = AddedTokenSplitter(tokens: ["[MASK]", "</s>", "<s>", "<|endoftext|>", "<|end", ""])
    #expect(splitter.split("the [MASK] sat") == [.text("the "), .special("[MASK]"), .text(" sat")])
    #expect(splitter.split("a</s>b<s>") == [.text("a"), .special("</s>"), .text("b"), .special("<s>")])
    // Longest wins where several start at one place; a prefix alone still matches.
    #expect(splitter.split("x<|endoftext|>") == [.text("x"), .special("<|endoftext|>")])
    #expect(splitter.split("<|endof") == [.special("<|end"), .text("of")])
    #expect(splitter.split("") == [])
    #expect(AddedTokenSplitter(tokens: []).split("abc") == [.text("abc")])
    // Leftmost first, even when a longer token starts one byte later.
    let overlapping = AddedTokenSplitter(tokens: ["ab", "bcdef"])
    #expect(overlapping.split("abcdef") == [.special("ab"), .text("cdef")])
  }

  /// Random small alphabets make overlaps, shared prefixes and tokens inside tokens common.
  @Test func agreesWithTheReference() {
    var random = SplitMix(seed: 13)
    let alphabet = ["a", "b", "<", ">", "é", "字"]
    func word(_ maxLength: Int) -> String {
      String(
        (0..<(1 + random.next() % maxLength)).map { _ in alphabet[random.next() % alphabet.count] }.joined())
    }
    for _ in 0..<300 {
      let tokens = (0..<(random.next() % 8)).map { _ in word(4) }
      let text = word(40)
      let splitter = AddedTokenSplitter(tokens: tokens)
      #expect(
        splitter.split(text) == Self.referenceSplit(tokens, text), "\(tokens) in \(text.debugDescription)")
    }
  }

  /// A tokenizer.json may list 10^5–10^6 added tokens: the text's work must not grow with them
  /// (it used to try every token at every byte). Correctness only; BENCHMARKS-style timings are in
  /// the reliability notes, never asserted here.
  @Test func manyTokensOverTenKilobytes() {
    let tokens = (0..<100_000).map { "<extra_\($0)>" }
    let splitter = AddedTokenSplitter(tokens: tokens)
    var text = ""
    var expected: [AddedTokenSplitter.Segment] = []
    var index = 0
    while text.utf8.count < 10_000 {
      let plain = "some text <extra_ \(index) "
      let token = "<extra_\(index * 7919 % 100_000)>"
      text += plain + token
      expected += [.text(plain), .special(token)]
      index += 1
    }
    #expect(splitter.split(text) == expected)
    // "<extra_1>" is a prefix of "<extra_10>"…: the longest must win.
    #expect(splitter.split("<extra_12345>6") == [.special("<extra_12345>"), .text("6")])
    #expect(splitter.split("<extra_123456>") == [.text("<extra_123456>")])
  }
}

/// SplitMix64, enough for test data.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> Int {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return Int(truncatingIfNeeded: (z ^ (z >> 31)) >> 1)
  }
}
