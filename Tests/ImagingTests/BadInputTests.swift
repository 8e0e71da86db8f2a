// Every bad-input case of ../shared/RELIABILITY.md ("Images"): a typed error whose one-line
// description names the file and the problem, and never a crash or a huge allocation.
import Foundation
import Imaging
import Testing

@Suite struct BadInputTests {
  /// Decodes through the magic-byte dispatcher and checks the one-line description.
  func rejected(
    _ bytes: [UInt8], limits: ImageLimits = .standard, sourceLocation: SourceLocation = #_sourceLocation
  )
    -> ImageError?
  {
    let error = imageError(sourceLocation: sourceLocation) { () throws(ImageError) in
      try ImageFile.decode(bytes, file: "bad.img", limits: limits)
    }
    if let error {
      #expect(error.description.hasPrefix("bad.img: "), sourceLocation: sourceLocation)
      #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
    }
    return error
  }

  @Test func emptyFile() {
    #expect(rejected([])?.kind == .empty)
    #expect(rejected([])?.description == "bad.img: empty file")
  }

  @Test func badMagic() {
    let error = rejected([UInt8](ascii: "hello world"))
    #expect(error?.kind == .badMagic("68 65 6C 6C \"hell\""))
    #expect(error?.description == "bad.img: not a PGM, PPM or PNG image (starts with 68 65 6C 6C \"hell\")")
    #expect(rejected([0x00])?.kind == .badMagic("00 \".\""))
    #expect(rejected([UInt8](ascii: "P9 1 1 255\n"))?.kind == .badMagic("50 39 20 31 \"P9 1\""))
    // Magic without the whitespace after it.
    #expect(
      rejected([UInt8](ascii: "P5x 1 1 255\n\0"))?.kind == .badHeader("no whitespace after the magic number"))
  }

  @Test func unsupportedFormatsAreNamed() {
    let cases: [([UInt8], String)] = [
      ([UInt8](ascii: "P4\n1 1\n\0"), "P4 (binary PBM bitmap)"),
      ([UInt8](ascii: "P1\n1 1\n0"), "P1 (plain PBM bitmap)"),
      ([UInt8](ascii: "P7\nWIDTH 1\n"), "P7 (PAM)"),
      ([UInt8](ascii: "PF\n1 1\n-1\n"), "PF (PFM floating point)"),
      ([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], "JPEG"),
      ([UInt8](ascii: "GIF89a\u{1}\0"), "GIF"),
    ]
    for (bytes, name) in cases {
      let error = rejected(bytes)
      #expect(error?.kind == .unsupportedFormat(name + "; attnscope reads P2, P3, P5, P6 and PNG"))
      #expect(error?.description.contains("unsupported format: \(name)") == true)
    }
  }

  @Test func maxvalOutOfRange() {
    #expect(rejected([UInt8](ascii: "P5 1 1 0\n\0"))?.kind == .badMaxval(0))
    #expect(rejected([UInt8](ascii: "P5 1 1 65536\n\0\0"))?.kind == .badMaxval(65_536))
    #expect(
      rejected([UInt8](ascii: "P2 1 1 65536 1"))?.description == "bad.img: maxval 65536 is outside 1…65535")
  }

  @Test func zeroWidthOrHeight() {
    #expect(rejected([UInt8](ascii: "P5 0 1 255\n"))?.kind == .zeroSize(width: 0, height: 1))
    #expect(rejected([UInt8](ascii: "P6 3 0 255\n"))?.kind == .zeroSize(width: 3, height: 0))
  }

  @Test func sizeOverflowIsRefusedBeforeAllocating() {
    let huge = rejected([UInt8](ascii: "P6 4294967295 4294967295 255\n\0"))
    #expect(huge?.kind == .tooLarge(width: 4_294_967_295, height: 4_294_967_295, limits: .standard))
    #expect(huge?.description.contains("4294967295×4294967295 is over the limit") == true)
    // Each side within the limit, the product over it.
    #expect(
      rejected([UInt8](ascii: "P5 16384 16384 255\n"))?.kind
        == .tooLarge(width: 16_384, height: 16_384, limits: .standard))
    // More digits than 64 bits hold.
    #expect(
      rejected([UInt8](ascii: "P5 99999999999999999999999 1 255\n"))?.kind
        == .badHeader("width does not fit in 64 bits"))
    // A plain file whose header claims far more samples than its bytes can hold.
    #expect(
      rejected([UInt8](ascii: "P3 4096 4096 255\n1 2 3"))?.kind
        == .truncated("5 bytes cannot hold 50331648 plain samples"))
  }

  @Test func malformedHeaders() {
    #expect(
      rejected([UInt8](ascii: "P5 -1 1 255\n"))?.kind
        == .badHeader("width is not a decimal number (found '-')"))
    #expect(rejected([UInt8](ascii: "P5 2x 1 255\n"))?.kind == .badHeader("width is followed by 'x'"))
    #expect(rejected([UInt8](ascii: "P5 2 1"))?.kind == .truncated("the header ends before the maxval"))
    #expect(rejected([UInt8](ascii: "P5 2 1 255"))?.kind == .truncated("no raster after the header"))
    #expect(
      rejected([UInt8](ascii: "P5 # only a comment"))?.kind == .truncated("the header ends before the width"))
  }

  @Test func truncatedPixels() {
    #expect(
      rejected([UInt8](ascii: "P6 2 2 255\n") + [1, 2, 3])?.kind == .truncated("the raster has 3 of 12 bytes")
    )
    #expect(
      rejected([UInt8](ascii: "P5 2 1 65535\n") + [1, 2, 3])?.kind
        == .truncated("the raster has 3 of 4 bytes"))
    #expect(
      rejected([UInt8](ascii: "P2 3 1 255\n1 2        "))?.kind == .truncated("the raster has 2 of 3 samples")
    )
    #expect(
      rejected([UInt8](ascii: "P2 2 1 255\n1 x"))?.kind
        == .badRaster("sample 1 is not a decimal number (found 'x')"))
  }

  @Test func samplesAboveMaxval() {
    #expect(
      rejected([UInt8](ascii: "P5 1 1 100\n") + [101])?.kind == .sampleOutOfRange(value: 101, maxval: 100))
    #expect(
      rejected([UInt8](ascii: "P5 1 1 1000\n") + [0x03, 0xE9])?.kind
        == .sampleOutOfRange(value: 1001, maxval: 1000))
    #expect(
      rejected([UInt8](ascii: "P2 1 1 255\n99999999999999999999999"))?.kind
        == .sampleOutOfRange(value: .max, maxval: 255))
  }

  @Test func truncatedAndCorruptPNG() throws {
    let valid = try PNG.encode(Image(width: 4, height: 3, channels: 3, filledWith: 0.5))
    #expect(try PNG.decode(valid, file: "ok.png").pixels.allSatisfy { abs($0 - 0.5) < 0.003 })

    // Cut anywhere up to the end of the image data: always an error. (A cut inside the final
    // 12-byte IEND chunk is accepted: libpng's simplified reader stops once the pixels are complete.)
    for length in [4, 5, 8, 20, 33, valid.count / 2, valid.count - 13] {
      let error = rejected(Array(valid.prefix(length)))
      if case .png = error?.kind {} else { Issue.record("length \(length): \(String(describing: error))") }
    }
    for length in [valid.count - 12, valid.count - 1] {
      #expect(try PNG.decode(Array(valid.prefix(length)), file: "no-iend.png").width == 4)
    }
    // A flipped byte inside IDAT breaks its CRC (libpng: critical chunk CRC error).
    var corrupt = valid
    corrupt[valid.count - 20] ^= 0xFF
    guard case .png(let message)? = rejected(corrupt)?.kind else {
      Issue.record("corrupt IDAT accepted"); return
    }
    #expect(!message.isEmpty)
    // Signature mangled by a text-mode transfer (CRLF → LF): libpng says so.
    let mangled = Array(valid.prefix(4)) + [0x0A, 0x1A, 0x0A] + Array(valid.dropFirst(8))
    if case .png = rejected(mangled)?.kind {} else { Issue.record("mangled signature accepted") }
  }

  @Test func oversizedPNGIsRefusedBeforeDecoding() throws {
    let png = try PNG.encode(Image(width: 40, height: 10, channels: 1, filledWith: 1))
    let limits = ImageLimits(maxSide: 32, maxPixels: 1_000, maxFileBytes: 1 << 20)
    #expect(rejected(png, limits: limits)?.kind == .tooLarge(width: 40, height: 10, limits: limits))
    let pixelLimits = ImageLimits(maxSide: 64, maxPixels: 399, maxFileBytes: 1 << 20)
    #expect(rejected(png, limits: pixelLimits)?.kind == .tooLarge(width: 40, height: 10, limits: pixelLimits))
  }

  @Test func unreadablePaths() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let missing = directory.appendingPathComponent("missing.ppm").path
    let error = imageError { () throws(ImageError) in try ImageFile.load(missing) }
    #expect(error?.kind == .unreadable("No such file or directory"))
    #expect(error?.description == "\(missing): cannot read: No such file or directory")
    #expect(
      imageError { () throws(ImageError) in try ImageFile.load(directory.path) }?.kind
        == .unreadable("is a directory, not a regular file"))

    let empty = directory.appendingPathComponent("empty.png")
    try Data().write(to: empty)
    #expect(imageError { () throws(ImageError) in try ImageFile.load(empty.path) }?.kind == .empty)

    let big = directory.appendingPathComponent("big.pgm")
    try Data(repeating: 0x50, count: 2_000).write(to: big)
    let small = ImageLimits(maxSide: 64, maxPixels: 4_096, maxFileBytes: 1_000)
    #expect(
      imageError { () throws(ImageError) in try ImageFile.load(big.path, limits: small) }?.kind
        == .fileTooLarge(bytes: 2_000, limit: 1_000))
  }

  @Test func controlCharactersInNamesAreEscaped() {
    let error = ImageError(file: "evil\u{1B}[2J\n.ppm", .empty)
    #expect(error.description == "evil\\u{1B}[2J\\u{0A}.ppm: empty file")
  }
}
