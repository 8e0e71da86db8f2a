// The whole model for training: encoder-decoder, decoder-only or encoder-only, over a batch packed
// row after row (no padding), keeping every cache backward needs (a tape per layer).
import Tensors
import Transformer

struct ModelPass {
  let config: ModelConfig
  let encoder: StackPass?
  let decoder: StackPass?
  let lmHead: LinearPass

  init(config: ModelConfig, parameters: ParameterStore) {
    self.config = config
    let sinusoidal =
      config.positional == .sinusoidal
      ? SinusoidalEncoding.table(positions: config.maxPositions, dimensions: config.dModel) : nil
    encoder =
      config.architecture.hasEncoder
      ? StackPass(
        parameters, stack: "encoder", layerCount: config.encoderLayers, config: config, cross: false,
        sinusoidal: sinusoidal) : nil
    decoder =
      config.architecture.hasDecoder
      ? StackPass(
        parameters, stack: "decoder", layerCount: config.decoderLayers, config: config,
        cross: config.architecture == .encoderDecoder, sinusoidal: sinusoidal) : nil
    lmHead = LinearPass(parameters, "lm_head")
  }

  struct Cache {
    var encoder: StackPass.Cache?
    var decoder: StackPass.Cache?
    var hidden: Tensor  // the lm_head input, [N_out, d]
    var outputSegments: Segments
  }

  /// batch → logits [N_out, V_out], the rows of example e at `outputSegments` (its decoder rows, or
  /// its encoder rows for encoder-only).
  func forward(_ batch: [TrainingExample]) -> (logits: Tensor, cache: Cache) {
    var memory: (Tensor, Segments)?
    var encoderCache: StackPass.Cache?
    if let encoder {
      let ids = batch.map { $0.encoderIDs ?? [] }
      let (output, cache) = encoder.forward(
        ids.flatMap { $0 }, Segments(lengths: ids.map(\.count)), memory: nil)
      (memory, encoderCache) = ((output, cache.segments), cache)
    }
    guard let decoder else {
      let (hidden, segments) = memory!
      return (lmHead.forward(hidden), Cache(encoder: encoderCache, hidden: hidden, outputSegments: segments))
    }
    let ids = batch.map { $0.decoderIDs ?? [] }
    let segments = Segments(lengths: ids.map(\.count))
    let (hidden, decoderCache) = decoder.forward(ids.flatMap { $0 }, segments, memory: memory)
    let cache = Cache(encoder: encoderCache, decoder: decoderCache, hidden: hidden, outputSegments: segments)
    return (lmHead.forward(hidden), cache)  // [N_out, d] → [N_out, V]
  }

  /// dLogits [N_out, V] → every parameter gradient, added into `gradients`. The decoder's
  /// cross-attention gradients arrive at the encoder output as dMemory [N_src, d].
  func backward(_ dLogits: Tensor, _ cache: Cache, _ gradients: GradientBuffer) {
    let dHidden = lmHead.backward(dLogits, input: cache.hidden, gradients)  // [N_out, d]
    var dEncoderOutput: Tensor? = dHidden
    if let decoder, let decoderCache = cache.decoder {
      dEncoderOutput = cache.encoder.map { Tensor(zeros: [$0.segments.rows, config.dModel]) }
      decoder.backward(dHidden, decoderCache, gradients, dMemory: &dEncoderOutput)
    }
    if let encoder, let encoderCache = cache.encoder, let dEncoderOutput {
      var unused: Tensor? = nil
      encoder.backward(dEncoderOutput, encoderCache, gradients, dMemory: &unused)
    }
  }
}
