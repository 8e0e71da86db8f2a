// The `shapes` task: small colour images with exactly one shape each, for a ViT to classify and
// for its attention to be checked against where the shape is (the coverage mask).

/// One shape (circle, square, triangle, cross, ring or diamond) of random size, position and
/// colour over a dark, low-amplitude noise background.
///
/// Contrast is built in: the shape's brightest channel is ≥ 0.71 (HSV value ≥ 0.75 minus noise)
/// and the background's ≤ 0.37 (grey ≤ 0.3, tint 0.03, noise 0.04), so the coverage mask is
/// exactly the set of bright pixels and the task is learnable from the outline alone. Classes cycle with
/// the index (`label = index % 6`), so any 6 consecutive indices hold every class once.
public struct ShapesTask: ImageTaskGenerator {
  public var width: Int
  public var height: Int
  /// Side of the shape's bounding box in pixels.
  public var sizes: ClosedRange<Int>
  /// Half-width of the uniform per-sample noise over the whole image.
  public var noise: Float

  public init(width: Int = 32, height: Int = 32, sizes: ClosedRange<Int> = 8...20, noise: Float = 0.04) {
    precondition(
      sizes.lowerBound >= 4 && sizes.upperBound <= min(width, height),
      "ShapesTask: sizes \(sizes) must fit \(width)×\(height)")
    precondition((0...0.05).contains(noise), "ShapesTask: noise above 0.05 would eat the contrast margin")
    self.width = width
    self.height = height
    self.sizes = sizes
    self.noise = noise
  }

  public var name: String { "shapes" }
  public var channels: Int { 3 }
  public var classNames: [String] { ShapeKind.allCases.map(\.name) }

  public func example(split: TaskSplit, index: Int, seed: UInt64) -> ImageExample {
    precondition(index >= 0, "ShapesTask: negative index")
    let key = drawImageKey(split: split, index: index, seed: seed, salt: 0x7368_6170_6573_0000)
    return render(shape: ShapeKind.allCases[index % ShapeKind.allCases.count], key: key)
  }

  /// The image for `shape` drawn from `key`. The order of the draws is part of the format: changing
  /// it changes every example (a test pins one).
  public func render(shape: ShapeKind, key: UInt64) -> ImageExample {
    var random = TaskRandom(seed: key)
    let size = Float(random.int(in: sizes))
    let half = size / 2
    // The centre keeps the whole box inside the image.
    let centerX = random.float(in: half...(Float(width) - half))
    let centerY = random.float(in: half...(Float(height) - half))
    let color = hsvToRGB(
      hue: random.unitFloat(), saturation: random.float(in: 0.6...1), value: random.float(in: 0.75...1))
    let base = random.float(in: 0.05...0.3)
    let background = (0..<3).map { _ in base + random.float(in: -0.03...0.03) }

    let coverage = ShapeRasterizer.coverage(
      shape, size: size, centerX: centerX, centerY: centerY, width: width, height: height)
    var pixels = [Float](repeating: 0, count: width * height * 3)
    for index in 0..<(width * height) {
      let fill = coverage[index] ? color : background
      for c in 0..<3 {
        let value = fill[c] + noise * (2 * random.unitFloat() - 1)
        pixels[index * 3 + c] = min(max(value, 0), 1)
      }
    }
    return ImageExample(
      width: width, height: height, channels: 3, pixels: pixels, label: shape.rawValue,
      classNames: classNames, coverage: coverage, key: key)
  }
}

/// HSV in [0, 1] to RGB (the hexcone model, as Python's colorsys.hsv_to_rgb).
func hsvToRGB(hue: Float, saturation: Float, value: Float) -> [Float] {
  let sector = hue * 6
  let i = Int(sector) % 6
  let f = sector - Float(Int(sector))
  let p = value * (1 - saturation)
  let q = value * (1 - saturation * f)
  let t = value * (1 - saturation * (1 - f))
  switch i {
  case 0: return [value, t, p]
  case 1: return [q, value, p]
  case 2: return [p, value, t]
  case 3: return [p, q, value]
  case 4: return [t, p, value]
  default: return [value, p, q]
  }
}
