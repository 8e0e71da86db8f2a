// The BLAS attention kernels (strided head views, grouped K/V heads) against their plain-loop
// references on awkward shapes: one-token examples, n_q ≠ n_k, 6 query heads over 3, 2 or 1 K/V
// heads with dk = 3 (STYLE.md point 3, llm.c's naive-beside-fast pairing).
import Foundation
import TestSupport
import Testing

@testable import Tensors
@testable import Training
@testable import Transformer

@Suite struct AttentionReferenceTests {
  @Test(arguments: [3, 2, 1], [false, true])
  func blasMatchesReference(kvHeads: Int, cross: Bool) throws {
    var config = try ModelConfig.tiny(
      "encoder-only", #""positional": "learned", "norm": "pre", "activation": "gelu""#)
    (config.dModel, config.numHeads, config.numKVHeads) = (18, 6, kvHeads)
    let (d, kvWidth) = (18, kvHeads * 3)
    var generator = SeededGenerator(seed: UInt64(10 + kvHeads))
    var tensors: [String: Tensor] = [:]
    for (projection, out, inputs) in [
      ("q_proj", d, d), ("k_proj", kvWidth, d), ("v_proj", kvWidth, d), ("o_proj", d, d),
    ] {
      tensors["a.\(projection).weight"] = Tensor(
        shape: [out, inputs], scalars: randomValues(out * inputs, &generator, scale: 0.4))
      tensors["a.\(projection).bias"] = Tensor(
        shape: [out], scalars: randomValues(out, &generator, scale: 0.2))
    }
    let store = ParameterStore(tensors: tensors)
    let querySegments = Segments(lengths: [1, 4, 7])
    let keySegments = cross ? Segments(lengths: [5, 1, 2]) : querySegments
    let x = Tensor(shape: [querySegments.rows, d], scalars: randomValues(querySegments.rows * d, &generator))
    let source = Tensor(
      shape: [keySegments.rows, d], scalars: randomValues(keySegments.rows * d, &generator))
    let dy = Tensor(
      shape: [querySegments.rows, d], scalars: randomValues(querySegments.rows * d, &generator))
    let specs = tensors.keys.sorted().map { ParameterSpec(name: $0, shape: tensors[$0]!.shape) }

    func run(reference: Bool) -> (y: Tensor, dx: Tensor, dSource: Tensor?, gradients: Gradients) {
      var pass = AttentionPass(store, "a", config: config)
      pass.reference = reference
      let (y, cache) = pass.forward(
        x, querySegments, over: cross ? source : nil, cross ? keySegments : nil, causal: !cross)
      let buffer = GradientBuffer(specs: specs)
      let (dx, dSource) = pass.backward(dy, cache, buffer)
      return (y, dx, dSource, buffer.gradients)
    }
    let (fast, slow) = (run(reference: false), run(reference: true))
    let what = "kv heads \(kvHeads), \(cross ? "cross" : "causal self")"
    expectClose(fast.y.scalars, slow.y.scalars, tolerance: 1e-5, "\(what): output")
    expectClose(fast.dx.scalars, slow.dx.scalars, tolerance: 1e-5, "\(what): dx")
    expectClose(fast.dSource?.scalars ?? [], slow.dSource?.scalars ?? [], tolerance: 1e-5, "\(what): dSource")
    for spec in specs {
      // Weight gradients sum over every row, so they reach ~15 here: float32's rounding grows with
      // the magnitude (and with the BLAS kernel's summation order, which differs between CPUs).
      let expected = slow.gradients[spec.name].scalars
      let scale = max(1, expected.map(abs).max() ?? 0)
      expectClose(
        fast.gradients[spec.name].scalars, expected, tolerance: 1e-5 * scale, "\(what): \(spec.name)")
    }
  }
}
