// The simplest decoder loop: take the most probable token until end-of-sequence. It recomputes the
// whole prefix at every step; the Decoding module adds the KV cache, beams and sampling.
import Tensors

extension TransformerModel {
  /// Greedy continuation of `prefix` (which starts with the start token) for an encoder-decoder or
  /// decoder-only model; stops at `endID` (not included) or when the position table is full.
  public func greedy(
    encoderIDs: [Int]?, prefix: [Int], endID: Int, maxLength: Int? = nil
  ) throws(ModelError) -> [Int] {
    var ids = prefix
    let limit = min(config.maxPositions, maxLength.map { prefix.count + $0 } ?? .max)
    while ids.count < limit {
      let logits = try forward(encoderIDs: encoderIDs, decoderIDs: ids).logits  // [n, V]
      let next = Self.argmax(logits.row(logits.rows - 1))
      if next == endID { break }
      ids.append(next)
    }
    return Array(ids.dropFirst(prefix.count))
  }

  /// Index of the largest value (the first one on ties).
  public static func argmax(_ values: ArraySlice<Float>) -> Int {
    var best = values.startIndex
    for index in values.indices where values[index] > values[best] { best = index }
    return best - values.startIndex
  }
}
