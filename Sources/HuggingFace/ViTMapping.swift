// ViT (transformers' models/vit/modeling_vit.py: ViTEmbeddings, ViTPatchEmbeddings, ViTLayer,
// ViTModel, ViTForImageClassification): a Conv2d patch embedding [d, C, P, P] (flattened to the
// engine's [d, C·P·P] — the same (channel, row, column) order as VisionTransformer.patches), a
// learned [CLS] and position table, pre-LayerNorm layers (layernorm_before / layernorm_after), a
// final layernorm and the classifier on [CLS]. Both the hub's names (encoder.layer.N.attention.
// attention.query) and transformers 5's renamed ones (layers.N.attention.q_proj) are read.
import Foundation
import Transformer

struct ViTMapping: WeightMapping {
  static let modelType = "vit"
  /// "vit." (ViTForImageClassification) or "" (ViTModel).
  let prefix: String
  /// qkv_bias false: the query/key/value projections have no bias (zeros here); the output has one.
  let qkvBias: Bool
  /// ViTModel has none: the "logits" are then the final [CLS] state (an identity head).
  let hasClassifier: Bool

  static func config(_ json: HFJSON, preprocessor: HFJSON?, hasClassifier: Bool) throws(ModelError)
    -> ModelConfig
  {
    let d = try json.requiredSize("hidden_size", in: ConfigLimits.width)
    let imageSize = try json.size("image_size", in: ConfigLimits.imageSize, default: 224)
    let patchSize = try json.size("patch_size", in: ConfigLimits.patchSize, default: 16)
    guard patchSize > 0, imageSize % patchSize == 0 else {
      throw ModelError("config.json: patch_size \(patchSize) does not divide image_size \(imageSize)")
    }
    let patches = (imageSize / patchSize) * (imageSize / patchSize)
    var config = try HFConfigBuilder.base(
      .vision, d: d, heads: try json.requiredSize("num_attention_heads", in: ConfigLimits.heads),
      ffn: try json.requiredSize("intermediate_size", in: ConfigLimits.feedForward),
      positions: patches + 1)
    config.encoderLayers = try json.requiredSize("num_hidden_layers", in: ConfigLimits.layers)
    config.positional = .learned
    config.norm = .pre
    config.activation = try HFActivation.parse(try json.string("hidden_act") ?? "gelu", key: "hidden_act")
    config.layerNormEps = Float(try json.double("layer_norm_eps") ?? 1e-12)
    let channels = try json.size("num_channels", in: ConfigLimits.channels, default: 3)
    if !hasClassifier {
      // ViTModel reports its [CLS] state through a computed identity head [d, d].
      try ConfigLimits.checkComputedTable("the identity head of a ViTModel", rows: d, columns: d)
    }
    let names = hasClassifier ? try classNames(json) : (0..<d).map { "h\($0)" }
    var mean: [Float] = Array(repeating: 0.5, count: channels)
    var std: [Float] = Array(repeating: 0.5, count: channels)
    if let preprocessor {
      (mean, std) = try normalization(preprocessor, mean: mean, std: std)
      if let size = preprocessor.object("size"), let height = try size.int("height"), height != imageSize {
        throw ModelError(
          "preprocessor_config.json: size \(height) differs from config.json's image_size \(imageSize)")
      }
    }
    config.vision = VisionSettings(
      imageSize: imageSize, patchSize: patchSize, channels: channels, classNames: names, imageMean: mean,
      imageStd: std)
    return config
  }

  /// ViTImageProcessor's rescale then normalise, v = (pixel · rescale_factor − mean) / std (each
  /// step only when do_rescale / do_normalize, default true), folded into the engine's one
  /// normalisation of samples s = pixel / 255: with k = 255 · rescale_factor (255 without rescaling),
  /// v = (s − mean / k) / (std / k); without normalising, mean 0 and std 1.
  static func normalization(_ preprocessor: HFJSON, mean: [Float], std: [Float]) throws(ModelError)
    -> (mean: [Float], std: [Float])
  {
    var mean = try floats(preprocessor, "image_mean") ?? mean
    var std = try floats(preprocessor, "image_std") ?? std
    if try preprocessor.bool("do_normalize") == false {
      mean = mean.map { _ in 0 }
      std = std.map { _ in 1 }
    }
    var scale = 1.0
    if try preprocessor.bool("do_rescale") ?? true {
      let factor = try preprocessor.double("rescale_factor") ?? 1.0 / 255
      guard factor > 0, factor.isFinite else {
        throw ModelError(
          "preprocessor_config.json: \"rescale_factor\" must be a positive number, found \(factor)")
      }
      scale = 255 * factor
    } else {
      scale = 255
    }
    if abs(scale - 1) < 1e-9 { return (mean, std) }  // the usual 1/255: samples already are pixel / 255
    return (mean.map { Float(Double($0) / scale) }, std.map { Float(Double($0) / scale) })
  }

  /// id2label in id order; every id 0..<n must be present.
  static func classNames(_ json: HFJSON) throws(ModelError) -> [String] {
    guard let members = json.value["id2label"]?.objectMembers, !members.isEmpty else {
      throw ModelError("config.json: a ViT classifier needs \"id2label\"")
    }
    try ConfigLimits.check(members.count, in: ConfigLimits.classes, key: "id2label (its entry count)")
    var names = [String?](repeating: nil, count: members.count)
    for member in members {
      guard let id = Int(member.key), names.indices.contains(id), let name = member.value.stringValue else {
        throw ModelError("config.json: id2label key \"\(member.key)\" is not an id 0..<\(members.count)")
      }
      names[id] = name
    }
    return names.map { $0 ?? "?" }
  }

  static func floats(_ json: HFJSON, _ key: String) throws(ModelError) -> [Float]? {
    guard let list = json.value[key]?.arrayValue else { return nil }
    var values: [Float] = []
    for item in list {
      guard let number = item.numberValue else {
        throw ModelError("\(json.file): \"\(key)\" must list numbers")
      }
      values.append(Float(number.doubleValue))
    }
    return values
  }

  func recipe(for parameter: String) -> Recipe? {
    let p = prefix
    switch parameter {
    case "patch_embed.weight":
      return Recipe(source: .tensor(["\(p)embeddings.patch_embeddings.projection.weight"]), reshape: true)
    case "patch_embed.bias": return .named("\(p)embeddings.patch_embeddings.projection.bias")
    case "cls_token": return Recipe(source: .tensor(["\(p)embeddings.cls_token"]), reshape: true)
    case "encoder.embed_positions.weight":
      return Recipe(source: .tensor(["\(p)embeddings.position_embeddings"]), reshape: true)
    case "encoder.final_norm.weight": return .named("\(p)layernorm.weight")
    case "encoder.final_norm.bias": return .named("\(p)layernorm.bias")
    case "classifier.weight": return hasClassifier ? .named("classifier.weight") : Recipe(source: .identity)
    case "classifier.bias": return hasClassifier ? .named("classifier.bias") : Recipe(source: .zeros)
    default: break
    }
    guard let (i, rest) = parameter.layerPart(after: "encoder.layers.") else { return nil }
    let (old, new) = ("\(p)encoder.layer.\(i)", "\(p)layers.\(i)")
    let parts = rest.split(separator: ".").map(String.init)
    guard parts.count >= 2, let kind = parts.last else { return nil }
    let module = parts.dropLast().joined(separator: ".")
    let names: [String: (old: String, new: String)] = [
      "self_attn.q_proj": ("attention.attention.query", "attention.q_proj"),
      "self_attn.k_proj": ("attention.attention.key", "attention.k_proj"),
      "self_attn.v_proj": ("attention.attention.value", "attention.v_proj"),
      "self_attn.o_proj": ("attention.output.dense", "attention.o_proj"),
      "ffn.fc1": ("intermediate.dense", "mlp.fc1"), "ffn.fc2": ("output.dense", "mlp.fc2"),
      "self_attn_norm": ("layernorm_before", "layernorm_before"),
      "ffn_norm": ("layernorm_after", "layernorm_after"),
    ]
    guard let source = names[module] else { return nil }
    if !qkvBias, kind == "bias",
      ["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj"].contains(module)
    {
      return Recipe(source: .zeros)
    }
    return .named("\(old).\(source.old).\(kind)", "\(new).\(source.new).\(kind)")
  }

  func isIgnored(_ tensor: String) -> Bool {
    // ViTModel's pooler (dense + tanh) and the masked-image-modelling token are not used.
    tensor.hasPrefix("\(prefix)pooler.") || tensor.hasSuffix("embeddings.mask_token")
  }
}

extension ViTMapping: ArchitectureFamily {
  /// Also reads preprocessor_config.json (image size, mean and std) when the folder has one.
  static func engine(_ json: HFJSON, checkpoint: any CheckpointTensors, folder: URL) throws(ModelError)
    -> (config: ModelConfig, mapping: any WeightMapping)
  {
    let preprocessorPath = folder.appendingPathComponent("preprocessor_config.json").path
    let preprocessor =
      FileManager.default.fileExists(atPath: preprocessorPath)
      ? try HFJSON.load(folder, "preprocessor_config.json") : nil
    let hasClassifier = checkpoint.contains("classifier.weight")
    let config = try config(json, preprocessor: preprocessor, hasClassifier: hasClassifier)
    let mapping = ViTMapping(
      prefix: checkpoint.names.contains { $0.hasPrefix("vit.") } ? "vit." : "",
      qkvBias: try json.bool("qkv_bias") ?? true, hasClassifier: hasClassifier)
    return (config, mapping)
  }
}
