// A screen as a PNG file: Render's CanvasRaster pixels, encoded by libpng (Imaging's PNG).
import Imaging
import Render

public enum ScreenPicture {
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  /// The PNG bytes of `canvas` previewed at `depth` (12 × 20 pixels per cell).
  public static func png(_ canvas: Canvas, depth: ColorDepth) throws -> [UInt8] {
    let pixels = CanvasRaster.render(canvas, depth: depth)
    guard pixels.width > 0, pixels.height > 0 else { throw Failure(description: "the screen is empty") }
    let image = Image(
      width: pixels.width, height: pixels.height, channels: 3, pixels: pixels.rgb.map { Float($0) / 255 })
    do { return try PNG.encode(image) } catch { throw Failure(description: "\(error)") }
  }
}
