// An RGB image drawn in terminal cells: two pixel rows per cell with the upper half block (foreground
// = upper pixel, background = lower pixel), so a pixel is about square in a 1:2 cell. Optional grid
// lines between patches (a ViT's P×P cells), a per-pixel brightness (for an attention overlay), and
// one highlighted patch. Without colours or half blocks it falls back to a luminance shade ramp.

public struct ImageWidget {
  /// HWC, 3 channels, samples in [0, 1].
  public var pixels: [Float]
  public var width: Int
  public var height: Int
  public var depth: ColorDepth
  public var glyphs: Glyphs = .unicode
  /// Terminal columns per pixel (1, 2, …); each cell row holds two pixel rows at scale 1 and one
  /// at scale 2 (the scale keeps pixels square).
  public var scale = 1
  /// Patch side in pixels; with `gridLines`, a line is drawn around every patch.
  public var patchSize: Int?
  public var gridLines = false
  /// Multiplies each pixel's colour, [height·width] in [0, 1] (e.g. attention received).
  public var brightness: [Float]?
  /// The patch (row, column) drawn with a highlighted outline.
  public var highlightedPatch: (row: Int, column: Int)?
  public var highlightColor: Color = .rgb(255, 215, 0)

  public init(pixels: [Float], width: Int, height: Int, depth: ColorDepth) {
    precondition(pixels.count == width * height * 3, "ImageWidget takes RGB pixels")
    self.pixels = pixels
    self.width = width
    self.height = height
    self.depth = depth
  }

  var halfBlocks: Bool { depth.showsGradients && glyphs.upperHalfBlock != nil }
  /// Pixel rows per cell row.
  var pixelsPerRow: Int { scale >= 2 || !halfBlocks ? 1 : 2 }
  var gridCount: Int { patchSize.map { width / $0 } ?? 0 }
  /// Half blocks pair pixel rows, so lines need patches of an even height there.
  var linesShown: Bool {
    gridLines && gridCount > 0 && (pixelsPerRow == 1 || patchSize! % 2 == 0)
  }

  /// Columns and rows the widget occupies.
  public var size: (width: Int, height: Int) {
    let rowsPerPixel = scale >= 2 ? scale / 2 : 1
    let cellRows = pixelsPerRow == 2 ? (height + 1) / 2 : height * rowsPerPixel
    let lines = linesShown ? gridCount + 1 : 0
    return (width * scale + lines, cellRows + (linesShown ? height / patchSize! + 1 : 0))
  }

  /// The largest scale (4, 2 or 1) at which the image fits in `box`, with or without grid lines.
  public mutating func fit(width boxWidth: Int, height boxHeight: Int) {
    for candidate in [4, 2, 1] {
      scale = candidate
      let fits = size.width <= boxWidth && size.height <= boxHeight
      if fits { return }
    }
  }

  public func draw(into canvas: inout Canvas, x: Int, y: Int) {
    let rowsPerPixel = scale >= 2 ? scale / 2 : 1
    var cellY = y
    var pixelY = 0
    while pixelY < height {
      if linesShown, pixelY % patchSize! == 0 {
        drawHorizontalLine(into: &canvas, x: x, y: cellY, patchRow: pixelY / patchSize!)
        cellY += 1
      }
      for repeatRow in 0..<(pixelsPerRow == 2 ? 1 : rowsPerPixel) {
        drawPixelRow(into: &canvas, x: x, y: cellY + repeatRow, pixelY: pixelY)
      }
      cellY += pixelsPerRow == 2 ? 1 : rowsPerPixel
      pixelY += pixelsPerRow
    }
    if linesShown { drawHorizontalLine(into: &canvas, x: x, y: cellY, patchRow: gridCount) }
  }

  /// A cell row covering pixel rows `pixelY` (and `pixelY + 1` with half blocks).
  func drawPixelRow(into canvas: inout Canvas, x: Int, y: Int, pixelY: Int) {
    var cellX = x
    for pixelX in 0..<width {
      if linesShown, pixelX % patchSize! == 0 {
        canvas[cellX, y] = lineCell(
          glyphs.box.vertical, patchRow: pixelY / patchSize!,
          patchColumns: [pixelX / patchSize! - 1, pixelX / patchSize!])
        cellX += 1
      }
      let cell = pixelCell(x: pixelX, y: pixelY)
      for _ in 0..<scale {
        canvas[cellX, y] = cell
        cellX += 1
      }
    }
    if linesShown {
      canvas[cellX, y] = lineCell(
        glyphs.box.vertical, patchRow: pixelY / patchSize!, patchColumns: [gridCount - 1])
    }
  }

  func pixelCell(x: Int, y: Int) -> Cell {
    let upper = color(x: x, y: y)
    guard halfBlocks else {
      return Cell(ShadeRamp.character(at: luminance(upper), ramp: glyphs.shadeRamp), foreground: upper.color)
    }
    let lower = pixelsPerRow == 2 && y + 1 < height ? color(x: x, y: y + 1) : upper
    return Cell(glyphs.upperHalfBlock!, foreground: upper.color, background: lower.color)
  }

  func color(x: Int, y: Int) -> (r: Float, g: Float, b: Float, color: Color) {
    let base = (y * width + x) * 3
    let factor = brightness.map { $0[y * width + x] } ?? 1
    let (r, g, b) = (pixels[base] * factor, pixels[base + 1] * factor, pixels[base + 2] * factor)
    func byte(_ v: Float) -> UInt8 { UInt8(max(0, min(255, (v * 255).rounded()))) }
    return (r, g, b, .rgb(byte(r), byte(g), byte(b)))
  }

  func luminance(_ c: (r: Float, g: Float, b: Float, color: Color)) -> Double {
    Double(0.299 * c.r + 0.587 * c.g + 0.114 * c.b)
  }

  /// A grid line between patch rows `patchRow − 1` and `patchRow`, with its crossings.
  func drawHorizontalLine(into canvas: inout Canvas, x: Int, y: Int, patchRow: Int) {
    var cellX = x
    for column in 0...gridCount {
      canvas[cellX, y] = lineCell(
        junction(
          top: patchRow == 0, bottom: patchRow == gridCount, left: column == 0, right: column == gridCount),
        patchRows: [patchRow - 1, patchRow], patchColumns: [column - 1, column])
      cellX += 1
      guard column < gridCount else { break }
      let cell = lineCell(glyphs.box.horizontal, patchRows: [patchRow - 1, patchRow], patchColumns: [column])
      for _ in 0..<(patchSize! * scale) {
        canvas[cellX, y] = cell
        cellX += 1
      }
    }
  }

  /// Where grid lines meet: corners and tees on the outline, crosses inside ("+" in ASCII).
  func junction(top: Bool, bottom: Bool, left: Bool, right: Bool) -> Character {
    guard glyphs.box.horizontal != "-" else { return "+" }
    switch (top, bottom, left, right) {
    case (true, _, true, _): return "┌"
    case (true, _, _, true): return "┐"
    case (_, true, true, _): return "└"
    case (_, true, _, true): return "┘"
    case (true, _, _, _): return "┬"
    case (_, true, _, _): return "┴"
    case (_, _, true, _): return "├"
    case (_, _, _, true): return "┤"
    default: return "┼"
    }
  }

  func lineCell(_ character: Character, patchRow: Int, patchColumns: [Int]) -> Cell {
    lineCell(character, patchRows: [patchRow], patchColumns: patchColumns)
  }

  /// Lines bordering the highlighted patch take the highlight colour.
  func lineCell(_ character: Character, patchRows: [Int], patchColumns: [Int]) -> Cell {
    let touches =
      highlightedPatch.map { patchRows.contains($0.row) && patchColumns.contains($0.column) } ?? false
    return touches
      ? Cell(character, foreground: highlightColor, attributes: [.bold])
      : Cell(character, foreground: .ansi(8))
  }

  /// The pixel under terminal cell (cellX, cellY) relative to the widget's origin, if any.
  public func pixel(atX cellX: Int, y cellY: Int) -> (x: Int, y: Int)? {
    let rowsPerPixel = scale >= 2 ? scale / 2 : 1
    var (cx, cy) = (cellX, cellY)
    if linesShown {
      let patchColumns = patchSize! * scale + 1
      guard cx % patchColumns != 0 else { return nil }
      cx -= cx / patchColumns + 1
      let patchRows = (pixelsPerRow == 2 ? patchSize! / 2 : patchSize! * rowsPerPixel) + 1
      guard cy % patchRows != 0 else { return nil }
      cy -= cy / patchRows + 1
    }
    let px = cx / scale
    let py = pixelsPerRow == 2 ? cy * 2 : cy / rowsPerPixel
    guard cx >= 0, cy >= 0, px < width, py < height else { return nil }
    return (px, py)
  }
}
