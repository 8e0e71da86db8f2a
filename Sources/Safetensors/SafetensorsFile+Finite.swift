// Weights must be finite numbers: a NaN or ±∞ in a checkpoint turns every activation it touches
// into NaN, which then surfaces far away (a NaN score, an empty beam, a crash converting to Int).
// Every model loader (attnscope's own folders, Hugging Face folders, both ViTs) reads its floats
// through `finiteFloats`, so the file is refused at load with the tensor named.

extension SafetensorsFile {
  /// `floats(name)`, refusing a tensor with a NaN or an infinity: the error names the tensor, the
  /// first such element's flat index and what it is.
  public func finiteFloats(_ name: String) throws(SafetensorsError) -> [Float] {
    let values = try floats(name)
    if let index = values.firstIndex(where: { !$0.isFinite }) {
      let value = values[index]
      let what = value.isNaN ? "NaN" : (value > 0 ? "+infinity" : "-infinity")
      let count = values.lazy.filter { !$0.isFinite }.count
      throw SafetensorsError(
        file: fileName, tensor: name,
        problem: "\(what) at element \(index)\(count > 1 ? " (\(count) non-finite values)" : "")"
          + "; weights must be finite numbers")
    }
    return values
  }
}

extension SafetensorsFile {
  /// The bit patterns of an F16 or BF16 tensor as stored (a model kept in 16 bits), refusing a NaN
  /// or an infinity as `finiteFloats` does; nil for any other dtype.
  public func finiteHalfBits(_ name: String) throws(SafetensorsError) -> [UInt16]? {
    let info = try info(name)
    let exponentMask: UInt16
    switch info.dtype {
    case .f16: exponentMask = 0x7C00
    case .bf16: exponentMask = 0x7F80
    default: return nil
    }
    let bytes = try rawBytes(name)
    var bits = [UInt16](repeating: 0, count: bytes.count / 2)
    bits.withUnsafeMutableBytes { $0.copyBytes(from: bytes) }  // little-endian, as the format is
    if let index = bits.firstIndex(where: { $0 & exponentMask == exponentMask }) {
      let isNaN = bits[index] & ~exponentMask & 0x7FFF != 0
      let what = isNaN ? "NaN" : (bits[index] & 0x8000 == 0 ? "+infinity" : "-infinity")
      throw SafetensorsError(
        file: fileName, tensor: name, problem: "\(what) at element \(index); weights must be finite numbers")
    }
    return bits
  }
}
