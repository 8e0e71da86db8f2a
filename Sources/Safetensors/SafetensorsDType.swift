// Element types of the safetensors format and scalar decoding helpers.

/// An element type as spelled in a safetensors header.
public enum SafetensorsDType: String, Sendable, CaseIterable {
  case bool = "BOOL"
  case u8 = "U8"
  case i8 = "I8"
  case f8E5M2 = "F8_E5M2"
  case f8E4M3 = "F8_E4M3"
  case i16 = "I16"
  case u16 = "U16"
  case f16 = "F16"
  case bf16 = "BF16"
  case i32 = "I32"
  case u32 = "U32"
  case f32 = "F32"
  case f64 = "F64"
  case i64 = "I64"
  case u64 = "U64"

  /// Bytes per element.
  public var byteSize: Int {
    switch self {
    case .bool, .u8, .i8, .f8E5M2, .f8E4M3: 1
    case .i16, .u16, .f16, .bf16: 2
    case .i32, .u32, .f32: 4
    case .f64, .i64, .u64: 8
    }
  }
}

/// IEEE 754 binary16 bits → `Float` (exact: every half value is representable). NaN payloads and
/// signs are kept.
@inline(__always)
func floatFromF16Bits(_ bits: UInt16) -> Float {
  let sign = UInt32(bits & 0x8000) << 16
  let exponent = UInt32(bits >> 10) & 0x1F
  let mantissa = UInt32(bits & 0x3FF)
  switch exponent {
  case 0:
    // Zero or subnormal: mantissa × 2⁻²⁴, exact in Float.
    let magnitude = Float(mantissa) * 0x1p-24
    return Float(bitPattern: sign | magnitude.bitPattern)
  case 0x1F:
    return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
  default:
    return Float(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13)
  }
}

/// bfloat16 bits → `Float` (the top half of a binary32).
@inline(__always)
func floatFromBF16Bits(_ bits: UInt16) -> Float {
  Float(bitPattern: UInt32(bits) << 16)
}
