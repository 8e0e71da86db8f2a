// samples/images: one image per shapes class (PNG), one PPM and one PGM, all from the shapes
// generator, plus landscape.png from scripts/make_image_fixtures.py. Re-record with
// ATTNSCOPE_RECORD_SAMPLES=1 (the test then fails once, loudly, as a snapshot helper should).
import Foundation
import Imaging
import Tasks
import TestSupport
import Testing

@Suite struct SamplesTests {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../samples/images").standardized
  static let seed: UInt64 = 2024

  /// File name, class, format; index = class, since ShapesTask's label is index % 6.
  static let samples: [(file: String, shape: ShapeKind, format: ImageFormat, grey: Bool)] =
    ShapeKind.allCases.map { ("\($0.name).png", $0, .png, false) } + [
      ("square.ppm", .square, .pnm, false),
      ("triangle.pgm", .triangle, .pnm, true),
    ]

  static func expected(_ sample: (file: String, shape: ShapeKind, format: ImageFormat, grey: Bool)) -> Image {
    let example = ShapesTask().example(split: .train, index: sample.shape.rawValue, seed: seed)
    let image = Image(width: example.width, height: example.height, channels: 3, pixels: example.pixels)
    return sample.grey ? image.greyscale() : image
  }

  @Test func samplesMatchTheGenerator() throws {
    if ProcessInfo.processInfo.environment["ATTNSCOPE_RECORD_SAMPLES"] == "1" {
      try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
      for sample in Self.samples {
        try ImageFile.write(
          Self.expected(sample), to: Self.directory.appendingPathComponent(sample.file).path,
          as: sample.format)
      }
      let recorded = "\(Self.samples.count) samples in \(Self.directory.path)"
      Issue.record("re-recorded \(recorded); run again without ATTNSCOPE_RECORD_SAMPLES")
      return
    }
    for sample in Self.samples {
      let loaded = try ImageFile.load(Self.directory.appendingPathComponent(sample.file).path)
      let expected = Self.expected(sample)
      #expect(loaded.channels == expected.channels, "\(sample.file)")
      // The files hold 8-bit samples, so half a step of rounding is the allowed difference.
      expectClose(loaded.pixels, expected.pixels, tolerance: 0.5 / 255 + 1e-6, sample.file)
    }
    let bytes = try Data(contentsOf: Self.directory.appendingPathComponent("triangle.pgm"))
    #expect(bytes.starts(with: Array("P5".utf8)))
  }

  @Test func folderIsSmallAndEveryFileLoads() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).sorted()
    #expect(names.contains("landscape.png"))
    var total = 0
    for name in names {
      let path = Self.directory.appendingPathComponent(name).path
      total += try Data(contentsOf: URL(fileURLWithPath: path)).count
      #expect(throws: Never.self) { _ = try ImageFile.load(path) }
    }
    #expect(total < 100_000, "samples/images is \(total) bytes")
    let landscape = try ImageFile.load(Self.directory.appendingPathComponent("landscape.png").path)
    #expect(landscape.width == 64 && landscape.height == 48 && landscape.channels == 3)
  }
}
