// Every supported tensor type decodes bit for bit as gguf-py's `gguf.quants.dequantize` (values
// recorded by scripts/make_gguf_fixtures.py), through `floats`, through `GGUFMatrix.decodeRows` at
// every kernel level and row range; unsupported types are refused by name.
import CQuantKernels
import GGUF
import Testing

let supportedTypeNames = [
  "F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K",
]

let kernelLevels: [Int32] = [
  Int32(ATTNSCOPE_QUANT_PORTABLE), Int32(ATTNSCOPE_QUANT_AVX2), Int32(ATTNSCOPE_QUANT_AVX512),
]

@Suite struct DequantizationTests {
  @Test(arguments: supportedTypeNames)
  func floatsMatchGGUFPy(_ typeName: String) throws {
    let file = try GGUFFile(bytes: Fixtures.bytes("types/\(typeName).gguf"), fileName: "\(typeName).gguf")
    let expected = try Fixtures.floats("types/\(typeName).f32")
    #expect(file.tensors.map(\.name) == ["w", "v", "cube"])
    var decoded: [Float] = []
    for info in file.tensors {
      #expect(info.type.name == typeName)
      decoded += try file.floats(info.name)
    }
    expectSameBits(decoded, expected, typeName)
  }

  @Test(arguments: supportedTypeNames)
  func matrixRowsMatchAtEveryLevel(_ typeName: String) throws {
    let file = try GGUFFile.load(path: Fixtures.path("types/\(typeName).gguf"))
    #expect(file.isMemoryMapped)
    for info in file.tensors {
      let whole = try file.floats(info.name)
      let matrix = try file.matrix(info.name)
      #expect(matrix.rows * matrix.columns == whole.count)
      #expect(matrix.columns == info.dimensions[0])
      #expect(matrix.storageName == typeName.lowercased())
      for level in kernelLevels {
        for lower in 0..<matrix.rows {
          for upper in (lower + 1)...matrix.rows {
            var out = [Float](repeating: .nan, count: (upper - lower) * matrix.columns)
            out.withUnsafeMutableBufferPointer {
              matrix.decodeRows(lower..<upper, into: $0.baseAddress!, level: level)
            }
            let slice = Array(whole[(lower * matrix.columns)..<(upper * matrix.columns)])
            expectSameBits(out, slice, "\(typeName) \(info.name) rows \(lower)..<\(upper) level \(level)")
          }
        }
      }
    }
  }

  @Test func unsupportedTypesAreRefusedByName() throws {
    let file = try GGUFFile(bytes: Fixtures.bytes("unsupported.gguf"), fileName: "unsupported.gguf")
    #expect(try file.tensor("iq").type == .iq2_XXS)
    let line = ggufError { try file.floats("iq") }
    #expect(
      line?.hasPrefix("unsupported.gguf: tensor 'iq': type IQ2_XXS is not supported (supported: F32, F16")
        == true)
    #expect(ggufError { try file.matrix("iq") } == line)
    #expect(try file.floats("ok") == [1, 1, 1, 1])
  }

  @Test func blockSizesAgreeWithTheKernels() {
    for type in GGMLType.allCases {
      let elements = attnscope_quant_block_elements(Int32(type.rawValue))
      let bytes = attnscope_quant_block_bytes(Int32(type.rawValue))
      if type.isSupported {
        #expect(elements == type.blockSize && bytes == type.typeSize, "\(type)")
      } else {
        #expect(elements == 0 && bytes == 0, "\(type)")
      }
    }
  }
}
