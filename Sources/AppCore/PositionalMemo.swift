// Screen 7 redraws on every key, but its numbers change only when the table does: the last few
// sinusoidal tables and similarity matrices are kept, so a cursor move does not recompute an
// O(n²·d) similarity (tens of milliseconds for a 128×128 table in a debug build). Each AppState
// owns one (copies of a state share it); nothing is cached process-wide.
import Foundation

public final class PositionalMemo: @unchecked Sendable {
  public init() {}
  // Guarded by `lock`; views may be built off the main thread (tests run in parallel).
  private let lock = NSLock()
  private var tables: [[Int]: [[Float]]] = [:]
  private var similarities: [[[Float]]: [[Float]]] = [:]
  private let capacity = 8

  func sinusoidal(positions: Int, dimensions: Int) -> [[Float]] {
    remember(in: \.tables, key: [positions, dimensions]) {
      PositionalEncoding.sinusoidal(positions: positions, dimensions: dimensions)
    }
  }

  func cosineSimilarity(_ rows: [[Float]]) -> [[Float]] {
    remember(in: \.similarities, key: rows) { PositionalEncoding.cosineSimilarity(rows) }
  }

  private func remember<Key: Hashable>(
    in store: ReferenceWritableKeyPath<PositionalMemo, [Key: [[Float]]]>, key: Key, compute: () -> [[Float]]
  ) -> [[Float]] {
    lock.lock()
    if let hit = self[keyPath: store][key] {
      lock.unlock()
      return hit
    }
    lock.unlock()
    let value = compute()
    lock.lock()
    if self[keyPath: store].count >= capacity { self[keyPath: store].removeAll() }
    self[keyPath: store][key] = value
    lock.unlock()
    return value
  }
}
