// PGM/PPM reading and writing: every header rule of the netpbm pages, 8 and 16-bit, plain and
// binary, and the round trip through the writer.
import Imaging
import TestSupport
import Testing

@Suite struct PNMTests {
  @Test func binaryGreyAndColour() throws {
    let grey = try PNM.decode([UInt8](ascii: "P5\n3 1\n255\n") + [0, 51, 255], file: "g.pgm")
    #expect(grey.width == 3 && grey.height == 1 && grey.channels == 1)
    #expect(grey.pixels == [0, 0.2, 1])
    let colour = try PNM.decode([UInt8](ascii: "P6 1 2 255\n") + [255, 0, 0, 0, 0, 255], file: "c.ppm")
    #expect(colour.width == 1 && colour.height == 2 && colour.channels == 3)
    #expect(colour.pixels == [1, 0, 0, 0, 0, 1])
    #expect(colour[1, 0, 2] == 1)
  }

  @Test func sixteenBitSamplesAreBigEndian() throws {
    let image = try PNM.decode([UInt8](ascii: "P5 2 1 65535\n") + [0x01, 0x00, 0xFF, 0xFF], file: "w.pgm")
    #expect(image.pixels == [256 / 65535, 1])
    // maxval 256 already needs two bytes per sample.
    let small = try PNM.decode([UInt8](ascii: "P5 1 1 256\n") + [0x00, 0x80], file: "m.pgm")
    #expect(small.pixels == [0.5])
  }

  @Test func plainFormats() throws {
    let grey = try PNM.decode([UInt8](ascii: "P2\n2 2\n4\n0 1\n2\t4\n"), file: "p.pgm")
    #expect(grey.pixels == [0, 0.25, 0.5, 1])
    // Any whitespace (including none at the very end) and comments between samples.
    let colour = try PNM.decode([UInt8](ascii: "P3 1 1 1000 1000\r\n# mid-raster note\n0 500"), file: "p.ppm")
    #expect(colour.pixels == [1, 0, 0.5])
    let wide = try PNM.decode([UInt8](ascii: "P2 1 1 65535 65535"), file: "w.pgm")
    #expect(wide.pixels == [1])
  }

  @Test func commentsAnywhereInTheHeader() throws {
    let expected: [Float] = [0, 1]
    let headers = [
      "P5#after magic\n2 1 255\n",
      "P5\n# line\n# another\n2 1\n255\n",
      "P5 2# inside the header, ends the width token\n1 255\n",
      "P5 2 1 255# the comment is the delimiter before the raster\n",
      "P5 2 1 255#\r",
      "P5\r2\r1\r255\r",
    ]
    for header in headers {
      let image = try PNM.decode([UInt8](ascii: header) + [0, 255], file: "c.pgm")
      #expect(image.pixels == expected, "\(header.debugDescription)")
    }
  }

  @Test func onlyTheFirstImageOfAStreamIsRead() throws {
    let two = [UInt8](ascii: "P5 1 1 255\n") + [7] + [UInt8](ascii: "P5 1 1 255\n") + [9]
    #expect(try PNM.decode(two, file: "s.pgm").pixels == [Float(7) / 255])
  }

  @Test func writerRoundTrips() throws {
    let colour = Image(width: 3, height: 2, channels: 3, pixels: (0..<18).map { Float($0) / 17 })
    let bytes = PNM.encode(colour)
    #expect(bytes.starts(with: Array("P6\n3 2\n255\n".utf8)) && bytes.count == 11 + 18)
    expectClose(try PNM.decode(bytes, file: "r.ppm").pixels, colour.pixels, tolerance: 0.5 / 255, "P6")

    let grey = Image(width: 2, height: 2, channels: 1, pixels: [0, 0.25, 0.75, 1])
    let again = try PNM.decode(PNM.encode(grey), file: "r.pgm")
    #expect(PNM.encode(grey).starts(with: Array("P5\n".utf8)))
    expectClose(again.pixels, grey.pixels, tolerance: 0.5 / 255, "P5")
    // Out-of-range and NaN samples are clamped rather than wrapped.
    let wild = Image(width: 3, height: 1, channels: 1, pixels: [-1, .nan, 7])
    #expect(Array(PNM.encode(wild).suffix(3)) == [0, 0, 255])
  }
}
