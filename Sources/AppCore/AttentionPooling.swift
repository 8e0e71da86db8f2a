// One head's weights pooled into a grid of screen cells, read straight from the entry's flat
// [heads, queries, keys] storage (no [[Float]] copy of a 4,096² head), for the attention screen's
// overview of long inputs. Masked entries (score −∞, a future token) are left out of every pool,
// and a cell is masked only when everything it covers is, as Resampling does for thumbnails.
import Foundation
import Render
import Trace

/// Which part of a head to pool and how: `rowsPerCell` queries × `keysPerCell` keys per output
/// cell, from (`firstRow`, `firstKey`), `rows` × `columns` output cells.
struct PoolingWindow: Hashable, Sendable {
  var firstRow: Int
  var firstKey: Int
  var rowsPerCell: Int
  var keysPerCell: Int
  var rows: Int
  var columns: Int
}

enum AttentionPooling {
  /// The pooled grid `[rows][columns]` (nil: every entry masked) of head `head`. With `hidesSink`
  /// key 0 is left out and each row renormalised over the rest (AttentionSink.renormalised), so
  /// `firstKey` must then be ≥ 1. Output rows are split over the cores: a 4,096² head is 64 MB.
  static func pool(
    _ entry: AttentionEntry, head: Int, window: PoolingWindow, pooling: Pooling, hidesSink: Bool
  ) -> [[Float?]] {
    let (queries, keys) = (entry.queries.count, entry.keys.count)
    let output = PooledRows(count: window.rows)
    let headStart = head * queries * keys
    let chunks = max(1, min(window.rows, ProcessInfo.processInfo.activeProcessorCount * 2))
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
      // Each task takes its own view of the (Sendable) arrays; rows are interleaved over tasks so
      // a causal mask's light upper rows do not all land on one.
      entry.weights.withUnsafeBufferPointer { weights in
        entry.scores.withUnsafeBufferPointer { scores in
          for row in stride(from: chunk, to: window.rows, by: chunks) {
            output.set(
              row,
              poolRow(
                weights: weights, scores: scores, headStart: headStart, keys: keys, queries: queries,
                row: row,
                window: window, pooling: pooling, hidesSink: hidesSink))
          }
        }
      }
    }
    return output.rows
  }

  /// The output rows, filled by concurrent tasks (each row written once, under the lock).
  final class PooledRows: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [[Float?]]
    init(count: Int) { storage = Array(repeating: [], count: count) }
    func set(_ row: Int, _ values: [Float?]) {
      lock.lock()
      storage[row] = values
      lock.unlock()
    }
    var rows: [[Float?]] {
      lock.lock()
      defer { lock.unlock() }
      return storage
    }
  }

  /// One output row: the queries it covers, each key span reduced with 8 lanes at a time.
  static func poolRow(
    weights: UnsafeBufferPointer<Float>, scores: UnsafeBufferPointer<Float>, headStart: Int, keys: Int,
    queries: Int, row: Int, window: PoolingWindow, pooling: Pooling, hidesSink: Bool
  ) -> [Float?] {
    var best = [Float](repeating: -.infinity, count: window.columns)
    var sums = [Float](repeating: 0, count: window.columns)
    var counts = [Int](repeating: 0, count: window.columns)
    let firstQuery = window.firstRow + row * window.rowsPerCell
    for query in firstQuery..<min(queries, firstQuery + window.rowsPerCell) {
      let rowStart = headStart + query * keys
      var scale: Float = 1
      if hidesSink {
        // Σ_{j≥1} of the visible weights: masked entries hold exactly 0, so a plain sum is it.
        var total: Float = 0
        for key in 1..<keys { total += weights[rowStart + key] }
        scale = total > 0 && total.isFinite ? 1 / total : 0
      }
      for column in 0..<window.columns {
        let low = window.firstKey + column * window.keysPerCell
        let high = min(keys, low + window.keysPerCell)
        guard low < high else { continue }
        let span = reduce(weights, scores, from: rowStart + low, to: rowStart + high)
        guard span.count > 0 else { continue }
        counts[column] += span.count
        sums[column] += span.sum * scale
        best[column] = max(best[column], span.max * scale)
      }
    }
    return (0..<window.columns).map { column in
      guard counts[column] > 0 else { return nil }
      switch pooling {
      case .max: return best[column]
      case .mean: return sums[column] / Float(counts[column])
      case .maxMagnitude: return best[column]  // weights are never negative
      }
    }
  }

  /// Sum, max and count of the unmasked entries in `from..<to`. An entry is masked only where its
  /// weight is exactly 0 and its score −∞, so scores are read only for zero weights. Weights are
  /// never negative, so a masked 0 in the max changes nothing the caller keeps (count 0: no value).
  @inline(__always)
  static func reduce(
    _ weights: UnsafeBufferPointer<Float>, _ scores: UnsafeBufferPointer<Float>, from: Int, to: Int
  ) -> (sum: Float, max: Float, count: Int) {
    var index = from
    var sums = SIMD8<Float>(repeating: 0)
    var maxima = SIMD8<Float>(repeating: -.infinity)
    var masked = SIMD8<Int32>(repeating: 0)
    // Whole vectors loaded straight from memory (the Sequence initialiser built them lane by lane,
    // and a causal head's zero half went through a scalar loop: 200 ms per 4,096² head).
    let (w, s) = (UnsafeRawPointer(weights.baseAddress!), UnsafeRawPointer(scores.baseAddress!))
    let stride = MemoryLayout<Float>.stride
    while index + 8 <= to {
      let lanes = w.loadUnaligned(fromByteOffset: index * stride, as: SIMD8<Float>.self)
      sums += lanes
      maxima.replace(with: lanes, where: lanes .> maxima)  // pointwiseMax was a call per vector
      let zero = lanes .== 0
      if any(zero) {
        let hidden = s.loadUnaligned(fromByteOffset: index * stride, as: SIMD8<Float>.self) .== -.infinity
        masked.replace(with: masked &+ 1, where: zero .& hidden)
      }
      index += 8
    }
    var maskedCount = Int(masked.wrappedSum())
    var sum = sums.sum()
    var largest = maxima.max()
    for position in index..<to {
      let weight = weights[position]
      sum += weight
      largest = max(largest, weight)
      if weight == 0, scores[position] == -.infinity { maskedCount += 1 }
    }
    return (sum, largest, (to - from) - maskedCount)
  }
}

/// The attention screen's pooled grids, kept between frames: a cursor move inside the overview,
/// or coming back to a head, does not pool 16 M entries again. Each AppState owns one (copies
/// share it), like PositionalMemo; nothing is cached process-wide.
public final class AttentionMemo: @unchecked Sendable {
  public init() {}
  struct Key: Hashable {
    var trace: Int
    var kind: Int
    var layer: Int
    var head: Int
    var window: PoolingWindow
    var pooling: String
    var hidesSink: Bool
  }
  // Guarded by `lock`; views may be built off the main thread (tests run in parallel).
  private let lock = NSLock()
  private var grids: [Key: [[Float?]]] = [:]
  private let capacity = 32

  func grid(_ key: Key, compute: () -> [[Float?]]) -> [[Float?]] {
    lock.lock()
    if let hit = grids[key] {
      lock.unlock()
      return hit
    }
    lock.unlock()
    let value = compute()
    lock.lock()
    if grids.count >= capacity { grids.removeAll() }
    grids[key] = value
    lock.unlock()
    return value
  }

  /// Forgets every grid (the benchmark times pooling anew on each run).
  public func removeAll() {
    lock.lock()
    grids.removeAll()
    lock.unlock()
  }
}
