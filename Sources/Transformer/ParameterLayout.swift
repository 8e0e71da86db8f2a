// The name and shape of every parameter a config implies (docs/MODEL_FORMAT.md): one list drives
// loading with shape checks, random initialisation and saving.

public struct ParameterSpec: Sendable, Equatable {
  public let name: String
  public let shape: [Int]
}

extension ModelConfig {
  /// Every tensor of the model, in a fixed order.
  public var parameterSpecs: [ParameterSpec] {
    var specs: [ParameterSpec] = []
    func add(_ name: String, _ shape: [Int]) { specs.append(ParameterSpec(name: name, shape: shape)) }
    func linear(_ name: String, out: Int, in input: Int, bias: Bool = true) {
      add("\(name).weight", [out, input])
      if bias { add("\(name).bias", [out]) }
    }
    let options = languageModel
    func layerNorm(_ name: String, width: Int? = nil) {
      add("\(name).weight", [width ?? dModel])
      if (options?.norm ?? .layer) == .layer { add("\(name).bias", [width ?? dModel]) }
    }
    func attention(_ name: String) {
      let (queryWidth, kvWidth) = (numHeads * headDim, numKVHeads * headDim)
      linear("\(name).q_proj", out: queryWidth, in: dModel, bias: attentionBias)
      linear("\(name).k_proj", out: kvWidth, in: dModel, bias: attentionBias)
      linear("\(name).v_proj", out: kvWidth, in: dModel, bias: attentionBias)
      linear("\(name).o_proj", out: dModel, in: queryWidth, bias: options?.outputBias ?? attentionBias)
      if options?.queryKeyNorm == true {
        layerNorm("\(name).q_norm", width: headDim)
        layerNorm("\(name).k_norm", width: headDim)
      }
    }
    func feedForward(_ name: String) {
      if let options, options.gatedFeedForward {
        linear("\(name).gate", out: ffnDim, in: dModel, bias: options.feedForwardBias)
        linear("\(name).up", out: ffnDim, in: dModel, bias: options.feedForwardBias)
        linear("\(name).down", out: dModel, in: ffnDim, bias: options.feedForwardBias)
      } else {
        let bias = options?.feedForwardBias ?? true
        linear("\(name).fc1", out: ffnDim, in: dModel, bias: bias)
        linear("\(name).fc2", out: dModel, in: ffnDim, bias: bias)
      }
    }
    func stack(_ stack: String, layers: Int, vocabulary: Int?, cross: Bool) {
      if let vocabulary { add("\(stack).embed_tokens.weight", [vocabulary, dModel]) }
      if positional == .learned { add("\(stack).embed_positions.weight", [maxPositions, dModel]) }
      if let types = tokenTypeVocabSize, types > 0, vocabulary != nil {
        add("\(stack).embed_token_types.weight", [types, dModel])
      }
      if hasEmbeddingNorm, vocabulary != nil { layerNorm("\(stack).embed_norm") }
      for i in 0..<layers {
        let prefix = "\(stack).layers.\(i)"
        attention("\(prefix).self_attn")
        layerNorm("\(prefix).self_attn_norm")
        if norm == .sandwich { layerNorm("\(prefix).self_attn_post_norm") }
        if cross {
          attention("\(prefix).cross_attn")
          layerNorm("\(prefix).cross_attn_norm")
        }
        feedForward("\(prefix).ffn")
        layerNorm("\(prefix).ffn_norm")
        if norm == .sandwich { layerNorm("\(prefix).ffn_post_norm") }
      }
      if norm != .post { layerNorm("\(stack).final_norm") }
    }
    if architecture == .vision, let vision {
      // ViT: patches projected (a Conv2d with stride P, flattened), a learned [CLS], the encoder and
      // a classification head on [CLS] (Dosovitskiy et al. 2021, eq. 1–4).
      linear("patch_embed", out: dModel, in: vision.patchDimension)
      add("cls_token", [1, dModel])
      stack("encoder", layers: encoderLayers, vocabulary: nil, cross: false)
      linear("classifier", out: vision.classCount, in: dModel)
      return specs
    }
    if architecture.hasEncoder {
      stack("encoder", layers: encoderLayers, vocabulary: encoderVocabSize, cross: false)
    }
    if architecture.hasDecoder {
      stack(
        "decoder", layers: decoderLayers, vocabulary: decoderVocabSize,
        cross: architecture == .encoderDecoder)
    }
    if hasLMHead { linear("lm_head", out: outputVocabSize, in: dModel, bias: lmHeadBias ?? true) }
    return specs
  }
}
