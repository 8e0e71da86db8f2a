// A GGUF file's tensors as Float32: whole (small tensors such as norms) or as a `GGUFMatrix` that
// keeps the blocks in the file and decodes rows on demand. A type outside issue #15's list is
// refused naming the tensor and the type.
import CQuantKernels

extension GGUFFile {
  func checkSupported(_ info: GGUFTensorInfo) throws(GGUFError) {
    guard info.type.isSupported else {
      throw GGUFError(
        file: fileName, subject: .tensor(info.name),
        problem: "type \(info.type.name) is not supported (supported: \(GGMLType.supportedNames))")
    }
  }

  /// The whole tensor decoded to Float32 in GGML order (ne[0] fastest), bit for bit as
  /// `gguf.quants.dequantize` gives it.
  public func floats(_ name: String) throws(GGUFError) -> [Float] {
    let info = try tensor(name)
    try checkSupported(info)
    let count = info.elementCount
    let source = storage.base + dataOffset + info.offset
    return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
      let status = attnscope_quant_decode(
        Int32(info.type.rawValue), GGUFKernels.level, source, buffer.baseAddress!, count)
      precondition(status == 0, "decode \(info.type.name)")
      initialized = count
    }
  }

  /// The tensor as rows × columns = (ne[1]·ne[2]·ne[3]) × ne[0], kept in its blocks.
  public func matrix(_ name: String) throws(GGUFError) -> GGUFMatrix {
    let info = try tensor(name)
    try checkSupported(info)
    return GGUFMatrix(info: info, storage: storage, byteOffset: dataOffset + info.offset)
  }
}

/// Which instruction set the kernels use.
public enum GGUFKernels {
  /// The best this CPU has (AVX-512, AVX2 or portable), chosen once.
  public static let level: Int32 = attnscope_quant_best_level()
  public static var levelName: String {
    switch level {
    case Int32(ATTNSCOPE_QUANT_AVX512): "avx512"
    case Int32(ATTNSCOPE_QUANT_AVX2): "avx2"
    default: "portable"
    }
  }
}
