// The most probable entry of a logits row; decoding loops live in the Decoding module.

extension TransformerModel {
  /// Index of the largest value (the first one on ties).
  public static func argmax(_ values: ArraySlice<Float>) -> Int {
    var best = values.startIndex
    for index in values.indices where values[index] > values[best] { best = index }
    return best - values.startIndex
  }
}
