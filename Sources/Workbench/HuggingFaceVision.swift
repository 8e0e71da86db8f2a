// A Hugging Face ViT folder (config.json "model_type": "vit", model.safetensors,
// preprocessor_config.json) as a LoadedVisionModel: the HuggingFace module maps the checkpoint onto
// attnscope's VisionTransformer and reads the image mean/std from the preprocessor config.
import Foundation
import HuggingFace
import Transformer

extension LoadedVisionModel {
  /// Loads a ViTForImageClassification (class names from id2label) or a ViTModel (no classifier:
  /// the "logits" are then the final [CLS] state, one value per hidden dimension).
  public init(huggingFaceFolder folder: String, name: String? = nil) throws(ModelError) {
    let hf = try HuggingFaceModel(folder: URL(fileURLWithPath: folder))
    let model = try hf.visionTransformer()
    self.name = name ?? URL(fileURLWithPath: folder).lastPathComponent
    self.folder = folder
    config = hf.config
    self.model = model
    resizesLikePillow = true  // ViTImageProcessor resizes with Pillow's BILINEAR
  }
}
