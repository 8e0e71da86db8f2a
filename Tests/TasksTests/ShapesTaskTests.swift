// The shapes image task: determinism, class balance, the coverage mask against the painted pixels,
// split disjointness, and each shape's geometry (areas against their formulas).
import Testing

@testable import Tasks

@Suite struct ShapesTaskTests {
  let task = ShapesTask()

  @Test func sameArgumentsSameImage() {
    for split in [TaskSplit.train, .heldOut] {
      let once = (0..<60).map { task.example(split: split, index: $0, seed: 1) }
      let again = (0..<60).map { task.example(split: split, index: $0, seed: 1) }
      let other = (0..<60).map { task.example(split: split, index: $0, seed: 2) }
      #expect(once == again)
      #expect(zip(once, other).allSatisfy { $0.pixels != $1.pixels })
      #expect(Set(once.map(\.key)).count == 60)
    }
  }

  @Test func firstExampleIsPinned() {
    // A change here means the draw order changed: every stored sample and split would move.
    let first = task.example(split: .train, index: 0, seed: 7)
    #expect(first.label == 0 && first.className == "circle")
    #expect(first.key == 16_748_069_599_806_433_196)
    #expect(first.coverage.filter { $0 }.count == 133)

  }

  @Test func shapeAndSizes() {
    let example = task.example(split: .heldOut, index: 3, seed: 5)
    #expect(example.width == 32 && example.height == 32 && example.channels == 3)
    #expect(example.pixels.count == 32 * 32 * 3 && example.coverage.count == 32 * 32)
    #expect(example.pixels.allSatisfy { (0...1).contains($0) })
    #expect(task.classNames == ["circle", "square", "triangle", "cross", "ring", "diamond"])
    let wide = ShapesTask(width: 48, height: 24, sizes: 6...10)
      .example(split: .train, index: 1, seed: 3)
    #expect(wide.width == 48 && wide.height == 24 && wide.pixels.count == 48 * 24 * 3)
  }

  @Test func classesAreExactlyBalanced() {
    for split in [TaskSplit.train, .heldOut] {
      var counts = [Int](repeating: 0, count: 6)
      for index in 0..<600 { counts[task.example(split: split, index: index, seed: 11).label] += 1 }
      #expect(counts == [Int](repeating: 100, count: 6))
    }
  }

  @Test func maskIsExactlyThePaintedPixels() {
    for index in 0..<300 {
      let example = task.example(split: .train, index: index, seed: 13)
      var covered = 0
      for pixel in 0..<(32 * 32) {
        let brightest = example.pixels[(3 * pixel)..<(3 * pixel + 3)].max()!
        if example.coverage[pixel] {
          covered += 1
          #expect(brightest >= 0.71, "index \(index) pixel \(pixel) is covered but dark")
        } else {
          #expect(brightest <= 0.37, "index \(index) pixel \(pixel) is background but bright")
        }
      }
      #expect(covered >= 16, "index \(index): only \(covered) pixels")
    }
  }

  @Test func patchCoverageAddsUp() {
    let example = task.example(split: .train, index: 4, seed: 17)
    let patches = example.patchCoverage(patchSize: 8)
    #expect(patches.count == 16 && patches.allSatisfy { (0...1).contains($0) })
    #expect(Int((patches.reduce(0, +) * 64).rounded()) == example.coverage.filter { $0 }.count)
    #expect(patches.contains { $0 > 0 } && patches.contains { $0 == 0 })
  }

  @Test func trainAndHeldOutNeverShareAnExample() {
    let train = (0..<3_000).map { task.example(split: .train, index: $0, seed: 9) }
    let heldOut = (0..<500).map { task.example(split: .heldOut, index: $0, seed: 9) }
    #expect(train.allSatisfy { TaskSplit.of(imageKey: $0.key) == .train })
    #expect(heldOut.allSatisfy { TaskSplit.of(imageKey: $0.key) == .heldOut })
    #expect(Set(train.map(\.key)).isDisjoint(with: heldOut.map(\.key)))
    #expect(Set(train.map(\.pixels)).isDisjoint(with: heldOut.map(\.pixels)))
    // About one key in ten is held out.
    let heldOutShare = (0..<10_000).filter { TaskSplit.of(imageKey: UInt64($0) &* 0x9E37_79B9) == .heldOut }
      .count
    #expect((800...1_200).contains(heldOutShare))
  }

  /// Areas at size 100 on a 200 px grid, where pixel-centre sampling is within 2.5 % of the formula
  /// (the centre is off the pixel grid so that no edge lies exactly on a row of sample points).
  @Test(arguments: ShapeKind.allCases) func largeShapesHaveTheirFormulaArea(shape: ShapeKind) {
    let mask = ShapeRasterizer.coverage(
      shape, size: 100, centerX: 100.3, centerY: 99.6, width: 200, height: 200)
    let area = Double(mask.filter { $0 }.count)
    let h = 50.0
    let expected: Double =
      switch shape {
      case .circle: Double.pi * h * h
      case .square: 4 * h * h
      case .triangle: 2 * h * h
      case .cross: 2 * (2 * h) * (2 * h / 3) - (2 * h / 3) * (2 * h / 3)
      case .ring: Double.pi * (h * h - 30 * 30)
      case .diamond: 2 * h * h
      }
    #expect(abs(area - expected) / expected < 0.025, "\(shape.name): \(area) vs \(expected)")
  }

  /// The generator's small shapes still look like themselves: fill ratio of the bounding box,
  /// centre and corner pixels, and which way the triangle points.
  @Test(arguments: ShapeKind.allCases) func smallShapesArePlausible(shape: ShapeKind) {
    for round in 0..<40 {
      let example = task.example(split: .train, index: round * 6 + shape.rawValue, seed: 21)
      #expect(example.label == shape.rawValue)
      let cells = (0..<(32 * 32)).filter { example.coverage[$0] }.map { (y: $0 / 32, x: $0 % 32) }
      let (y0, y1) = (cells.map(\.y).min()!, cells.map(\.y).max()!)
      let (x0, x1) = (cells.map(\.x).min()!, cells.map(\.x).max()!)
      let (boxW, boxH) = (x1 - x0 + 1, y1 - y0 + 1)
      #expect((7...21).contains(boxW) && (7...21).contains(boxH), "\(shape.name) box \(boxW)×\(boxH)")
      let fill = Double(cells.count) / Double(boxW * boxH)
      let covered = { (y: Int, x: Int) in example.coverage[y * 32 + x] }
      let centre = covered((y0 + y1) / 2, (x0 + x1) / 2)
      let corners = [covered(y0, x0), covered(y0, x1), covered(y1, x0), covered(y1, x1)].filter { $0 }.count
      let topRow = cells.filter { $0.y == y0 }.count
      let bottomRow = cells.filter { $0.y == y1 }.count
      let what = "\(shape.name) #\(round): fill \(fill), box \(boxW)×\(boxH)"
      switch shape {
      case .circle:
        #expect((0.6...0.92).contains(fill) && centre && corners == 0, "\(what)")
      case .square:
        #expect(fill == 1 && abs(boxW - boxH) <= 1, "\(what)")
      case .triangle:
        #expect((0.35...0.7).contains(fill) && topRow < bottomRow && bottomRow >= boxW - 1, "\(what)")
      case .cross:
        #expect((0.4...0.75).contains(fill) && centre && corners == 0, "\(what)")
      case .ring:
        #expect((0.35...0.75).contains(fill) && !centre && corners == 0, "\(what)")
      case .diamond:
        #expect(
          (0.35...0.7).contains(fill) && centre && corners == 0 && topRow <= 3 && bottomRow <= 3, "\(what)")
      }
    }
  }

  @Test func hsvConversionHitsThePrimaries() {
    #expect(hsvToRGB(hue: 0, saturation: 1, value: 1) == [1, 0, 0])
    #expect(hsvToRGB(hue: 1.0 / 3, saturation: 1, value: 1).map { ($0 * 1e5).rounded() / 1e5 } == [0, 1, 0])
    #expect(hsvToRGB(hue: 0.5, saturation: 0, value: 0.8) == [0.8, 0.8, 0.8])
  }
}
