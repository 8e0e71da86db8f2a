// The project's one strict JSON parser (safetensors headers, config and tokenizer files).

import Testing

@testable import JSON

private func parseError(_ text: [UInt8], maxDepth: Int = JSONValue.defaultMaxDepth)
  -> JSONParseError?
{
  do {
    let value = try JSONValue.parse(text, maxDepth: maxDepth)
    Issue.record("expected a JSON error, parsed \(value)")
    return nil
  } catch {
    return error
  }
}

private func parseError(_ text: String) -> JSONParseError? { parseError(Array(text.utf8)) }

@Suite("JSONValue")
struct JSONValueTests {
  @Test func parsesEveryKindOfValue() throws {
    let value = try JSONValue.parse(
      #" { "a" : [1, -0.5e+3, true, false, null, "s", {}, []], "b": {"c": "\u00e9\ud83d\ude00"} } "#
    )
    #expect(
      value
        == .object([
          JSONMember(
            key: "a",
            value: .array([
              .number(JSONNumber(literal: "1")!), .number(JSONNumber(literal: "-0.5e+3")!),
              .bool(true), .bool(false), .null, .string("s"), .object([]), .array([]),
            ])),
          JSONMember(key: "b", value: .object([JSONMember(key: "c", value: .string("é😀"))])),
        ]))
    #expect(value["b"]?["c"]?.stringValue == "é😀")
    #expect(value["a"]?.arrayValue?.count == 8)
    #expect(value["zz"] == nil)
    #expect(try JSONValue.parse("  7 ") == .number(JSONNumber(7)))
    #expect(try JSONValue.parse("\"\"") == .string(""))
  }

  @Test func keepsMemberOrder() throws {
    let value = try JSONValue.parse(#"{"z":1,"a":2,"m":3}"#)
    #expect(value.objectMembers?.map(\.key) == ["z", "a", "m"])
  }

  @Test func numbers() throws {
    let n = try #require(try JSONValue.parse("-12").numberValue)
    #expect(n.isInteger && n.isNegative && n.intValue == -12 && n.doubleValue == -12)
    let big = try #require(try JSONValue.parse("123456789012345678901234567890").numberValue)
    #expect(big.isInteger && big.intValue == nil && big.literal == "123456789012345678901234567890")
    let exact = try #require(try JSONValue.parse("9007199254740993").numberValue)
    #expect(exact.intValue == 9_007_199_254_740_993)  // not rounded through Double
    let fraction = try #require(try JSONValue.parse("1.5E-2").numberValue)
    #expect(!fraction.isInteger && fraction.intValue == nil && fraction.doubleValue == 0.015)
    #expect(try JSONValue.parse("1e999").numberValue?.doubleValue == .infinity)
    #expect(JSONNumber(literal: "01") == nil)
    #expect(JSONNumber(literal: "1.") == nil)
    #expect(JSONNumber(literal: "-0") != nil)
    #expect(JSONNumber(0.25)?.literal == "0.25")
    #expect(JSONNumber(3.0)?.literal == "3")
    #expect(JSONNumber(Double.nan) == nil)
  }

  @Test func rejectsBadNumbers() {
    for text in [
      "01", "-", "+1", ".5", "1.", "1e", "1e+", "-01", "0x10", "1.e3", "NaN", "Infinity",
    ] {
      #expect(parseError(text)?.kind == .syntax, "\(text)")
    }
    #expect(parseError("01")?.description == "leading zero in number at line 1, column 1 (byte 0)")
  }

  @Test func escapes() throws {
    let value = try JSONValue.parse(#""\"\\\/\b\f\n\r\t\u0041\u0000""#)
    #expect(value == .string("\"\\/\u{08}\u{0C}\n\r\tA\u{00}"))
  }

  @Test func rejectsBadEscapes() {
    #expect(parseError(#""\x""#)?.description == "invalid escape '\\x' at line 1, column 2 (byte 1)")
    #expect(parseError(#""\u12""#)?.message == "truncated \\u escape")
    #expect(parseError(#""\u12G4""#)?.message == "invalid hex digit in \\u escape")
    #expect(parseError(#""\"#)?.message == "unterminated string")
    #expect(parseError("\"\\\u{e9}\"")?.message == "invalid escape byte 0xC3")
  }

  @Test func rejectsUnpairedSurrogates() {
    #expect(parseError(#""\ud800""#)?.message == "unpaired high surrogate in \\u escape")
    #expect(parseError(#""\ud800x""#)?.message == "unpaired high surrogate in \\u escape")
    #expect(parseError(#""\ud800\u0041""#)?.message == "unpaired high surrogate in \\u escape")
    #expect(parseError(#""\ud800\ud800""#)?.message == "unpaired high surrogate in \\u escape")
    #expect(
      parseError(#""\udc00""#)?.description
        == "unpaired low surrogate in \\u escape at line 1, column 2 (byte 1)")
  }

  @Test func rejectsInvalidUTF8() {
    let cases: [[UInt8]] = [
      [0x22, 0xFF, 0x22],  // never valid
      [0x22, 0xC0, 0xAF, 0x22],  // overlong '/'
      [0x22, 0xE0, 0x80, 0xAF, 0x22],  // overlong
      [0x22, 0xED, 0xA0, 0x80, 0x22],  // encoded surrogate U+D800
      [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
      [0x22, 0xE2, 0x82, 0x22],  // truncated sequence
      [0x22, 0x80, 0x22],  // lone continuation byte
    ]
    for bytes in cases {
      let error = parseError(bytes)
      #expect(error == JSONParseError(kind: .invalidUTF8, offset: 1, message: "invalid UTF-8"))
    }
    // Valid multi-byte sequences at the edges of the ranges pass.
    let edges: [UInt8] = [
      0x22, 0xC2, 0x80, 0xED, 0x9F, 0xBF, 0xEE, 0x80, 0x80, 0xF4, 0x8F, 0xBF, 0xBF,
      0x22,
    ]
    #expect((try? JSONValue.parse(edges)) == .string("\u{80}\u{D7FF}\u{E000}\u{10FFFF}"))
  }

  @Test func rejectsControlCharactersInStrings() {
    #expect(parseError("\"a\nb\"")?.message == "unescaped control character in string")
    #expect(parseError("\"a\u{00}b\"")?.offset == 2)
    // A raw DEL is allowed by RFC 8259.
    #expect((try? JSONValue.parse("\"\u{7F}\"")) == .string("\u{7F}"))
  }

  @Test func rejectsTrailingGarbageAndTruncation() {
    #expect(parseError("{} {}")?.message == "trailing characters after the JSON value")
    #expect(parseError("[1,]")?.description == "unexpected character ']' at line 1, column 4 (byte 3)")
    #expect(parseError("{\"a\":1,}")?.message == "expected a string key")
    #expect(parseError("[1 2]")?.message == "unexpected character '2'")
    #expect(parseError("{\"a\" 1}")?.message == "expected ':' after an object key")
    #expect(parseError("tru")?.message == "invalid literal")
    #expect(parseError("nul")?.message == "invalid literal")
    #expect(parseError("")?.message == "unexpected end of input")
    #expect(parseError("   ")?.message == "unexpected end of input")
    for text in ["{", "[", "{\"a\"", "{\"a\":", "{\"a\":1", "[1,", "\"abc", "[\"\\u00"] {
      #expect(parseError(text) != nil, "\(text)")
    }
    #expect(parseError("\u{FEFF}{}")?.kind == .byteOrderMark)  // no byte-order mark
  }

  @Test func duplicateKeys() throws {
    let error = parseError(#"{"a":1,"b":{"x":1,"x":2}}"#)
    #expect(error == JSONParseError(kind: .duplicateKey, offset: 18, message: "duplicate key 'x'"))
    // Canonically equivalent keys are the same Swift string, hence duplicates.
    #expect(parseError("{\"\u{E9}\":1,\"e\u{301}\":2}")?.kind == .duplicateKey)
    let kept = try JSONValue.parse(#"{"a":1,"a":2}"#, rejectDuplicateKeys: false)
    #expect(kept.objectMembers?.map(\.key) == ["a", "a"])
    #expect(kept["a"] == .number(JSONNumber(1)))
  }

  @Test func nestingDepthLimit() throws {
    let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
    #expect(try JSONValue.parse(ok).arrayValue != nil)
    let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
    #expect(
      parseError(tooDeep)
        == JSONParseError(kind: .tooDeep, offset: 64, message: "nesting deeper than 64 levels"))
    let objects = String(repeating: "{\"a\":", count: 65) + "1" + String(repeating: "}", count: 65)
    #expect(parseError(objects)?.kind == .tooDeep)
    // Hostile depth fails fast without recursion, even with a huge limit.
    let hostile = [UInt8](repeating: UInt8(ascii: "["), count: 200_000)
    #expect(parseError(hostile, maxDepth: .max)?.message == "unexpected end of input")
    #expect(parseError(hostile)?.kind == .tooDeep)
  }

  @Test func serializationRoundTrips() throws {
    let text = #"{"a":[1,-2.5e3,true,false,null],"b\n\"":"\u001b\u00e9\\","c":{}}"#
    let value = try JSONValue.parse(text)
    #expect(value.serialized() == #"{"a":[1,-2.5e3,true,false,null],"b\n\"":"\u001bé\\","c":{}}"#)
    #expect(try JSONValue.parse(value.serialized()) == value)
  }

  @Test func errorDescriptionIsOneLine() {
    let error = parseError(#"{"a\u001b":1,"a\u001b":2}"#)
    #expect(error?.description == #"duplicate key 'a\u{1B}' at line 1, column 14 (byte 13)"#)
  }

  @Test func errorsGiveLineAndColumn() {
    // Line after each \n; columns count characters (é is two bytes, one column).
    let error = parseError("{\n  \"é\": 1,\n  \"b\": tru\n}")
    #expect(error?.line == 3)
    #expect(error?.column == 8)
    #expect(error?.offset == 20)
    #expect(error?.description == "invalid literal at line 3, column 8 (byte 20)")
    #expect(parseError("[1,\n")?.description == "unexpected end of input at line 2, column 1 (byte 4)")
    let invalid = parseError([0x5B, 0x0A, 0x22, 0xFF, 0x22, 0x5D])
    #expect(invalid?.kind == .invalidUTF8)
    #expect(invalid?.line == 2)
    #expect(invalid?.column == 2)
  }

  @Test func byteOrderMarkIsNamed() {
    let error = parseError([0xEF, 0xBB, 0xBF] + Array(#"{"architecture": "vit"}"#.utf8))
    #expect(error?.kind == .byteOrderMark)
    #expect(error?.offset == 0)
    #expect(error?.description.contains("byte order mark") == true)
    #expect(error?.description.hasSuffix("at line 1, column 1 (byte 0)") == true)
    // Inside a string it is just a character.
    #expect((try? JSONValue.parse("\"\u{FEFF}\"")) == .string("\u{FEFF}"))
  }

  @Test func lookupsCompareBytesNotCanonicalEquivalence() throws {
    let value = try JSONValue.parse(#"{"e\u0301":1,"\u00e9":2}"#, rejectDuplicateKeys: false)
    #expect(value["\u{E9}"] == .number(JSONNumber(2)))
    #expect(value["e\u{301}"] == .number(JSONNumber(1)))
  }

  @Test func exactIntegers() throws {
    func number(_ text: String) throws -> JSONNumber { try #require(try JSONValue.parse(text).numberValue) }
    #expect(try number("3").exactInteger(as: Int.self) == 3)
    #expect(try number("3.0").exactInteger(as: Int.self) == 3)
    #expect(try number("3e2").exactInteger(as: Int.self) == 300)
    #expect(try number("3.5").exactInteger(as: Int.self) == nil)
    #expect(try number("1e30").exactInteger(as: Int.self) == nil)
    #expect(try number("300").exactInteger(as: Int8.self) == nil)
    #expect(try number("-1").exactInteger(as: UInt.self) == nil)
  }
}
