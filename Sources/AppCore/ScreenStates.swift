// The decoding screens' own state, grouped so that what a screen shows and what it asked for sit
import Foundation

// together (AppState holds one of each).

/// Screen 2: the greedy run, the step shown, and the layer and head the decoding screens show.
public struct DecodeScreenState: Sendable {
  public var run: DecodeRun?
  /// Why the host could not decode (e.g. an encoder-only model).
  public var problem: String?
  public var step = 0
  /// Layer and head of the attention rows on screens 2 and 3.
  public var layer = 0
  public var head = 0
  /// Space: the host sends `tick` every `AppState.playInterval` while this is on.
  public var playing = false

  public init(layer: Int = 0, head: Int = 0) {
    self.layer = layer
    self.head = head
  }
}

/// Screens 3 and 4: the width and α asked for, and the run shown (which may be for other
/// settings until the host answers); a failure clears the run so header and body agree.
public struct CompareScreenState: Sendable {
  public var run: CompareRun?
  /// Why the last requested run failed; cleared when the request changes.
  public var problem: String?
  /// The beam width asked for (1…16); opens at the model's decoding policy's width.
  public var width = 4 {
    didSet { if width != oldValue { problem = nil } }
  }
  /// The length penalty α asked for, in tenths so ±0.1 never drifts.
  public var alphaTenths = 0 {
    didSet { if alphaTenths != oldValue { problem = nil } }
  }
  /// Screen 3: the step whose attention both hypotheses show; nil until one is picked, which
  /// means the first divergent step (or step 0).
  public var step: Int?
  /// Screen 4: the selected row of the beam tree.
  public var treeNode = 0

  public init() {}

  public var alpha: Float { Float(alphaTenths) / 10 }

  /// Whether the run shown is the one asked for.
  public var isCurrent: Bool { run.map { $0.width == width && $0.alpha == alpha } ?? false }

  /// What the header says: the shown run's settings, and the asked-for ones while they differ.
  public var settingsLine: String {
    func describe(_ width: Int, _ alpha: Float) -> String {
      "beam width \(width)  α \(String(format: "%.1f", alpha))"
    }
    guard let run, !isCurrent else { return describe(width, alpha) }
    return describe(run.width, run.alpha) + "  (asked: \(width), α \(String(format: "%.1f", alpha)))"
  }
}

/// Screen 8 (ViT models): the image side the host sends, and what is selected on it.
public struct PatchScreenState: Sendable {
  /// nil for text models.
  public var view: PatchView?
  /// The token whose attention is shown: 0 is [CLS], 1 + row·grid + column a patch.
  public var query = 0
  public var layer = 0
  public var source: PatchAttentionSource = .meanOfHeads
  /// Whether the image is dimmed where the selected token does not look.
  public var overlay = true

  public init() {}
}
