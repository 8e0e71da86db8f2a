// The training path against the references: its forward against the inference engine, its loss and
// every gradient against PyTorch autograd (scripts/make_gradient_fixtures.py), AdamW and clipping
// against torch.optim.AdamW and clip_grad_norm_.
import Foundation
import Safetensors
import TestSupport
import Testing

@testable import Tensors
@testable import Training
@testable import Transformer

@Suite struct PyTorchTests {
  /// The packed training forward gives every example the logits `TransformerModel.forward` gives it
  /// alone (the parity models, each fixture example, packed with a second copy in between).
  @Test(arguments: Fixtures.models)
  func trainingForwardMatchesInference(name: String) throws {
    let (config, parameters) = try Fixtures.model(name)
    let batch = try Fixtures.batch(Fixtures.file("\(name)/gradients.safetensors"))
    let packed = [batch[0], batch[1], batch[0]]
    let (logits, cache) = ModelPass(config: config, parameters: parameters).forward(packed)
    let model = TransformerModel(config: config, parameters: parameters)
    for (e, example) in packed.enumerated() {
      let expected = try model.forward(encoderIDs: example.encoderIDs, decoderIDs: example.decoderIDs).logits
      let (start, length) = (cache.outputSegments.starts[e], cache.outputSegments.lengths[e])
      expectClose(
        logits.rows(start..<(start + length)).scalars, expected.scalars, tolerance: 1e-5,
        "\(name) example \(e) logits")
    }
  }

  @Test(arguments: Fixtures.models)
  func lossAndGradientsMatchPyTorch(name: String) throws {
    let (config, parameters) = try Fixtures.model(name)
    let expected = try Fixtures.file("\(name)/gradients.safetensors")
    let batch = try Fixtures.batch(expected)
    for threads in [1, 2] {
      let (loss, gradients, counted) = lossAndGradients(
        config: config, parameters: parameters, batch: batch, threads: threads)
      #expect(counted == (try expected.integers("counted_tokens")).first)
      expectClose([loss], try expected.floats("loss"), tolerance: 1e-5, "\(name) loss")
      #expect(Set(gradients.tensors.keys) == Set(parameters.tensors.keys))
      for spec in config.parameterSpecs {
        let reference = try Fixtures.tensor(expected, "grad.\(spec.name)")
        #expect(gradients[spec.name].shape == reference.shape, "\(spec.name) shape")
        expectClose(
          gradients[spec.name].scalars, reference.scalars, tolerance: 1e-4,
          "\(name) grad.\(spec.name) (\(threads) threads)")
      }
    }
    let (logits, cache) = ModelPass(config: config, parameters: parameters).forward(batch)
    for e in batch.indices {
      let (start, length) = (cache.outputSegments.starts[e], cache.outputSegments.lengths[e])
      expectClose(
        logits.rows(start..<(start + length)).scalars, try expected.floats("logits.example\(e)"),
        tolerance: 1e-5,
        "\(name) logits.example\(e)")
    }
  }

  @Test func adamWMatchesPyTorch() throws {
    let file = try Fixtures.file("adamw.safetensors")
    func hyperparameter(_ key: String) throws -> Float {
      try #require(file.metadata["adamw.\(key)"].flatMap(Float.init))
    }
    let gradient = try Fixtures.tensor(file, "adamw.grad")
    var parameters = ParameterStore(tensors: ["p": try Fixtures.tensor(file, "adamw.param")])
    let gradients = Gradients(tensors: ["p": gradient])
    var optimizer = AdamW(
      learningRate: try hyperparameter("lr"), beta1: try hyperparameter("beta1"),
      beta2: try hyperparameter("beta2"),
      epsilon: try hyperparameter("eps"), weightDecay: try hyperparameter("weight_decay"))
    optimizer.step(&parameters, gradients)
    expectClose(
      parameters["p"].scalars, try file.floats("adamw.after1"), tolerance: 1e-6, "AdamW after 1 step")
    optimizer.step(&parameters, gradients)
    optimizer.step(&parameters, gradients)
    expectClose(
      parameters["p"].scalars, try file.floats("adamw.after3"), tolerance: 1e-6, "AdamW after 3 steps")
    #expect(optimizer.stepCount == 3)
  }

  @Test func clippingMatchesPyTorch() throws {
    let file = try Fixtures.file("adamw.safetensors")
    var gradients = Gradients(tensors: [
      "a": try Fixtures.tensor(file, "clip.grads.a"), "b": try Fixtures.tensor(file, "clip.grads.b"),
    ])
    let total = clipGradients(&gradients, maxNorm: 1)
    expectClose([total], try file.floats("clip.total_norm"), tolerance: 1e-5, "clip total norm")
    expectClose(gradients["a"].scalars, try file.floats("clip.clipped.a"), tolerance: 1e-6, "clip a")
    expectClose(gradients["b"].scalars, try file.floats("clip.clipped.b"), tolerance: 1e-6, "clip b")
    // Under the limit nothing changes.
    let before = gradients
    let norm = clipGradients(&gradients, maxNorm: 10)
    #expect(abs(norm - 1) < 1e-4)
    #expect(gradients["a"] == before["a"] && gradients["b"] == before["b"])
  }
}
