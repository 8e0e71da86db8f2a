// JSONValueDecoder: Codable types read through the project's parser, errors naming the key path.
import Foundation
import JSON
import Testing

private struct Inner: Decodable, Equatable {
  var size: Int
  var names: [String]
  var scale: Float?
}

private enum Kind: String, Decodable { case a, b }

private struct Outer: Decodable, Equatable {
  var kind: Kind
  var count: UInt8
  var ratio: Double
  var flag: Bool
  var inner: Inner
  var list: [Inner]
  var table: [String: Int]
  var optional: String?
}

private func decode(_ text: String) throws(JSONDecodingError) -> Outer {
  try JSONValueDecoder().decode(Outer.self, from: Array(text.utf8))
}

private func message(_ text: String) -> String {
  do {
    let value = try decode(text)
    return "decoded \(value)"
  } catch { return error.description }
}

private let valid = """
  {"kind": "b", "count": 7, "ratio": 0.25, "flag": true, "inner": {"size": 3, "names": ["x"]},
   "list": [{"size": 1, "names": [], "scale": 1e-5}], "table": {"p": 1, "q": 2}, "optional": null,
   "unknown": [1, 2]}
  """

@Suite("JSONValueDecoder")
struct JSONValueDecoderTests {
  @Test func decodesEveryShape() throws {
    let value = try decode(valid)
    #expect(value.kind == .b)
    #expect(value.count == 7)
    #expect(value.ratio == 0.25)
    #expect(value.flag)
    #expect(value.inner == Inner(size: 3, names: ["x"], scale: nil))
    #expect(value.list == [Inner(size: 1, names: [], scale: 1e-5)])
    #expect(value.table == ["p": 1, "q": 2])
    #expect(value.optional == nil)
  }

  @Test func wholeNumbersWrittenAsDecimalsAreAccepted() throws {
    #expect(try decode(valid.replacingOccurrences(of: "\"count\": 7", with: "\"count\": 7.0")).count == 7)
  }

  @Test func errorsNameTheKeyPathAndTheValue() {
    func replacing(_ from: String, _ to: String) -> String {
      message(valid.replacingOccurrences(of: from, with: to))
    }
    #expect(replacing("\"count\": 7", "\"count\": 7.5") == #""count": expected a whole number, found 7.5"#)
    #expect(
      replacing("\"count\": 7", "\"count\": 300")
        == #""count": expected a whole number from 0 to 255, found 300"#)
    #expect(
      replacing("\"count\": 7", "\"count\": \"7\"")
        == #""count": expected a whole number, found a string "7""#)
    #expect(replacing("\"kind\": \"b\"", "\"kind\": \"c\"") == #""kind": invalid value "c""#)
    #expect(
      replacing("\"names\": [\"x\"]", "\"names\": \"x\"")
        == #""inner.names": expected an array, found a string "x""#)
    #expect(
      replacing("\"names\": [\"x\"]", "\"names\": [\"x\", 5]")
        == #""inner.names[1]": expected a string, found 5"#)
    #expect(
      replacing("\"scale\": 1e-5", "\"scale\": 1e50")
        == #""list[0].scale": expected a number within Float's range, found 1e50"#)
    #expect(replacing("\"size\": 3, ", "") == #"missing "inner.size""#)
    #expect(replacing("\"flag\": true", "\"flag\": 1") == #""flag": expected true or false, found 1"#)
    #expect(message("[]") == "the top level: expected an object, found an array")
    #expect(message("{") == "not valid JSON (unexpected end of input at line 1, column 2 (byte 1))")
  }

  @Test func decodesFromAParsedValue() throws {
    let value = try JSONValue.parse(#"{"size": 2, "names": ["a", "b"]}"#)
    #expect(try JSONValueDecoder().decode(Inner.self, from: value) == Inner(size: 2, names: ["a", "b"]))
  }
}
