// Every metadata value type, arrays of every type and arrays of arrays read back as the gguf
// package wrote them (metadata-v3.gguf and its version-2 twin, from make_gguf_fixtures.py), and the
// typed accessors' one-line refusals of a value of the wrong type.
import GGUF
import Testing

@Suite struct MetadataTests {
  @Test(arguments: [2, 3])
  func everyValueTypeRoundTrips(_ version: Int) throws {
    let file = try GGUFFile(bytes: Fixtures.bytes("metadata-v\(version).gguf"), fileName: "m.gguf")
    #expect(file.version == version)
    #expect(file.alignment == 64)
    #expect(file.dataOffset % 64 == 0)
    #expect(try file.architecture() == "testarch")
    #expect(try file.modelKey(GGUFKeys.blockCount) == "testarch.block_count")
    #expect(try file.int("t.u8") == 200)
    #expect(try file.int("t.i8") == -100)
    #expect(try file.int("t.u16") == 60000)
    #expect(try file.int("t.i16") == -30000)
    #expect(try file.int("t.u32") == 4_000_000_000)
    #expect(try file.int("t.i32") == -2_000_000_000)
    #expect(try file.float("t.f32") == Float(0.1))
    #expect(try file.bool("t.bool") == true)
    #expect(try file.bool("t.false") == false)
    #expect(try file.string("t.string") == "héllo ✓ 日本")
    #expect(try file.int("t.i64") == -(1 << 62))
    #expect(try file.float("t.f64") == Float(1e300))  // rounds to +∞ as Float(Double) does
    guard case .uint64(let big) = try file.value("t.u64"), case .float64(let f64) = try file.value("t.f64")
    else {
      Issue.record("u64/f64 types")
      return
    }
    #expect(big == UInt64.max && f64 == 1e300)
    #expect(
      ggufError { try file.int("t.u64") }
        == "m.gguf: key 't.u64': u64 value u64 18446744073709551615 is above 9223372036854775807")

    #expect(try file.integers("a.u8") == [0, 255, 7])
    #expect(try file.integers("a.i8") == [-128, 127])
    #expect(try file.integers("a.u16") == [65535, 1])
    #expect(try file.integers("a.i16") == [-32768, 5])
    #expect(try file.integers("a.u32") == [4_294_967_295])
    #expect(try file.integers("a.i32") == [-1, 2, -3])
    #expect(try file.floats(key: "a.f32") == [1.5, -2.25, Float(0.1)])
    #expect(try file.array("a.bool").bools() == [true, false, true])
    #expect(try file.strings("a.string") == ["a", "", "ünï"])
    #expect(try file.integers("a.i64") == [-5, 1 << 62])
    #expect(try file.floats(key: "a.f64") == [0.5, Float(-1e-300)])
    #expect(
      ggufError { try file.integers("a.u64") }
        == "m.gguf: key 'a.u64': element 0, a u64, is above 9223372036854775807")
    let nested = try file.array("a.nested")
    #expect(nested.elementType == .array && nested.count == 3)
    #expect(try nested.arrays().map { try $0.integers() } == [[1, 2], [3], [4, 5, 6]])
    let deep = try file.array("a.deep").arrays().map { try $0.arrays().map { try $0.strings() } }
    #expect(deep == [[["x", "y"]], [["z"]]])
    #expect(try file.array("a.i32").values().map(\.description) == ["-1", "2", "-3"])
    #expect(try file.value("a.string").description == "[3 × string]")

    #expect(file.tensors.map(\.name) == ["norm"])
    #expect(try file.floats("norm") == (0..<8).map(Float.init))
    #expect(file.metadataKeys.first == "general.architecture")
    #expect(file.metadataKeys.contains("general.alignment"))
  }

  @Test func wrongTypesAreOneLineNamingKeyAndType() throws {
    let file = try GGUFFile(bytes: Fixtures.bytes("metadata-v3.gguf"), fileName: "m.gguf")
    #expect(
      ggufError { try file.int("t.string") }
        == "m.gguf: key 't.string': expected an integer, found string \"héllo ✓ 日本\"")
    #expect(
      ggufError { try file.string("t.u32") } == "m.gguf: key 't.u32': expected a string, found u32 4000000000"
    )
    #expect(
      ggufError { try file.float("t.i32") } == "m.gguf: key 't.i32': expected a float, found i32 -2000000000")
    #expect(ggufError { try file.bool("t.u8") } == "m.gguf: key 't.u8': expected a bool, found u8 200")
    #expect(ggufError { try file.array("t.f32") } == "m.gguf: key 't.f32': expected an array, found f32 0.1")
    // llama.cpp #26690: token scores stored as u8 must not be taken for floats.
    #expect(
      ggufError { try file.floats(key: "a.u8") }
        == "m.gguf: key 'a.u8': expected an array of f32, found an array of u8 (3 values)")
    #expect(
      ggufError { try file.strings("a.i32") }
        == "m.gguf: key 'a.i32': expected an array of strings, found an array of i32 (3 values)")
    #expect(
      ggufError { try file.int("a.i32") }
        == "m.gguf: key 'a.i32': expected an integer, found an array of 3 i32 values")
    #expect(ggufError { try file.int("nope") } == "m.gguf: missing key 'nope'")
    #expect(try file.intIfPresent("nope") == nil)
    #expect(try file.intIfPresent("t.u8") == 200)
    #expect(ggufError { try file.intIfPresent("t.string") } != nil)
    #expect(file.valueType(of: "a.nested") == .array)
  }

  @Test func stringArraysCanBeReadAsBytes() throws {
    let file = try GGUFFile(bytes: Fixtures.bytes("metadata-v3.gguf"), fileName: "m.gguf")
    var seen: [[UInt8]] = []
    try file.array("a.string").forEachStringBytes { index, bytes in
      #expect(index == seen.count)
      seen.append(Array(bytes))
    }
    #expect(seen == [Array("a".utf8), [], Array("ünï".utf8)])
  }
}
