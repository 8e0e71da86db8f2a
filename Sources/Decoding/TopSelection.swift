// The k best entries of a long row (a vocabulary of 50–80 thousand) without sorting it: one pass
// keeping a small sorted buffer. Same order as a full sort by (value descending, index ascending),
// so ties go to the lower index exactly as before; k is small (the recorded candidates, 2·beam).

/// Indices of the `k` largest values, largest first, lower index first among equal values.
/// `isIncluded` filters indices out (e.g. −∞ entries) before ranking.
public func topIndices(_ values: [Float], _ k: Int, isIncluded: (Float) -> Bool = { _ in true }) -> [Int] {
  guard k > 0 else { return [] }
  var best: [Int] = []
  best.reserveCapacity(k + 1)
  values.withUnsafeBufferPointer { row in
    for index in row.indices {
      let value = row[index]
      guard isIncluded(value) else { continue }
      // Strictly greater than the current k-th: an equal value at a higher index ranks below it.
      if best.count == k, !(value > row[best[k - 1]]) { continue }
      var position = best.count
      while position > 0, value > row[best[position - 1]] { position -= 1 }
      best.insert(index, at: position)
      if best.count > k { best.removeLast() }
    }
  }
  return best
}
