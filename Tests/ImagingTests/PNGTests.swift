// PNG through libpng's simplified API: files in every colour type our own writer never produces
// (Fixtures/png, written by scripts/make_image_fixtures.py), the writer's round trip, and loading
// by magic bytes rather than by extension.
import Foundation
import Imaging
import TestSupport
import Testing

@Suite struct PNGTests {
  @Test func fixturesInEveryColourType() throws {
    let cases = try Fixtures.json("png.json")
    #expect(cases.count == 10)
    for entry in cases {
      let name = try #require(entry["file"] as? String)
      let path = Fixtures.directory.appendingPathComponent("png/\(name)").path
      let image = try ImageFile.load(path)
      let channels = try #require(entry["channels"] as? Int)
      #expect(image.channels == channels, "\(name)")
      let expected = try Fixtures.ints(entry["samples"]).map { Float($0) / 255 }
      expectClose(image.pixels, expected, tolerance: 1e-6, name)
    }
  }

  @Test func writerRoundTripsExactlyAt8Bits() throws {
    let rgb = Image(width: 5, height: 3, channels: 3, pixels: (0..<45).map { Float($0 * 5) / 255 })
    let png = try PNG.encode(rgb)
    #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
    #expect(try PNG.decode(png, file: "rgb.png") == rgb)

    let grey = Image(
      width: 2, height: 3, channels: 1, pixels: [0, 1, 2, 3, 254, 255].map { Float($0) / 255 })
    let decoded = try PNG.decode(try PNG.encode(grey), file: "grey.png")
    #expect(decoded == grey)
  }

  @Test func formatComesFromMagicBytesNotExtension() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let image = Image(width: 2, height: 1, channels: 3, pixels: [1, 0, 0, 0, 1, 0])
    let pngNamedPPM = directory.appendingPathComponent("really-a-png.ppm").path
    try ImageFile.write(image, to: pngNamedPPM, as: .png)
    #expect(try ImageFile.load(pngNamedPPM) == image)
    let ppmNamedPNG = directory.appendingPathComponent("really-a-ppm.png").path
    try ImageFile.write(image, to: ppmNamedPNG, as: .pnm)
    #expect(try ImageFile.load(ppmNamedPNG) == image)
    #expect(try Data(contentsOf: URL(fileURLWithPath: ppmNamedPNG)).starts(with: Array("P6".utf8)))
  }

  @Test func writeToAnUnwritablePathIsATypedError() {
    let image = Image(width: 1, height: 1, channels: 1, filledWith: 0)
    do {
      try ImageFile.write(image, to: "/nonexistent-dir/x.png", as: .png)
      Issue.record("wrote into a missing directory")
    } catch {
      #expect(error.kind == .write("No such file or directory"))
      #expect(error.description == "/nonexistent-dir/x.png: cannot write: No such file or directory")
    }
  }
}
