// PNG through libpng's simplified API (png.h section 5; libpng-manual.txt "XI. Simplified API"),
// never the classic png_read_* calls, whose longjmp on error would jump over Swift frames.
import CPNG

/// PNG read and write.
public enum PNG {
  /// Decodes any PNG libpng accepts (all bit depths, palettes, interlacing). Colour PNGs become
  /// 3-channel images and grey ones 1-channel; alpha is composited on white (libpng's
  /// `background` argument), since a ViT has no use for transparency. 16-bit files without a gAMA
  /// or sRGB chunk are taken as sRGB-encoded (PNG_IMAGE_FLAG_16BIT_sRGB), which is how every other
  /// viewer shows them, rather than as linear data. Samples are 8-bit value / 255.
  public static func decode(_ bytes: [UInt8], file: String, limits: ImageLimits = .standard)
    throws(ImageError) -> Image
  {
    guard !bytes.isEmpty else { throw ImageError(file: file, .empty) }
    var image = png_image()
    image.version = attn_png_image_version()
    defer { png_image_free(&image) }  // a no-op once libpng has freed it itself

    let begun = bytes.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
    guard begun != 0 else { throw ImageError(file: file, .png(message(&image))) }
    try limits.check(width: UInt64(image.width), height: UInt64(image.height), file: file)

    let color = image.format & UInt32(PNG_FORMAT_FLAG_COLOR) != 0
    let channels = color ? 3 : 1
    image.format = color ? UInt32(PNG_FORMAT_RGB) : UInt32(PNG_FORMAT_GRAY)
    image.flags |= UInt32(PNG_IMAGE_FLAG_16BIT_sRGB)
    let count = Int(image.width) * Int(image.height) * channels
    var buffer = [UInt8](repeating: 0, count: count)
    var white = png_color(red: 255, green: 255, blue: 255)
    let finished = buffer.withUnsafeMutableBytes {
      png_image_finish_read(&image, &white, $0.baseAddress, 0, nil)
    }
    guard finished != 0 else { throw ImageError(file: file, .png(message(&image))) }
    return Image(
      width: Int(image.width), height: Int(image.height), channels: channels,
      pixels: buffer.map { Float($0) / 255 })
  }

  /// An 8-bit grey or RGB PNG (samples clamped to [0, 1] and rounded to 0…255).
  public static func encode(_ image: Image) throws(ImageError) -> [UInt8] {
    let samples = quantize8(image.pixels)
    var header = png_image()
    header.version = attn_png_image_version()
    header.width = UInt32(image.width)
    header.height = UInt32(image.height)
    header.format = image.channels == 3 ? UInt32(PNG_FORMAT_RGB) : UInt32(PNG_FORMAT_GRAY)
    defer { png_image_free(&header) }

    // First pass with no buffer asks for the size; the second writes (same arguments, as png.h
    // requires for png_image_write_get_memory_size).
    var size: png_alloc_size_t = 0
    let sized = samples.withUnsafeBytes {
      png_image_write_to_memory(&header, nil, &size, 0, $0.baseAddress, 0, nil)
    }
    guard sized != 0 else { throw ImageError(file: "png writer", .write(message(&header))) }
    var out = [UInt8](repeating: 0, count: Int(size))
    let wrote = out.withUnsafeMutableBytes { memory in
      samples.withUnsafeBytes {
        png_image_write_to_memory(&header, memory.baseAddress, &size, 0, $0.baseAddress, 0, nil)
      }
    }
    guard wrote != 0 else { throw ImageError(file: "png writer", .write(message(&header))) }
    return Array(out.prefix(Int(size)))
  }

  /// libpng's text for the last warning or error (always NUL-terminated within its 64 bytes).
  private static func message(_ image: inout png_image) -> String {
    let text = String(cString: attn_png_message(&image))
    return text.isEmpty ? "libpng failed without a message" : text
  }
}
