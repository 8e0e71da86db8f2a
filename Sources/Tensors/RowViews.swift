// Views of packed matrices without copying their storage: a block of consecutive rows (one of q,
// k, v in a fused projection) and a permutation of the rows (llama.cpp's GGUF conversion reorders
// the rows of Llama's q and k projections; transformers undoes it on load, so do we).

/// Rows `range` of `base`.
public struct RowBlock: PackedRows {
  public let base: any PackedRows
  public let range: Range<Int>

  public init(_ base: any PackedRows, rows range: Range<Int>) {
    precondition(range.lowerBound >= 0 && range.upperBound <= base.rows, "rows \(range) of \(base.rows)")
    self.base = base
    self.range = range
  }

  public var rows: Int { range.count }
  public var columns: Int { base.columns }
  /// The block's share of the base's bytes.
  public var storedBytes: Int { base.storedBytes / max(1, base.rows) * range.count }
  public var storageName: String { base.storageName }

  public func decodeRows(_ rows: Range<Int>, into destination: UnsafeMutablePointer<Float>) {
    base.decodeRows(
      (range.lowerBound + rows.lowerBound)..<(range.lowerBound + rows.upperBound), into: destination)
  }
}

/// Row i of the view is row `order[i]` of `base`.
public struct PermutedRows: PackedRows {
  public let base: any PackedRows
  public let order: [Int]

  public init(_ base: any PackedRows, order: [Int]) {
    precondition(order.count == base.rows && Set(order).count == order.count, "a permutation of the rows")
    self.base = base
    self.order = order
  }

  public var rows: Int { base.rows }
  public var columns: Int { base.columns }
  public var storedBytes: Int { base.storedBytes }
  public var storageName: String { base.storageName }

  public func decodeRows(_ rows: Range<Int>, into destination: UnsafeMutablePointer<Float>) {
    // Consecutive source rows are decoded together (a permutation of head halves keeps runs).
    var index = rows.lowerBound
    while index < rows.upperBound {
      var end = index + 1
      while end < rows.upperBound, order[end] == order[end - 1] + 1 { end += 1 }
      base.decodeRows(
        order[index]..<(order[end - 1] + 1), into: destination + (index - rows.lowerBound) * columns)
      index = end
    }
  }
}
