// A long input's trace computed a layer at a time (issue 17): one forward pass records nothing but
// keeps the input hidden states of every k-th layer (checkpoints, n × d floats each, k chosen to fit
// a budget, as gradient checkpointing keeps activations: Chen et al. 2016, "Training Deep Nets with
// Sublinear Memory Cost"). An entry asked for later is recomputed from the nearest checkpoint below
// its layer by the same layer code, so its numbers are those a recording pass gives; one head alone
// costs one head's n_q × n_k. Computed entries stay in a cache bounded in bytes.
import Foundation
import Tensors
import Trace

/// How much a trace computed on demand may keep.
public struct OnDemandBudget: Sendable {
  /// Bytes of layer-input checkpoints (at least the first layer's input is always kept).
  public var checkpointBytes: Int
  /// Bytes of computed entries kept for the next request (the last one is always kept).
  public var cacheBytes: Int

  public init(checkpointBytes: Int, cacheBytes: Int) {
    self.checkpointBytes = checkpointBytes
    self.cacheBytes = cacheBytes
  }

  /// 128 MB of checkpoints (every layer of GPT-2 small at 1,024 tokens; every third of a 0.5 B
  /// LLM at 4,096) and 192 MB of entries: GPT-2 small's whole layers at 1,024 tokens (96 MB with
  /// their vectors) two at a time, a 0.5 B LLM's heads at 4,096 (128 MB each) one at a time — at
  /// 256 MB two of those fitted exactly, and the viewer passed 1.5 GB.
  public static let standard = OnDemandBudget(checkpointBytes: 128 << 20, cacheBytes: 192 << 20)
}

public final class LayerwiseAttention: AttentionSource, @unchecked Sendable {
  /// One stack's run: its labels, the checkpoints, the memory its cross-attention reads.
  struct StackRun {
    let stack: TransformerStack
    let labels: [String]
    let memory: (output: Tensor, labels: [String])?
    /// Layer index → that layer's input [n, d].
    let checkpoints: [Int: Tensor]
  }

  public let layout: [AttentionLayout]
  public let nonFiniteNotice: String?
  let runs: [AttentionStack: StackRun]
  let recordsVectors: Bool
  let budget: OnDemandBudget
  // Guarded by `lock`: the viewer may ask from its effect thread while another request computes.
  let lock = NSLock()
  /// Whole entries (head nil) and single heads, most recently used last.
  var cache: [CacheKey: AttentionEntry] = [:]
  var recent: [CacheKey] = []
  /// The last layer input computed past a checkpoint, so stepping one layer up costs one layer.
  var lastInput: (stack: AttentionStack, layer: Int, input: Tensor)?

  /// Runs `model` once on the ids (as `forward` does, without the output head) and keeps what
  /// recomputing any entry needs.
  public init(
    model: TransformerModel, encoderIDs: [Int]? = nil, decoderIDs: [Int]? = nil,
    labels: TokenLabels = TokenLabels(), recordsVectors: Bool = false, budget: OnDemandBudget = .standard
  ) throws(ModelError) {
    var runs: [AttentionStack: StackRun] = [:]
    var layout: [AttentionLayout] = []
    var firstNonFinite: (AttentionStack, Int)?
    var memory: (output: Tensor, labels: [String])?
    let config = model.config
    for (stack, ids) in [(model.encoder, encoderIDs), (model.decoder, decoderIDs)] {
      guard let stack else { continue }
      let role = stack.role
      let checked = try config.checkedIDs(
        ids, "\(role.rawValue) input",
        vocabulary: role == .encoder ? config.encoderVocabSize : config.decoderVocabSize)
      let names = (role == .encoder ? labels.encoder : labels.decoder) ?? checked.map(String.init)
      let stackMemory = role == .decoder ? memory : nil
      var x = stack.embed(checked)  // [n, d]
      let bytesPerInput = max(1, x.count * MemoryLayout<Float>.size)
      let spacing = max(1, stack.layers.count * bytesPerInput / max(1, budget.checkpointBytes) + 1)
      var checkpoints: [Int: Tensor] = [:]
      for (index, layer) in stack.layers.enumerated() {
        if index % spacing == 0 { checkpoints[index] = x }
        let sites = stack.sites(layer: index, labels: names, memoryLabels: stackMemory?.labels)
        layout.append(contentsOf: layer.attentionLayouts(sites))
        x = layer(x, memory: stackMemory?.output, sites: sites, recorder: nil)
        if firstNonFinite == nil, x.scalars.contains(where: { !$0.isFinite }) {
          firstNonFinite = (role, index)
        }
      }
      runs[role] = StackRun(stack: stack, labels: names, memory: stackMemory, checkpoints: checkpoints)
      if role == .encoder { memory = (stack.finalNorm.map { $0(x) } ?? x, names) }
    }
    self.runs = runs
    self.layout = layout
    self.recordsVectors = recordsVectors
    self.budget = budget
    nonFiniteNotice = firstNonFinite.map { stack, layer in
      "the model's activations overflowed (NaN or ∞ in the \(stack.rawValue)'s layer \(layer + 1) output):"
        + " attention from there on may be non-finite, shown as such and exported as null"
    }
  }

  struct CacheKey: Hashable {
    let index: Int
    let head: Int?
  }

  public func isReady(_ index: Int) -> Bool {
    lock.lock()
    defer { lock.unlock() }
    return cache[CacheKey(index: index, head: nil)] != nil
  }

  public func isReady(_ index: Int, head: Int) -> Bool {
    lock.lock()
    defer { lock.unlock() }
    return cache[CacheKey(index: index, head: head)] != nil || cache[CacheKey(index: index, head: nil)] != nil
  }

  public func entry(at index: Int) -> AttentionEntry {
    lock.lock()
    defer { lock.unlock() }
    let key = CacheKey(index: index, head: nil)
    if let entry = cache[key] { return touch(key, entry) }
    let place = layout[index]
    makeRoom(for: place.heads * place.cellsPerHead * 2 * MemoryLayout<Float>.size)
    let run = runs[place.stack]!
    let recorder = AttentionRecorder(recordsVectors: recordsVectors)
    let input = layerInput(run, place.layer)
    run.stack.layers[place.layer].recordAttention(
      input, memory: run.memory?.output,
      sites: run.stack.sites(layer: place.layer, labels: run.labels, memoryLabels: run.memory?.labels),
      recorder: recorder)
    // The layer recorded its self- and cross-attention: keep both (their indices are adjacent).
    var result: AttentionEntry?
    for recorded in recorder.entries {
      guard let found = layout.indices.first(where: { matches(layout[$0], recorded) }) else { continue }
      let foundKey = CacheKey(index: found, head: nil)
      cache[foundKey] = recorded
      if found == index { result = recorded }
      _ = touch(foundKey, recorded)
    }
    return touch(key, result!)
  }

  public func entry(at index: Int, head: Int) -> AttentionEntry {
    lock.lock()
    defer { lock.unlock() }
    let key = CacheKey(index: index, head: head)
    if let entry = cache[key] { return touch(key, entry) }
    if let whole = cache[CacheKey(index: index, head: nil)] { return whole.cut(toHead: head) }
    let place = layout[index]
    makeRoom(for: place.cellsPerHead * 2 * MemoryLayout<Float>.size)
    let run = runs[place.stack]!
    let layer = run.stack.layers[place.layer]
    let input = layerInput(run, place.layer)
    let (scores, probabilities): ([Float], [Float])
    if place.kind == .cross, let (attention, norm) = layer.crossAttention, let memory = run.memory {
      let sites = run.stack.sites(layer: place.layer, labels: run.labels, memoryLabels: memory.labels)
      let h = layer.selfAttentionResidual(input, site: sites.selfAttention, recorder: nil)
      let queries = attention.queries(layer.placement == .post ? h : norm(h), positionOffset: 0)
      (scores, probabilities) = attention.headAttention(
        queries, keys: attention.keys(memory.output, positionOffset: 0), mask: .none, head: head)
    } else {
      let normed = layer.selfAttentionInput(input)
      let attention = layer.selfAttention
      (scores, probabilities) = attention.headAttention(
        attention.queries(normed, positionOffset: 0), keys: attention.keys(normed, positionOffset: 0),
        mask: layer.selfMask(0), head: head)
    }
    let entry = AttentionEntry(
      stack: place.stack, kind: place.kind, layer: place.layer, heads: 1, queries: place.queries,
      keys: place.keys, weights: probabilities, scores: scores)
    cache[key] = entry
    return touch(key, entry)
  }

  func matches(_ layout: AttentionLayout, _ entry: AttentionEntry) -> Bool {
    layout.stack == entry.stack && layout.kind == entry.kind && layout.layer == entry.layer
  }

  /// Layer `layer`'s input: from the nearest checkpoint (or the last input computed) below it.
  func layerInput(_ run: StackRun, _ layer: Int) -> Tensor {
    let start = run.checkpoints.keys.filter { $0 <= layer }.max() ?? 0
    var (from, x) = (start, run.checkpoints[start]!)
    if let last = lastInput, last.stack == run.stack.role, last.layer <= layer, last.layer > start {
      (from, x) = (last.layer, last.input)
    }
    for index in from..<layer {
      let sites = run.stack.sites(layer: index, labels: run.labels, memoryLabels: run.memory?.labels)
      x = run.stack.layers[index](x, memory: run.memory?.output, sites: sites, recorder: nil)
    }
    if layer > start { lastInput = (run.stack.role, layer, x) }
    return x
  }

  /// Evicts the oldest entries until `bytes` more fit the budget, before computing them: the cache
  /// never holds its budget and a new entry at once (a 0.5 B LLM's head at 4,096 tokens is 134 MB,
  /// and at the peak of a step the one being replaced would otherwise still be held).
  func makeRoom(for bytes: Int) {
    var total = recent.reduce(0) { $0 + (cache[$1].map(Self.bytes) ?? 0) }
    while total + bytes > budget.cacheBytes, let oldest = recent.first {
      recent.removeFirst()
      total -= cache[oldest].map(Self.bytes) ?? 0
      cache[oldest] = nil
    }
  }

  /// Marks `index` most recently used and evicts the oldest entries past the byte budget (the
  /// newest is kept whatever its size).
  func touch(_ key: CacheKey, _ entry: AttentionEntry) -> AttentionEntry {
    recent.removeAll { $0 == key }
    recent.append(key)
    var total = recent.reduce(0) { $0 + (cache[$1].map(Self.bytes) ?? 0) }
    while total > budget.cacheBytes, recent.count > 1 {
      let oldest = recent.removeFirst()
      total -= cache[oldest].map(Self.bytes) ?? 0
      cache[oldest] = nil
    }
    return entry
  }

  static func bytes(_ entry: AttentionEntry) -> Int {
    let vectors =
      entry.vectors.map { $0.queries.count + $0.keys.count + $0.values.count + $0.outputs.count } ?? 0
    return (entry.weights.count + entry.scores.count + vectors) * MemoryLayout<Float>.size
  }
}

extension TransformerStack {
  /// The trace tags of layer `layer`'s attention calls (cross-attention where there is a memory).
  func sites(layer index: Int, labels: [String], memoryLabels: [String]?) -> LayerSites {
    LayerSites(
      selfAttention: AttentionSite(
        stack: role, kind: selfAttentionKind, layer: index, queryLabels: labels, keyLabels: labels),
      crossAttention: memoryLabels.map {
        AttentionSite(stack: role, kind: .cross, layer: index, queryLabels: labels, keyLabels: $0)
      })
  }
}

extension TransformerLayer {
  /// What the self-attention reads of the layer input: x itself (post-norm) or N(x).
  func selfAttentionInput(_ x: Tensor) -> Tensor {
    placement == .post ? x : selfAttentionNorm(x)
  }

  /// x after the self-attention sublayer and its residual connection (as `callAsFunction`).
  func selfAttentionResidual(_ x: Tensor, site: AttentionSite, recorder: AttentionRecorder?) -> Tensor {
    residual(x, selfAttentionNorm, selfAttentionPostNorm) {
      selfAttention($0, over: $0, mask: selfMask(0), site: site, recorder: recorder)
    }
  }

  /// Records this layer's attention on its input `x` (self, then cross), as a full forward pass
  /// records it; the feed-forward is skipped, since nothing after it is recorded.
  func recordAttention(_ x: Tensor, memory: Tensor?, sites: LayerSites, recorder: AttentionRecorder) {
    let h = selfAttentionResidual(x, site: sites.selfAttention, recorder: recorder)
    if let (attention, norm) = crossAttention, let memory, let site = sites.crossAttention {
      _ = attention(
        placement == .post ? h : norm(h), over: memory, mask: .none, site: site, recorder: recorder)
    }
  }

  /// The layouts of the entries this layer records under `sites`.
  func attentionLayouts(_ sites: LayerSites) -> [AttentionLayout] {
    let selfLayout = AttentionLayout(
      stack: sites.selfAttention.stack, kind: sites.selfAttention.kind, layer: sites.selfAttention.layer,
      heads: selfAttention.heads, keyValueHeads: selfAttention.groupedKeyValueHeads,
      queries: sites.selfAttention.queryLabels, keys: sites.selfAttention.keyLabels)
    guard let (attention, _) = crossAttention, let site = sites.crossAttention else { return [selfLayout] }
    return [
      selfLayout,
      AttentionLayout(
        stack: site.stack, kind: site.kind, layer: site.layer, heads: attention.heads,
        keyValueHeads: attention.groupedKeyValueHeads, queries: site.queryLabels, keys: site.keyLabels),
    ]
  }
}
