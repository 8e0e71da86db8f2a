// The one error type of the Imaging module (the checklist: ../shared/RELIABILITY.md, "Images").
import FileInput

/// Why an image file (or bytes said to come from one) was rejected, or could not be written.
///
/// `description` is one line, `"<file>: <problem>"`. Control characters in the file name or in
/// libpng's message are shown escaped (ESC as `\u{1B}`), so a hostile name cannot drive the
/// terminal or split the line.
public struct ImageError: Error, CustomStringConvertible, Equatable, Sendable {
  public enum Kind: Equatable, Sendable {
    /// open/read/stat failed; the associated text is strerror's.
    case unreadable(String)
    case empty
    /// Neither PNM nor PNG nor another format we can name; the bytes as shown in the message.
    case badMagic(String)
    /// A format we recognise but do not read (PBM, PAM, PFM, JPEG, GIF, …).
    case unsupportedFormat(String)
    /// A header field is missing or not a decimal number.
    case badHeader(String)
    /// A plain-format sample is not a decimal number.
    case badRaster(String)
    case badMaxval(UInt64)
    case zeroSize(width: UInt64, height: UInt64)
    /// Over `ImageLimits` (which also catches every arithmetic overflow of a header's sizes).
    case tooLarge(width: UInt64, height: UInt64, limits: ImageLimits)
    case fileTooLarge(bytes: UInt64, limit: Int)
    /// Fewer raster bytes (or plain-format samples) than the header promises.
    case truncated(String)
    case sampleOutOfRange(value: UInt64, maxval: UInt64)
    /// libpng's own message for a corrupt or truncated PNG.
    case png(String)
    case write(String)
  }

  /// The file's name as given (for bytes not from a file, whatever the caller named them).
  public let file: String
  public let kind: Kind

  public init(file: String, _ kind: Kind) {
    self.file = file
    self.kind = kind
  }

  public var problem: String {
    switch kind {
    case .unreadable(let reason): "cannot read: \(reason)"
    case .empty: "empty file"
    case .badMagic(let shown): "not a PGM, PPM or PNG image (starts with \(shown))"
    case .unsupportedFormat(let what): "unsupported format: \(what)"
    case .badHeader(let what): "bad header: \(what)"
    case .badRaster(let what): "bad raster: \(what)"
    case .badMaxval(let value): "maxval \(value) is outside 1…65535"
    case .zeroSize(let width, let height): "zero image size \(width)×\(height)"
    case .tooLarge(let width, let height, let limits):
      "image \(width)×\(height) is over the limit of \(limits.maxSide) px per side and "
        + "\(limits.maxPixels) pixels"
    case .fileTooLarge(let bytes, let limit): "file is \(bytes) bytes, over the limit of \(limit)"
    case .truncated(let what): "truncated: \(what)"
    case .sampleOutOfRange(let value, let maxval): "sample \(value) is above maxval \(maxval)"
    case .png(let message): "corrupt PNG: \(message)"
    case .write(let reason): "cannot write: \(reason)"
    }
  }

  public var description: String {
    escapeControlCharacters(file) + ": " + escapeControlCharacters(problem)
  }
}
