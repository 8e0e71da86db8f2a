// PGM/PPM reader, binary (P5, P6) and plain (P2, P3), following the netpbm format pages
// (netpbm.sourceforge.net/doc/pgm.html, ppm.html, pbm.html for comments) and libnetpbm's pm_getc /
// pm_getuint for the points the pages leave open.

/// Netpbm's PGM and PPM formats.
///
/// Header: magic, then width, height and maxval as decimal numbers separated by whitespace (space,
/// TAB, CR, LF). A `#` starts a comment that runs to the next CR or LF; as in libnetpbm, the comment
/// counts as that one line-end character, so it separates tokens and may even be the single
/// whitespace character after maxval. Samples are 1 byte when maxval < 256, otherwise 2 bytes most
/// significant first; plain formats write them as decimal numbers separated by whitespace (comments
/// allowed there too, as libnetpbm allows). Only the first image of a multi-image stream is read.
public enum PNM {
  /// Decodes P2, P3, P5 or P6; samples are divided by maxval, so they land in [0, 1].
  public static func decode(_ bytes: [UInt8], file: String, limits: ImageLimits = .standard)
    throws(ImageError) -> Image
  {
    guard !bytes.isEmpty else { throw ImageError(file: file, .empty) }
    guard bytes.count >= 2, bytes[0] == UInt8(ascii: "P") else {
      throw ImageError(file: file, .badMagic(showMagic(bytes)))
    }
    let plain: Bool
    let channels: Int
    switch bytes[1] {
    case UInt8(ascii: "2"): (plain, channels) = (true, 1)
    case UInt8(ascii: "3"): (plain, channels) = (true, 3)
    case UInt8(ascii: "5"): (plain, channels) = (false, 1)
    case UInt8(ascii: "6"): (plain, channels) = (false, 3)
    default:
      if let name = ImageFormat.unsupportedName(bytes) {
        throw ImageError(file: file, .unsupportedFormat(name))
      }
      throw ImageError(file: file, .badMagic(showMagic(bytes)))
    }

    var reader = PNMReader(bytes: bytes, position: 2, file: file)
    guard reader.atSeparator() else {
      throw ImageError(file: file, .badHeader("no whitespace after the magic number"))
    }
    let width = try reader.number("width")
    let height = try reader.number("height")
    let maxval = try reader.number("maxval")
    guard (1...65_535).contains(maxval) else { throw ImageError(file: file, .badMaxval(maxval)) }
    try limits.check(width: width, height: height, file: file)
    try reader.skipRasterDelimiter()

    let count = Int(width) * Int(height) * channels
    let samples =
      plain
      ? try reader.plainSamples(count: count, maxval: maxval)
      : try reader.binarySamples(count: count, maxval: maxval)
    return Image(width: Int(width), height: Int(height), channels: channels, pixels: samples)
  }
}

/// A cursor over a PNM file; every throw names `file`.
struct PNMReader {
  let bytes: [UInt8]
  var position: Int
  let file: String

  static func isWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
  }

  static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }

  func atSeparator() -> Bool {
    position < bytes.count && (Self.isWhitespace(bytes[position]) || bytes[position] == UInt8(ascii: "#"))
  }

  /// Moves past one comment, which ends after its CR or LF (or at the end of the data).
  mutating func skipComment() {
    while position < bytes.count {
      let byte = bytes[position]
      position += 1
      if byte == 0x0A || byte == 0x0D { return }
    }
  }

  mutating func skipSeparators() {
    while position < bytes.count {
      if Self.isWhitespace(bytes[position]) {
        position += 1
      } else if bytes[position] == UInt8(ascii: "#") {
        skipComment()
      } else {
        return
      }
    }
  }

  /// An unsigned decimal number after optional separators; it must end at a separator (or at the
  /// end of the data), so "12x" is an error rather than 12.
  /// In the raster (`inRaster`) a huge value is capped at UInt64.max instead of failing, so it is
  /// reported as above maxval, and a malformed token is a raster error rather than a header error.
  mutating func number(_ field: @autoclosure () -> String, inRaster: Bool = false) throws(ImageError)
    -> UInt64
  {
    func malformed(_ text: String) -> ImageError {
      ImageError(file: file, inRaster ? .badRaster(text) : .badHeader(text))
    }
    skipSeparators()
    guard position < bytes.count else {
      throw ImageError(file: file, .truncated("the header ends before the \(field())"))
    }
    guard Self.isDigit(bytes[position]) else {
      throw malformed("\(field()) is not a decimal number (found \(showByte(bytes[position])))")
    }
    var value: UInt64 = 0
    while position < bytes.count, Self.isDigit(bytes[position]) {
      let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
      let (sum, overflow2) = times10.addingReportingOverflow(UInt64(bytes[position] - 0x30))
      if overflow1 || overflow2 {
        guard inRaster else { throw malformed("\(field()) does not fit in 64 bits") }
        value = .max
      } else {
        value = sum
      }
      position += 1
    }
    if position < bytes.count, !atSeparator() {
      throw malformed("\(field()) is followed by \(showByte(bytes[position]))")
    }
    return value
  }

  /// The single whitespace character between maxval and the raster; a comment stands for the line
  /// end that closes it (libnetpbm's pm_getc), so "255 # note\n<raster>" is read as intended.
  mutating func skipRasterDelimiter() throws(ImageError) {
    guard position < bytes.count else {
      throw ImageError(file: file, .truncated("no raster after the header"))
    }
    if bytes[position] == UInt8(ascii: "#") {
      skipComment()
    } else {
      position += 1  // number() already checked it is whitespace
    }
  }

  mutating func binarySamples(count: Int, maxval: UInt64) throws(ImageError) -> [Float] {
    let wide = maxval > 255
    let needed = count * (wide ? 2 : 1)
    let available = bytes.count - position
    guard available >= needed else {
      throw ImageError(file: file, .truncated("the raster has \(available) of \(needed) bytes"))
    }
    let scale = Float(maxval)
    var samples = [Float](repeating: 0, count: count)
    for index in 0..<count {
      let value =
        wide
        ? UInt64(bytes[position + 2 * index]) << 8 | UInt64(bytes[position + 2 * index + 1])
        : UInt64(bytes[position + index])
      guard value <= maxval else {
        throw ImageError(file: file, .sampleOutOfRange(value: value, maxval: maxval))
      }
      samples[index] = Float(value) / scale
    }
    position += needed
    return samples
  }

  mutating func plainSamples(count: Int, maxval: UInt64) throws(ImageError) -> [Float] {
    // Each sample takes at least one digit and one separator, so a short file is refused here,
    // before a tiny file with a large header can make us allocate.
    let available = bytes.count - position
    guard available >= 2 * count - 1 else {
      throw ImageError(file: file, .truncated("\(available) bytes cannot hold \(count) plain samples"))
    }
    let scale = Float(maxval)
    var samples = [Float](repeating: 0, count: count)
    for index in 0..<count {
      skipSeparators()
      guard position < bytes.count else {
        throw ImageError(file: file, .truncated("the raster has \(index) of \(count) samples"))
      }
      let value = try number("sample \(index)", inRaster: true)
      guard value <= maxval else {
        throw ImageError(file: file, .sampleOutOfRange(value: value, maxval: maxval))
      }
      samples[index] = Float(value) / scale
    }
    return samples
  }
}

/// A byte as text for a one-line message: printable ASCII quoted, anything else in hex.
func showByte(_ byte: UInt8) -> String {
  (0x21...0x7E).contains(byte) ? "'\(Character(UnicodeScalar(byte)))'" : "0x" + hex(byte)
}

/// The first bytes of a file as hex plus their printable ASCII, e.g. `47 49 46 38 "GIF8"`.
func showMagic(_ bytes: [UInt8]) -> String {
  let head = bytes.prefix(4)
  let ascii = String(head.map { (0x20...0x7E).contains($0) ? Character(UnicodeScalar($0)) : "." })
  return head.map(hex).joined(separator: " ") + " \"" + ascii + "\""
}

private func hex(_ byte: UInt8) -> String {
  let digits = Array("0123456789ABCDEF")
  return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
}
