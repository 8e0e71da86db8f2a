// Shrinking (or blowing up) a matrix to a box of cells, for thumbnails and 300-token overviews.

/// How the entries that share one output cell are combined.
public enum Pooling: Sendable {
  /// The largest value: a single strong alignment survives in a thumbnail (the default, because
  /// attention is sparse and the point of a thumbnail is where it looks).
  case max
  /// The average: keeps the total weight of a region, so diffuse heads look diffuse.
  case mean
  /// The value of largest magnitude, with its sign: `max` for signed data (scores, positional
  /// encodings), where a strong negative entry matters as much as a positive one.
  case maxMagnitude
}

public enum Resampling {
  /// `values` resampled to `rows` × `columns`. Output cell i covers source indices
  /// ⌊i·n/m⌋ ..< max(⌊i·n/m⌋ + 1, ⌊(i+1)·n/m⌋), which tile the source when shrinking and repeat
  /// entries when growing. Masked and non-finite entries are left out of the pool; a cell is
  /// masked only when everything it covers is.
  public static func resample(
    values: [[Float]], masked: [[Bool]], rows: Int, columns: Int, pooling: Pooling
  ) -> (values: [[Float]], masked: [[Bool]]) {
    let sourceRows = values.count
    let sourceColumns = values.map(\.count).max() ?? 0
    guard rows > 0, columns > 0, sourceRows > 0, sourceColumns > 0 else { return ([], []) }
    var outValues = Array(repeating: Array(repeating: Float(0), count: columns), count: rows)
    var outMasked = Array(repeating: Array(repeating: true, count: columns), count: rows)
    for row in 0..<rows {
      let rowSpan = span(row, of: rows, source: sourceRows)
      for column in 0..<columns {
        let columnSpan = span(column, of: columns, source: sourceColumns)
        // Combined as the entries arrive (no pool array per cell: thumbnails have thousands of cells).
        var pooled = Pool(pooling)
        for r in rowSpan {
          for c in columnSpan where c < values[r].count {
            let isMasked = masked.indices.contains(r) && masked[r].indices.contains(c) && masked[r][c]
            if !isMasked, values[r][c].isFinite { pooled.add(values[r][c]) }
          }
        }
        guard let value = pooled.value else { continue }
        outMasked[row][column] = false
        outValues[row][column] = value
      }
    }
    return (outValues, outMasked)
  }

  static func span(_ index: Int, of count: Int, source: Int) -> Range<Int> {
    let low = index * source / count
    return low..<max(low + 1, (index + 1) * source / count)
  }

  /// A running max, mean or signed largest magnitude.
  struct Pool {
    let pooling: Pooling
    var count = 0
    var accumulator: Float = 0
    init(_ pooling: Pooling) { self.pooling = pooling }

    mutating func add(_ value: Float) {
      defer { count += 1 }
      guard count > 0 else {
        accumulator = value
        return
      }
      switch pooling {
      case .max: accumulator = Swift.max(accumulator, value)
      case .mean: accumulator += value
      case .maxMagnitude: if abs(value) > abs(accumulator) { accumulator = value }
      }
    }

    var value: Float? {
      guard count > 0 else { return nil }
      return pooling == .mean ? accumulator / Float(count) : accumulator
    }
  }

  static func combine(_ pool: [Float], _ pooling: Pooling) -> Float {
    switch pooling {
    case .max: return pool.max()!
    case .mean: return pool.reduce(0, +) / Float(pool.count)
    case .maxMagnitude: return pool.max { abs($0) < abs($1) }!
    }
  }
}
