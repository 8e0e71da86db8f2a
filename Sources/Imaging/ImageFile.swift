import FileInput

// Loading and saving images by content: the format is chosen from the magic bytes (netpbm pages,
// PNG spec section 5.2 signature), never from the file name's extension.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The formats Imaging reads and writes.
public enum ImageFormat: Equatable, Sendable {
  /// PGM or PPM (P2, P3, P5, P6); writing gives P5 for grey, P6 for RGB, maxval 255.
  case pnm
  case png

  /// PNG spec 5.2; the last four bytes catch line-ending conversion, which libpng reports.
  static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

  /// The format `bytes` claim to be. Anything starting like a PNG goes to libpng, so a PNG mangled
  /// by a text-mode transfer is reported by libpng rather than as an unknown format.
  public static func sniff(_ bytes: [UInt8], file: String) throws(ImageError) -> ImageFormat {
    guard !bytes.isEmpty else { throw ImageError(file: file, .empty) }
    if bytes.starts(with: pngSignature.prefix(4)) { return .png }
    if bytes.count >= 2, bytes[0] == UInt8(ascii: "P"), Array("2356".utf8).contains(bytes[1]) {
      return .pnm
    }
    if let name = unsupportedName(bytes) { throw ImageError(file: file, .unsupportedFormat(name)) }
    throw ImageError(file: file, .badMagic(showMagic(bytes)))
  }

  /// Magic prefixes of formats we recognise but do not read, with the name an error shows.
  static let unsupported: [(magic: [UInt8], name: String)] = [
    (Array("P1".utf8), "P1 (plain PBM bitmap)"),
    (Array("P4".utf8), "P4 (binary PBM bitmap)"),
    (Array("P7".utf8), "P7 (PAM)"),
    (Array("PF".utf8), "PF (PFM floating point)"),
    (Array("Pf".utf8), "Pf (PFM floating point)"),
    ([0xFF, 0xD8, 0xFF], "JPEG"),
    (Array("GIF87a".utf8), "GIF"),
    (Array("GIF89a".utf8), "GIF"),
    (Array("BM".utf8), "BMP"),
    ([0x49, 0x49, 0x2A, 0x00], "TIFF"),
    ([0x4D, 0x4D, 0x00, 0x2A], "TIFF"),
  ]

  /// What a file we do not read looks like, from its magic, e.g. "P4 (binary PBM bitmap)".
  static func unsupportedName(_ bytes: [UInt8]) -> String? {
    let reads = "; attnscope reads P2, P3, P5, P6 and PNG"
    if let match = unsupported.first(where: { bytes.starts(with: $0.magic) }) { return match.name + reads }
    // RIFF is a container; only its form type at offset 8 says WebP.
    if bytes.starts(with: Array("RIFF".utf8)), bytes.count >= 12, bytes[8..<12].elementsEqual("WEBP".utf8) {
      return "WebP" + reads
    }
    return nil
  }
}

/// Whole-file load and save.
public enum ImageFile {
  /// Reads `path` and decodes it by its magic bytes. Errors name `path` as given.
  public static func load(_ path: String, limits: ImageLimits = .standard) throws(ImageError) -> Image {
    let bytes = try readBytes(path, maxBytes: limits.maxFileBytes)
    return try decode(bytes, file: path, limits: limits)
  }

  /// Decodes bytes by their magic (PGM/PPM or PNG).
  public static func decode(_ bytes: [UInt8], file: String, limits: ImageLimits = .standard)
    throws(ImageError) -> Image
  {
    switch try ImageFormat.sniff(bytes, file: file) {
    case .pnm: try PNM.decode(bytes, file: file, limits: limits)
    case .png: try PNG.decode(bytes, file: file, limits: limits)
    }
  }

  /// Encodes `image` (samples clamped to [0, 1] and rounded to 8 bits).
  public static func encode(_ image: Image, as format: ImageFormat) throws(ImageError) -> [UInt8] {
    switch format {
    case .pnm: PNM.encode(image)
    case .png: try PNG.encode(image)
    }
  }

  /// Writes `image` to `path` in `format`, replacing the file.
  public static func write(_ image: Image, to path: String, as format: ImageFormat) throws(ImageError) {
    let bytes = try encode(image, as: format)
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw ImageError(file: path, .write(lastErrorText())) }
    defer { close(fd) }
    var written = 0
    while written < bytes.count {
      let result = bytes.withUnsafeBytes { posixWrite(fd, $0.baseAddress! + written, bytes.count - written) }
      if result < 0 && errno == EINTR { continue }
      guard result > 0 else { throw ImageError(file: path, .write(lastErrorText())) }
      written += result
    }
  }

  /// The whole file, refusing more than `maxBytes` and anything but a regular file (a FIFO or
  /// /dev/zero is refused at once, without reading), through the shared `InputFile`.
  static func readBytes(_ path: String, maxBytes: Int) throws(ImageError) -> [UInt8] {
    do { return try InputFile.read(path, limit: maxBytes) } catch {
      switch error.reason {
      case .tooLarge(let size, let limit):
        throw ImageError(file: path, .fileTooLarge(bytes: UInt64(size), limit: limit))
      default: throw ImageError(file: path, .unreadable(error.description))
      }
    }
  }
}

private func lastErrorText() -> String { String(cString: strerror(errno)) }

/// write(2), named apart from `ImageFile.write`, which would otherwise shadow it.
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  write(fd, buffer, count)
}
