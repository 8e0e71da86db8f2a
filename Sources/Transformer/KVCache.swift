// Key/value caches for incremental decoding: one growing cache per decoder layer (a value type, so a
// beam copies it by assignment) and the cross-attention keys/values computed once per source
// (mlx-swift-lm's KVCacheSimple: per-layer cache with append; Pope et al. 2022 on KV caching).
import Tensors

/// The self-attention keys and values of every position decoded so far in one decoder layer.
public struct LayerKVCache: Sendable, Equatable {
  public private(set) var keys: Tensor  // [n, Hkv·dk]
  public private(set) var values: Tensor  // [n, Hkv·dk]

  public init(width: Int) {
    keys = Tensor(zeros: [0, width])
    values = Tensor(zeros: [0, width])
  }

  /// Positions cached so far.
  public var length: Int { keys.shape[0] }

  /// Appends the keys and values of new positions, [m, Hkv·dk] each.
  public mutating func append(keys newKeys: Tensor, values newValues: Tensor) {
    precondition(newKeys.shape == newValues.shape, "keys \(newKeys.shape) vs values \(newValues.shape)")
    precondition(newKeys.columns == keys.columns, "cache width \(keys.columns) vs \(newKeys.columns)")
    let rows = length + newKeys.rows
    keys = Tensor(shape: [rows, keys.columns], scalars: keys.scalars + newKeys.scalars)
    values = Tensor(shape: [rows, values.columns], scalars: values.scalars + newValues.scalars)
  }

  /// An independent copy (the struct already copies on assignment; this names the intent).
  public func copy() -> LayerKVCache { self }
}

/// The encoder's output projected to cross-attention keys and values for every decoder layer,
/// computed once per source and shared (copy-on-write) by every hypothesis decoded from it.
public struct CrossKVCache: Sendable {
  public let keys: [Tensor]  // per layer, [n_src, Hkv·dk]
  public let values: [Tensor]  // per layer, [n_src, Hkv·dk]
  /// The encoder output [n_src, d] and its token labels (the keys of cross-attention).
  public let memory: Tensor
  public let labels: [String]
}

/// Everything a decoder needs to continue a prefix: one self-attention cache per layer and the
/// labels of the positions seen so far (the key labels of the next step's masked attention).
public struct DecoderCache: Sendable, Equatable {
  public var layers: [LayerKVCache]
  public var labels: [String]

  public init(layers: Int, width: Int) {
    self.layers = Array(repeating: LayerKVCache(width: width), count: layers)
    labels = []
  }

  /// Positions decoded so far.
  public var length: Int { labels.count }

  public func copy() -> DecoderCache { self }
}
