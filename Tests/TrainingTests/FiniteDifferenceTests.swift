// Backward passes against central finite differences: whole models of every architecture (a sample
// of elements of every parameter tensor plus a directional derivative over the whole tensor), and
// the layers one by one (LayerNorm, masked softmax, attention with grouped K/V heads, GELU, FFN).
// The forward is Float32, so steps are large (1e-3 for models, 1e-2 for single layers) and the
// tolerances mix absolute and relative; the PyTorch tests hold every gradient to 1e-4 absolute.
import Foundation
import Testing

@testable import Tensors
@testable import Training
@testable import Transformer

@Suite struct ModelFiniteDifferenceTests {
  /// Tiny configs covering both norm placements, both position kinds, both activations, MHA, GQA
  /// and MQA, with and without attention biases and embedding scaling.
  static let configs: [String: (String, String)] = [
    "encdec post sinusoidal relu": (
      "encoder-decoder",
      #""positional": "sinusoidal", "norm": "post", "activation": "relu", "scale_embeddings": true"#
    ),
    "encdec pre learned gelu gqa": (
      "encoder-decoder",
      #""num_heads": 4, "num_kv_heads": 2, "positional": "learned", "norm": "pre", "activation": "gelu""#
    ),
    "decoder pre learned gelu mqa nobias": (
      "decoder-only",
      #""num_kv_heads": 1, "positional": "learned", "norm": "pre", "activation": "gelu", "attention_bias": false"#
    ),
    "encoder post learned gelu": (
      "encoder-only",
      #""positional": "learned", "norm": "post", "activation": "gelu", "layer_norm_eps": 1e-12"#
    ),
  ]

  @Test(arguments: configs.keys.sorted())
  func everyParameterTensor(name: String) throws {
    let (architecture, extra) = Self.configs[name]!
    let config = try ModelConfig.tiny(architecture, extra)
    // Random weights moved off the init's symmetric point (LayerNorm 1/0, zero biases).
    var parameters = ParameterStore(randomFor: config, seed: 21)
    var generator = SeededGenerator(seed: 22)
    for spec in config.parameterSpecs {
      parameters.update(spec.name) { t in
        for i in t.scalars.indices { t.scalars[i] += 0.2 * generator.nextNormal() }
      }
    }
    let batch = randomBatch(config, count: 3, seed: 23)
    let (_, gradients, counted) = lossAndGradients(config: config, parameters: parameters, batch: batch)
    func loss(_ store: ParameterStore) -> Double {
      let (logits, _) = ModelPass(config: config, parameters: store).forward(batch)
      return CrossEntropy.lossAndGradient(logits, targets: batch.flatMap(\.targets), scale: 0).sum
        / Double(counted)
    }
    for spec in config.parameterSpecs {
      let values = parameters[spec.name].scalars
      let analytic = gradients[spec.name].scalars
      func lossWith(_ candidate: [Float]) -> Double {
        var store = parameters
        store.update(spec.name) { $0.scalars = candidate }
        return loss(store)
      }
      // The two largest gradients and one random element.
      let ranked = analytic.indices.sorted { abs(analytic[$0]) > abs(analytic[$1]) }
      for index in Set(ranked.prefix(2) + [Int(generator.next() % UInt64(values.count))]) {
        let numeric = Self.difference(analytic[index]) { step in
          centralDifference(values, index, step: step, lossWith)
        }
        expectGradient(
          analytic[index], numeric, absolute: 3e-4, relative: 2e-2, "\(name) \(spec.name)[\(index)]")
      }
      // Directional derivative along a random ±1 direction: every element at once.
      let direction = values.map { _ in generator.next() % 2 == 0 ? Float(1) : -1 }
      let projected = zip(analytic, direction).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
      let numeric = Self.difference(Float(projected)) { h in
        let plus = zip(values, direction).map { $0 + h * $1 }
        let minus = zip(values, direction).map { $0 - h * $1 }
        return (lossWith(plus) - lossWith(minus)) / Double(2 * h)
      }
      expectGradient(
        Float(projected), numeric, absolute: 5e-4, relative: 2e-2, "\(name) \(spec.name) directional")
    }
  }

  /// A central difference with step 1e-3, retried at 2.5e-4 when it disagrees with `analytic` by
  /// more than 2%: a ReLU kink inside ±h spoils one step size, a wrong gradient spoils both.
  static func difference(_ analytic: Float, _ estimate: (Float) -> Double) -> Double {
    let first = estimate(1e-3)
    if abs(first - Double(analytic)) <= 3e-4 + 2e-2 * abs(first) { return first }
    return estimate(2.5e-4)
  }
}

@Suite struct LayerFiniteDifferenceTests {
  /// Checks every element of `values`: central difference of `loss` against `analytic`.
  func checkAll(
    _ what: String, _ values: [Float], _ analytic: [Float], step: Float = 1e-2, absolute: Double = 2e-4,
    relative: Double = 1e-2, _ loss: ([Float]) -> Double, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(values.count == analytic.count, "\(what) sizes", sourceLocation: sourceLocation)
    for i in values.indices {
      let numeric = centralDifference(values, i, step: step, loss)
      expectGradient(
        analytic[i], numeric, absolute: absolute, relative: relative, "\(what)[\(i)]",
        sourceLocation: sourceLocation)
    }
  }

  @Test func layerNorm() {
    var generator = SeededGenerator(seed: 1)
    let (n, d) = (3, 8)
    let x = randomValues(n * d, &generator, scale: 2).map { $0 + 1 }
    let (weight, bias, w) = (
      randomValues(d, &generator), randomValues(d, &generator), randomValues(n * d, &generator)
    )
    func pass(_ weight: [Float], _ bias: [Float]) -> LayerNormPass {
      LayerNormPass(
        ParameterStore(tensors: [
          "ln.weight": Tensor(shape: [d], scalars: weight), "ln.bias": Tensor(shape: [d], scalars: bias),
        ]),
        "ln", epsilon: 1e-5)
    }
    let layer = pass(weight, bias)
    let (_, cache) = layer.forward(Tensor(shape: [n, d], scalars: x))
    let gradients = GradientBuffer(specs: [
      ParameterSpec(name: "ln.weight", shape: [d]), ParameterSpec(name: "ln.bias", shape: [d]),
    ])
    let dx = layer.backward(Tensor(shape: [n, d], scalars: w), cache, gradients).scalars
    let g = gradients.gradients
    checkAll("layernorm dx", x, dx) {
      weightedSum(layer.forward(Tensor(shape: [n, d], scalars: $0)).0.scalars, w)
    }
    checkAll("layernorm dweight", weight, g["ln.weight"].scalars) {
      weightedSum(pass($0, bias).forward(Tensor(shape: [n, d], scalars: x)).0.scalars, w)
    }
    checkAll("layernorm dbias", bias, g["ln.bias"].scalars) {
      weightedSum(pass(weight, $0).forward(Tensor(shape: [n, d], scalars: x)).0.scalars, w)
    }
  }

  @Test(arguments: ["none", "causal", "explicit"])
  func maskedSoftmax(maskKind: String) {
    var generator = SeededGenerator(seed: 2)
    let (rows, columns) = (4, 5)
    // The explicit mask hides all of row 1 (that row is all zeros, so is its gradient).
    let visible = (0..<(rows * columns)).map { $0 / columns != 1 && $0 % 3 != 2 }
    let mask: AttentionMask =
      maskKind == "none" ? .none : maskKind == "causal" ? .causal(offset: 0) : .explicit(visible)
    let scores = randomValues(rows * columns, &generator, scale: 2)
    let w = randomValues(rows * columns, &generator)
    func softmax(_ s: [Float]) -> [Float] {
      Tensor(shape: [rows, columns], scalars: s).softmaxRows(mask: mask).scalars
    }
    let probabilities = softmax(scores)
    var dScores = w
    SoftmaxBackward.rows(probabilities: probabilities, gradient: &dScores, rows: rows, columns: columns)
    for (i, visibleEntry) in (0..<(rows * columns)).map({
      mask.isVisible(query: $0 / columns, key: $0 % columns, keyCount: columns)
    }).enumerated()
    where !visibleEntry {
      #expect(dScores[i] == 0, "masked entry \(i) gets no gradient")
    }
    checkAll("softmax (\(maskKind))", scores, dScores, step: 1e-2, absolute: 1e-4) {
      weightedSum(softmax($0), w)
    }
  }

  /// Grouped-query attention (4 query heads over 2 K/V heads) on a packed batch of two examples:
  /// causal self-attention and cross-attention, every input and parameter element.
  @Test(arguments: [false, true])
  func attention(cross: Bool) throws {
    var config = try ModelConfig.tiny(
      "encoder-only", #""positional": "sinusoidal", "norm": "post", "activation": "relu""#)
    (config.numHeads, config.numKVHeads) = (4, 2)
    let d = config.dModel
    var generator = SeededGenerator(seed: 3)
    var tensors: [String: Tensor] = [:]
    for (projection, out) in [("q_proj", 8), ("k_proj", 4), ("v_proj", 4), ("o_proj", 8)] {
      let inputs = projection == "o_proj" ? 8 : d
      tensors["a.\(projection).weight"] = Tensor(
        shape: [out, inputs], scalars: randomValues(out * inputs, &generator, scale: 0.6))
      tensors["a.\(projection).bias"] = Tensor(
        shape: [out], scalars: randomValues(out, &generator, scale: 0.3))
    }
    let querySegments = Segments(lengths: [3, 2])
    let keySegments = cross ? Segments(lengths: [2, 4]) : querySegments
    let x = randomValues(querySegments.rows * d, &generator)
    let source = randomValues(keySegments.rows * d, &generator)
    let w = randomValues(querySegments.rows * d, &generator)
    func output(_ store: ParameterStore, _ x: [Float], _ source: [Float]) -> [Float] {
      let pass = AttentionPass(store, "a", config: config)
      let input = Tensor(shape: [querySegments.rows, d], scalars: x)
      let memory = cross ? Tensor(shape: [keySegments.rows, d], scalars: source) : nil
      return pass.forward(input, querySegments, over: memory, cross ? keySegments : nil, causal: !cross).0
        .scalars
    }
    let store = ParameterStore(tensors: tensors)
    let pass = AttentionPass(store, "a", config: config)
    let (_, cache) = pass.forward(
      Tensor(shape: [querySegments.rows, d], scalars: x), querySegments,
      over: cross ? Tensor(shape: [keySegments.rows, d], scalars: source) : nil, cross ? keySegments : nil,
      causal: !cross)
    let buffer = GradientBuffer(
      specs: tensors.keys.sorted().map { ParameterSpec(name: $0, shape: tensors[$0]!.shape) })
    let (dx, dSource) = pass.backward(Tensor(shape: [querySegments.rows, d], scalars: w), cache, buffer)
    #expect((dSource == nil) == !cross)
    checkAll("attention dx", x, dx.scalars) { weightedSum(output(store, $0, source), w) }
    if let dSource {
      checkAll("attention dSource", source, dSource.scalars) { weightedSum(output(store, x, $0), w) }
    }
    let gradients = buffer.gradients
    for name in tensors.keys.sorted() {
      checkAll("attention \(name)", tensors[name]!.scalars, gradients[name].scalars) { values in
        var changed = store
        changed.update(name) { $0.scalars = values }
        return weightedSum(output(changed, x, source), w)
      }
    }
  }

  /// The exact GELU derivative against a Double central difference of the erf form; ReLU's is a step.
  @Test func activationDerivatives() {
    func gelu(_ x: Double) -> Double { 0.5 * x * (1 + erf(x / 2.0.squareRoot())) }
    for i in -32...32 {
      let x = Double(i) / 8
      let numeric = (gelu(x + 1e-5) - gelu(x - 1e-5)) / 2e-5
      expectGradient(
        Activation.gelu.derivative(Float(x)), numeric, absolute: 1e-6, relative: 1e-5, "gelu′(\(x))")
    }
    #expect(
      Activation.relu.derivative(-1) == 0 && Activation.relu.derivative(0) == 0
        && Activation.relu.derivative(2) == 1)
  }

  @Test(arguments: [Activation.gelu, .relu])
  func feedForward(activation: Activation) {
    var generator = SeededGenerator(seed: 4)
    let (n, d, f) = (3, 4, 6)
    let tensors = [
      "f.fc1.weight": Tensor(shape: [f, d], scalars: randomValues(f * d, &generator)),
      "f.fc1.bias": Tensor(shape: [f], scalars: randomValues(f, &generator)),
      "f.fc2.weight": Tensor(shape: [d, f], scalars: randomValues(d * f, &generator)),
      "f.fc2.bias": Tensor(shape: [d], scalars: randomValues(d, &generator)),
    ]
    let x = randomValues(n * d, &generator)
    let w = randomValues(n * d, &generator)
    func output(_ store: ParameterStore, _ x: [Float]) -> [Float] {
      FeedForwardPass(store, "f", activation: activation).forward(Tensor(shape: [n, d], scalars: x)).0.scalars
    }
    let store = ParameterStore(tensors: tensors)
    let pass = FeedForwardPass(store, "f", activation: activation)
    let (_, cache) = pass.forward(Tensor(shape: [n, d], scalars: x))
    let buffer = GradientBuffer(
      specs: tensors.keys.sorted().map { ParameterSpec(name: $0, shape: tensors[$0]!.shape) })
    let dx = pass.backward(Tensor(shape: [n, d], scalars: w), cache, buffer)
    // A small step keeps ReLU's pre-activations on one side of the kink.
    checkAll("ffn dx (\(activation))", x, dx.scalars, step: 1e-3, absolute: 1e-3) {
      weightedSum(output(store, $0), w)
    }
    for name in tensors.keys.sorted() {
      checkAll(
        "ffn \(name) (\(activation))", tensors[name]!.scalars, buffer.gradients[name].scalars, step: 1e-3,
        absolute: 1e-3
      ) {
        values in
        var changed = store
        changed.update(name) { $0.scalars = values }
        return weightedSum(output(changed, x), w)
      }
    }
  }
}
