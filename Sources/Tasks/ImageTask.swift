// Image classification tasks (the ViT side): the example type, the generator protocol and the
// train / held-out split, kept apart from the token tasks' TaskGenerator on purpose.

/// One generated image with its label and where the object is.
public struct ImageExample: Sendable, Equatable {
  public var width: Int
  public var height: Int
  /// 3 (RGB) for every built-in task.
  public var channels: Int
  /// `[height][width][channels]` (HWC), values in [0, 1], row 0 at the top (Imaging's layout).
  public var pixels: [Float]
  /// Index into `classNames`.
  public var label: Int
  public var classNames: [String]
  /// `[height][width]`: true where the object covers the pixel's centre, the ground truth for
  /// "attention mass on the object's patches".
  public var coverage: [Bool]
  /// The 64-bit seed the image was drawn from; it alone decides the split (`TaskSplit.of(imageKey:)`).
  public var key: UInt64

  public init(
    width: Int, height: Int, channels: Int, pixels: [Float], label: Int, classNames: [String],
    coverage: [Bool], key: UInt64
  ) {
    precondition(pixels.count == width * height * channels && coverage.count == width * height)
    precondition(classNames.indices.contains(label))
    self.width = width
    self.height = height
    self.channels = channels
    self.pixels = pixels
    self.label = label
    self.classNames = classNames
    self.coverage = coverage
    self.key = key
  }

  public var className: String { classNames[label] }

  /// The covered fraction of each `patchSize` × `patchSize` patch, `[height/P][width/P]` row-major
  /// (the order a ViT flattens its patches in).
  public func patchCoverage(patchSize: Int) -> [Float] {
    precondition(
      patchSize > 0 && width % patchSize == 0 && height % patchSize == 0,
      "patch size \(patchSize) must divide \(width)×\(height)")
    let columns = width / patchSize
    var covered = [Int](repeating: 0, count: columns * (height / patchSize))
    for y in 0..<height {
      for x in 0..<width where coverage[y * width + x] {
        covered[(y / patchSize) * columns + x / patchSize] += 1
      }
    }
    let area = Float(patchSize * patchSize)
    return covered.map { Float($0) / area }
  }
}

public protocol ImageTaskGenerator: Sendable {
  var name: String { get }
  var classNames: [String] { get }
  var width: Int { get }
  var height: Int { get }
  var channels: Int { get }
  /// Deterministic for (split, index, seed); train and held-out never share an example (key).
  func example(split: TaskSplit, index: Int, seed: UInt64) -> ImageExample
}

extension TaskSplit {
  /// The split of an image drawn from `imageKey`: one key in `heldOutModulus` is held out. Images
  /// have no tokens to hash, so the key (the seed the whole image is drawn from) plays that role.
  public static func of(imageKey: UInt64) -> TaskSplit {
    TaskRandom.scramble(imageKey ^ 0x696D_6167_6573_706C) % heldOutModulus == 0 ? .heldOut : .train
  }
}

/// The key of example `index` in `split`: the first draw of the (seed, index, salt) stream that
/// falls in `split`, so the same arguments always give the same key and no key is in both splits.
func drawImageKey(split: TaskSplit, index: Int, seed: UInt64, salt: UInt64) -> UInt64 {
  var random = TaskRandom(seed: seed, stream: UInt64(bitPattern: Int64(index)) ^ salt)
  while true {
    let key = random.next()
    if TaskSplit.of(imageKey: key) == split { return key }
  }
}

extension TaskRandom {
  /// Uniform in [0, 1) with 24 bits, the precision of a Float.
  mutating func unitFloat() -> Float {
    Float(next() >> 40) / Float(1 << 24)
  }

  mutating func float(in range: ClosedRange<Float>) -> Float {
    range.lowerBound + (range.upperBound - range.lowerBound) * unitFloat()
  }
}
