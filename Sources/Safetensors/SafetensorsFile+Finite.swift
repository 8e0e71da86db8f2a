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
