// A ViT's analysis of one image as screen 8's view model: the model-sized picture, the ranked
// classes and the rollout through every layer.
import AppCore
import Workbench

extension VisionAnalysis {
  public var patchView: PatchView {
    PatchView(
      imageName: imageName, pixels: image.pixels, size: image.width, patchSize: patchSize,
      predictions: top(classNames.count).map {
        PatchView.Prediction(label: $0.name, probability: $0.probability)
      }, rollouts: rollouts)
  }
}
