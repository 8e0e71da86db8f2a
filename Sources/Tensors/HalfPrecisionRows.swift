// A matrix stored as bfloat16 or IEEE binary16, as a Hugging Face checkpoint ships it: two bytes
// per weight in memory, widened exactly to Float32 a tile at a time (WeightMatrix).
import CKernels

public struct HalfPrecisionRows: PackedRows {
  public enum Format: String, Sendable {
    case bfloat16 = "bf16"
    case float16 = "f16"
  }

  public let format: Format
  public let rows: Int
  public let columns: Int
  /// Row-major bit patterns, rows × columns.
  public let bits: [UInt16]

  public init(format: Format, rows: Int, columns: Int, bits: [UInt16]) {
    precondition(rows >= 0 && columns >= 0 && bits.count == rows * columns, "16-bit matrix shape")
    self.format = format
    self.rows = rows
    self.columns = columns
    self.bits = bits
  }

  public var storedBytes: Int { bits.count * 2 }
  public var storageName: String { format.rawValue }

  public func decodeRows(_ range: Range<Int>, into destination: UnsafeMutablePointer<Float>) {
    precondition(range.lowerBound >= 0 && range.upperBound <= rows, "rows \(range) of \(rows)")
    guard !range.isEmpty, columns > 0 else { return }
    bits.withUnsafeBufferPointer { buffer in
      let source = buffer.baseAddress! + range.lowerBound * columns
      let count = range.count * columns
      switch format {
      case .bfloat16: attnscope_bf16_to_f32(source, destination, count)
      case .float16: attnscope_f16_to_f32(source, destination, count)
      }
    }
  }
}
