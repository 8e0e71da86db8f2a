// Numerically stable softmax over the rows of a matrix, with an optional mask.
import CKernels
import Foundation

/// Which (query, key) entries may be attended to. Masked entries come out exactly 0.
public enum AttentionMask: Sendable, Equatable {
  case none
  /// Query i (at absolute position `offset + i`) sees keys 0…offset+i: a decoder cannot see the future.
  case causal(offset: Int)
  /// Causal within a window (Mistral's and Gemma's sliding-window layers): query i at absolute
  /// position p = offset + i sees keys p − size + 1 … p, the `size` most recent positions.
  case slidingWindow(offset: Int, size: Int)
  /// An explicit mask, row-major [queries, keys], `true` = visible.
  case explicit([Bool])

  /// For masks whose visible keys are one run (none, causal, sliding window): the keys query
  /// `query` sees. nil for an explicit mask, which can hide any entry.
  public func visibleRange(query: Int, keyCount: Int) -> Range<Int>? {
    switch self {
    case .none: return 0..<keyCount
    case .causal(let offset): return 0..<max(0, min(keyCount, offset + query + 1))
    case .slidingWindow(let offset, let size):
      let end = max(0, min(keyCount, offset + query + 1))
      return min(end, max(0, offset + query + 1 - size))..<end
    case .explicit: return nil
    }
  }

  public func isVisible(query: Int, key: Int, keyCount: Int) -> Bool {
    switch self {
    case .explicit(let visible): return visible[query * keyCount + key]
    default: return visibleRange(query: query, keyCount: keyCount)!.contains(key)
    }
  }
}

public enum Softmax {
  /// Softmax of each row of `values` ([rows, columns], in place). Subtracts the row maximum first so
  /// large scores do not overflow exp; a row whose every entry is masked becomes all zeros, not NaN.
  public static func rows(
    _ values: UnsafeMutablePointer<Float>, rows: Int, columns: Int, mask: AttentionMask = .none
  ) {
    // Large blocks (long inputs) are split over the cores, as torch.softmax is.
    let chunks = rows * columns >= 1 << 16 ? min(rows, Softmax.threads) : 1
    if chunks > 1 {
      let address = Int(bitPattern: values)  // a plain integer crosses the concurrency boundary
      DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        let pointer = UnsafeMutablePointer<Float>(bitPattern: address)!
        let range = (chunk * rows / chunks)..<((chunk + 1) * rows / chunks)
        Softmax.rows(pointer, range: range, columns: columns, mask: mask)
      }
      return
    }
    Softmax.rows(values, range: 0..<rows, columns: columns, mask: mask)
  }

  /// OpenBLAS's own rule, so one knob (OPENBLAS_NUM_THREADS) sets the engine's thread count.
  public static let threads = max(
    1,
    ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"].flatMap { Int($0) }
      ?? ProcessInfo.processInfo.activeProcessorCount)

  /// Rows `range` of a [rows, columns] block (the mask sees absolute row numbers), on the calling
  /// thread only (for callers that split the work themselves).
  public static func rows(
    _ values: UnsafeMutablePointer<Float>, range: Range<Int>, columns: Int, mask: AttentionMask
  ) {
    for r in range {
      let row = values + r * columns
      if let visible = mask.visibleRange(query: r, keyCount: columns) {
        // The common case (no mask, causal, a window): one contiguous run, no per-entry mask test.
        for c in 0..<visible.lowerBound { row[c] = 0 }
        softmaxInPlace(row + visible.lowerBound, count: visible.count)
        for c in visible.upperBound..<columns { row[c] = 0 }
      } else {
        softmaxMasked(row, columns: columns) { mask.isVisible(query: r, key: $0, keyCount: columns) }
      }
    }
  }

  /// Softmax of `count` contiguous values, vectorised (CKernels' polynomial exp and partial sums);
  /// zero values (a fully masked row) do nothing. `softmaxInPlaceReference` is the scalar libm one.
  static func softmaxInPlace(
    _ row: UnsafeMutablePointer<Float>, count: Int, level: VectorMath.Level = .avx512
  ) {
    attnscope_softmax_at(level.rawValue, row, count)
  }

  /// The reference: libm `expf` one value at a time, a sequential sum.
  static func softmaxInPlaceReference(_ row: UnsafeMutablePointer<Float>, count: Int) {
    guard count > 0 else { return }
    var maximum = row[0]
    for c in 1..<count { maximum = max(maximum, row[c]) }
    var sum: Float = 0
    for c in 0..<count {
      let e = expf(row[c] - maximum)
      row[c] = e
      sum += e
    }
    let inverse = 1 / sum
    for c in 0..<count { row[c] *= inverse }
  }

  static func softmaxMasked(
    _ row: UnsafeMutablePointer<Float>, columns: Int, isVisible: (Int) -> Bool
  ) {
    var maximum = -Float.infinity
    for c in 0..<columns where isVisible(c) { maximum = max(maximum, row[c]) }
    guard maximum > -Float.infinity else {
      for c in 0..<columns { row[c] = 0 }
      return
    }
    var sum: Float = 0
    for c in 0..<columns {
      if isVisible(c) {
        row[c] = expf(row[c] - maximum)
        sum += row[c]
      } else {
        row[c] = 0
      }
    }
    let inverse = 1 / sum
    for c in 0..<columns { row[c] *= inverse }
  }
}

extension Tensor {
  /// Row-wise softmax of a matrix (see `Softmax.rows`).
  public func softmaxRows(mask: AttentionMask = .none) -> Tensor {
    var result = self
    let (r, c) = (rows, columns)
    result.scalars.withUnsafeMutableBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      Softmax.rows(base, rows: r, columns: c, mask: mask)
    }
    return result
  }
}
