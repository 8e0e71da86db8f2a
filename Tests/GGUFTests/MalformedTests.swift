// One test per way a GGUF file can be wrong (issue #15's list, the llama.cpp bugs it cites): each is
// refused with one line naming the file and the problem, before anything is allocated from a
// claimed size. Files are built by hand with GGUFBuilder so each test changes exactly one field.
import Foundation
import GGUF
import Testing

private func refusal(_ bytes: [UInt8]) -> String? {
  ggufError { try GGUFFile(bytes: bytes, fileName: "bad.gguf") }
}

/// A valid file: one u32 pair, then `tensors` (name, dims, type, offset), padded, then `data` bytes.
private func file(
  pairs: [(String, UInt32)] = [("general.architecture.count", 1)], version: UInt32 = 3,
  tensors: [(String, [UInt64], UInt32, UInt64)] = [], data: Int = 0
) -> [UInt8] {
  var b = GGUFBuilder()
  b.header(version: version, tensors: UInt64(tensors.count), pairs: UInt64(pairs.count))
  for (key, value) in pairs { b.pair(key, u32: value) }
  for t in tensors { b.tensor(t.0, dims: t.1, type: t.2, offset: t.3) }
  b.pad()
  b.zeros(data)
  return b.bytes
}

@Suite struct MalformedTests {
  @Test func validHandMadeFilesParse() throws {
    let bytes = file(tensors: [("a", [4, 2], 0, 0), ("b", [32], 8, 32)], data: 96)
    let f = try GGUFFile(bytes: bytes, fileName: "ok.gguf")
    #expect(f.tensors.map(\.byteCount) == [32, 34])
    #expect(f.tensors[0].rows == 2 && f.tensors[0].columns == 4 && f.tensors[0].shape == [2, 4])
    #expect(try GGUFFile(bytes: file(), fileName: "empty.gguf").tensors.isEmpty)
  }

  @Test func wrongMagicAndVersions() {
    #expect(refusal([]) == "bad.gguf: file is 0 bytes, too short for the GGUF magic")
    #expect(refusal(Array("GGU".utf8)) == "bad.gguf: file is 3 bytes, too short for the GGUF magic")
    var pk = file()
    pk[0...3] = [0x50, 0x4B, 3, 4]
    #expect(
      refusal(pk) == "bad.gguf: not a GGUF file (magic bytes 50 4B 03 04, expected 47 47 55 46 \"GGUF\")")
    #expect(refusal(file(version: 1)) == "bad.gguf: GGUF version 1 is not supported (only versions 2 and 3)")
    #expect(
      refusal(file(version: 4)) == "bad.gguf: unknown GGUF version 4 (only versions 2 and 3 are supported)")
    #expect(
      refusal(file(version: 0)) == "bad.gguf: unknown GGUF version 0 (only versions 2 and 3 are supported)")
    #expect(
      refusal(file(version: 3 << 24))
        == "bad.gguf: a big-endian GGUF file (version 3 in big-endian byte order); only little-endian files are supported"
    )
    #expect(refusal(Array(file().prefix(6)))?.hasPrefix("bad.gguf: file ends inside the version") == true)
  }

  @Test func hugeCountsAreRefusedAtOnce() {
    // llama.cpp #15711, #19003: counts up to 2^64 − 1 in a 40-byte file.
    for (tensors, pairs) in [(UInt64(1) << 60, UInt64(0)), (0, UInt64.max), (UInt64.max, UInt64.max)] {
      var b = GGUFBuilder()
      b.header(tensors: tensors, pairs: pairs)
      b.zeros(16)
      let started = Date()
      let line = refusal(b.bytes)
      #expect(line?.contains("cannot fit in the 16 bytes after the header") == true, "\(line ?? "nil")")
      #expect(Date().timeIntervalSince(started) < 1)
    }
  }

  @Test func lengthsPastTheEnd() {
    var key = GGUFBuilder()
    key.header(tensors: 0, pairs: 1)
    key.u64(1 << 63)  // key length
    key.zeros(20)
    #expect(
      refusal(key.bytes)
        == "bad.gguf: the key of metadata pair 0 claims 9223372036854775808 bytes at byte 32, only 20 left in the file"
    )

    var value = GGUFBuilder()
    value.header(tensors: 0, pairs: 1)
    value.string("k")
    value.u32(8)
    value.u64(UInt64.max)
    value.zeros(3)
    #expect(
      refusal(value.bytes)
        == "bad.gguf: key 'k': the string value claims 18446744073709551615 bytes at byte 45, only 3 left in the file"
    )

    // The gguf Python reader hangs on an array length of 2^63.
    for (type, length) in [(UInt32(0), UInt64(1) << 63), (8, UInt64.max), (9, UInt64(1) << 40)] {
      var array = GGUFBuilder()
      array.header(tensors: 0, pairs: 1)
      array.string("k")
      array.u32(9)
      array.u32(type)
      array.u64(length)
      array.zeros(30)
      let line = refusal(array.bytes)
      #expect(line?.hasPrefix("bad.gguf: key 'k': array of \(length) ") == true, "\(line ?? "nil")")
      #expect(line?.hasSuffix("values cannot fit in the 30 bytes left") == true)
    }

    // A string inside an array that runs past the end.
    var strings = GGUFBuilder()
    strings.header(tensors: 0, pairs: 1)
    strings.string("k")
    strings.u32(9)
    strings.u32(8)
    strings.u64(2)
    strings.string("ok")
    strings.u64(100)
    strings.zeros(4)
    #expect(
      refusal(strings.bytes)?.hasPrefix("bad.gguf: key 'k': string 1 of the array claims 100 bytes") == true)
  }

  @Test func badValuesAndKeys() {
    var unknown = GGUFBuilder()
    unknown.header(tensors: 0, pairs: 1)
    unknown.string("k")
    unknown.u32(13)
    unknown.zeros(8)
    #expect(refusal(unknown.bytes) == "bad.gguf: key 'k': unknown value type 13")

    var bool = GGUFBuilder()
    bool.header(tensors: 0, pairs: 1)
    bool.string("flag")
    bool.u32(7)
    bool.bytes.append(2)
    #expect(refusal(bool.bytes) == "bad.gguf: key 'flag': bool value is 2, not 0 or 1")

    #expect(refusal(file(pairs: [("", 1)])) == "bad.gguf: metadata pair 0 has an empty key")
    #expect(refusal(file(pairs: [("a", 1), ("b", 2), ("a", 3)])) == "bad.gguf: key 'a': duplicate key")
    var utf8 = file(pairs: [("ab", 1)])
    utf8[24 + 8] = 0xFF
    #expect(refusal(utf8) == "bad.gguf: the key of metadata pair 0 is not valid UTF-8")

    // Arrays nested 17 deep.
    var deep = GGUFBuilder()
    deep.header(tensors: 0, pairs: 1)
    deep.string("k")
    deep.u32(9)
    for _ in 0..<17 {
      deep.u32(9)
      deep.u64(1)
    }
    deep.u32(0)
    deep.u64(0)
    #expect(
      refusal(deep.bytes)
        == "bad.gguf: key 'k[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]': arrays nested more than 16 deep"
    )
  }

  @Test func badAlignment() {
    // llama.cpp #26318: 0, not a power of two, not a u32.
    for value: UInt32 in [0, 3, 48, 1 << 21] {
      #expect(
        refusal(file(pairs: [("general.alignment", value)]))
          == "bad.gguf: key 'general.alignment': alignment \(value) is not a power of two from 1 to 1048576")
    }
    var wrongType = GGUFBuilder()
    wrongType.header(tensors: 0, pairs: 1)
    wrongType.string("general.alignment")
    wrongType.u32(10)
    wrongType.u64(32)
    #expect(refusal(wrongType.bytes) == "bad.gguf: key 'general.alignment': must be a u32, found u64")
    let aligned = file(
      pairs: [("general.alignment", 64)], tensors: [("a", [4], 0, 0), ("b", [4], 0, 64)], data: 80)
    #expect(refusal(aligned) == nil)
    let misaligned = file(tensors: [("a", [4], 0, 0), ("b", [4], 0, 16)], data: 32)
    #expect(
      refusal(misaligned) == "bad.gguf: tensor 'b': data offset 16 is not a multiple of the alignment 32")
  }

  @Test func tensorsPastTheEndOrOverlapping() {
    #expect(
      refusal(file(tensors: [("a", [16], 0, 0)], data: 32))
        == "bad.gguf: tensor 'a': data [0, 0 + 64) runs past the end of the 32-byte data section")
    #expect(
      refusal(file(tensors: [("a", [4], 0, 1 << 62)], data: 32))?.hasPrefix(
        "bad.gguf: tensor 'a': data [4611686018427387904") == true)
    #expect(
      refusal(file(tensors: [("a", [16], 0, 0), ("b", [8], 0, 32)], data: 64))
        == "bad.gguf: tensor 'b': data [32, 64) overlaps tensor 'a' [0, 64)")
    #expect(
      refusal(file(tensors: [("b", [8], 0, 32), ("a", [16], 0, 0)], data: 64))
        == "bad.gguf: tensor 'b': data [32, 64) overlaps tensor 'a' [0, 64)")
    // The data section itself past the end (header ends mid-way).
    var short = file(tensors: [("a", [4], 0, 0)])
    short.removeLast(10)
    #expect(refusal(short)?.contains("before its data section") == true)
    #expect(
      refusal(file(tensors: [("a", [4], 0, 0)], data: 64))
        == "bad.gguf: 48 bytes follow the last tensor's data (at most 31 bytes of padding)")
  }

  @Test func badTypesAndDimensions() {
    #expect(
      refusal(file(tensors: [("a", [4], 99, 0)], data: 32))
        == "bad.gguf: tensor 'a': unknown tensor type id 99")
    #expect(
      refusal(file(tensors: [("a", [32], 4, 0)], data: 32))
        == "bad.gguf: tensor 'a': unknown tensor type id 4")
    // llama.cpp #24263: a dimension of 0.
    #expect(
      refusal(file(tensors: [("a", [4, 0], 0, 0)], data: 32)) == "bad.gguf: tensor 'a': dimension ne[1] is 0")
    #expect(
      refusal(file(tensors: [("a", [], 0, 0)], data: 32))
        == "bad.gguf: tensor 'a': has 0 dimensions (1 to 4 allowed)")
    #expect(
      refusal(file(tensors: [("a", [1, 1, 1, 1, 1], 0, 0)], data: 32))
        == "bad.gguf: tensor 'a': has 5 dimensions (1 to 4 allowed)")
    // llama.cpp #18674: 2^42 + 1 × stride wraps to 0 in 64 bits.
    #expect(
      refusal(file(tensors: [("a", [(1 << 42) + 1, 1 << 22], 0, 0)], data: 32))
        == "bad.gguf: tensor 'a': dimensions [4398046511105, 4194304] hold more than 9223372036854775807 values"
    )
    #expect(
      refusal(file(tensors: [("a", [1 << 31, 1 << 31], 0, 0)], data: 32))
        == "bad.gguf: tensor 'a': dimensions [2147483648, 2147483648] of F32 take more than 9223372036854775807 bytes"
    )
    #expect(
      refusal(file(tensors: [("a", [UInt64.max], 0, 0)], data: 32))
        == "bad.gguf: tensor 'a': dimension ne[0] = 18446744073709551615 is too large")
    #expect(
      refusal(file(tensors: [("a", [48], 8, 0)], data: 64))
        == "bad.gguf: tensor 'a': ne[0] = 48 is not a multiple of Q8_0's block of 32 values")
  }

  @Test func badTensorNames() {
    #expect(
      refusal(file(tensors: [("a", [4], 0, 0), ("a", [4], 0, 32)], data: 48))
        == "bad.gguf: tensor 'a': duplicate tensor name")
    #expect(refusal(file(tensors: [("", [4], 0, 0)], data: 32)) == "bad.gguf: tensor 0 has an empty name")
    let long = String(repeating: "x", count: 65)
    #expect(
      refusal(file(tensors: [(long, [4], 0, 0)], data: 32))
        == "bad.gguf: tensor '\(long)': name is 65 bytes, longer than 64")
    let control = file(tensors: [("a\u{1B}[2J", [4], 0, 0), ("a\u{1B}[2J", [4], 0, 32)], data: 48)
    #expect(refusal(control) == "bad.gguf: tensor 'a\\u{1B}[2J': duplicate tensor name")
    let f = try? GGUFFile(bytes: file(), fileName: "ok.gguf")
    #expect(ggufError { try f?.tensor("missing") } == "ok.gguf: missing tensor 'missing'")
  }

  @Test func onlyRegularFilesAreOpened() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gguf-special-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let fifo = directory.appendingPathComponent("model.gguf").path
    #expect(mkfifo(fifo, 0o600) == 0)
    for memoryMap in [true, false] {
      #expect(
        ggufError { try GGUFFile.load(path: fifo, memoryMap: memoryMap) }
          == "model.gguf: cannot read '\(fifo)': is a FIFO (named pipe), not a regular file")
      #expect(
        ggufError { try GGUFFile.load(path: directory.path, memoryMap: memoryMap) }?.hasSuffix(
          "is a directory, not a regular file") == true)
      #expect(
        ggufError { try GGUFFile.load(path: directory.path + "/absent.gguf", memoryMap: memoryMap) }
          == "absent.gguf: cannot read '\(directory.path)/absent.gguf'")
    }
    let empty = directory.appendingPathComponent("empty.gguf").path
    #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
    #expect(
      ggufError { try GGUFFile.load(path: empty) }
        == "empty.gguf: file is 0 bytes, too short for the GGUF magic")
  }
}

@Suite struct RobustnessTests {
  static let samples = ["metadata-v3.gguf", "types/Q4_K.gguf", "types/Q5_0.gguf", "unsupported.gguf"]

  /// Every prefix of a valid file is refused with one line (or, past the end of the data, parses).
  @Test(arguments: samples)
  func everyPrefixFailsCleanly(_ name: String) throws {
    let bytes = try Fixtures.bytes(name)
    let alignment = try GGUFFile(bytes: bytes, fileName: name).alignment
    for length in 0..<bytes.count {
      let line = refusal(Array(bytes.prefix(length)))
      if let line {
        #expect(line.hasPrefix("bad.gguf: ") && !line.contains("\n"), "\(length): \(line)")
      } else {
        // Only the final padding may be missing.
        #expect(length > bytes.count - alignment, "prefix of \(length) bytes parsed")
      }
    }
  }

  /// Flipped bytes anywhere: refused on one line, or parsed with every tensor and value readable.
  @Test(arguments: samples)
  func byteFlipsNeverCrash(_ name: String) throws {
    let bytes = try Fixtures.bytes(name)
    var generator = SystemRandomNumberGenerator()
    for trial in 0..<600 {
      var copy = bytes
      let index = trial < bytes.count / 2 ? trial : Int.random(in: 0..<bytes.count, using: &generator)
      copy[index] ^= UInt8.random(in: 1...255, using: &generator)
      guard let file = try? GGUFFile(bytes: copy, fileName: "bad.gguf") else { continue }
      for key in file.metadataKeys { _ = try? file.value(key).description }
      for info in file.tensors where info.type.isSupported && info.elementCount < 1 << 20 {
        _ = try? file.floats(info.name)
      }
    }
  }
}
