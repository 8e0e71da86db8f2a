// What screens 5–7 remember between keys (the model view's cursor is the attention screen's layer
// and head, so Enter zooms into the same one), the attention zoom and sink view, and the positional
// tables the host hands over as plain data (AppCore never sees the engine).
import Render

public struct ScreenSelections: Sendable, Equatable {
  /// Attention screen: the zoom (`z` / `Z`), nil for "fill the window" (AttentionScale.swift).
  public var attentionScale: AttentionScale?
  /// Attention screen: how the overview of a long input pools its cells (`p`).
  public var attentionPooling: Pooling = .max
  /// Attention screen: the strip of every head of the layer, where they fit (`t`).
  public var headStrip = true
  /// Lines view (screen 9): lines from every query token, not only the selected one (`a`).
  public var linesEveryToken = false
  /// Lines view: every head overlaid in its own colour, not only the selected head (`m`).
  public var linesAllHeads = false
  /// Screens 1, 2, 3 and 5 (`w`): key 0, the attention sink, left out and every row renormalised
  /// over the other keys (AttentionSink.swift).
  public var hidesSink = false
  /// Positional screen: how the PE table is shrunk into its pane (`p`): mean, or the signed
  /// largest magnitude.
  public var positionalPooling: Pooling = .mean
  /// Positional screen: which pane the cursor keys move in (Tab switches).
  public var positionalFocus: PositionalPane = .encoding
  /// Positional screen: 0 is the sinusoidal table below, 1… the model's own tables.
  public var positionalSource = 0
  /// Sinusoidal table size (`+` `-` positions, `]` `[` dimensions).
  public var sinusoidPositions = 64
  public var sinusoidDimensions = 128
  /// How many rows of a model table are shown (its first ones); nil: up to `maxModelPositions`.
  public var modelPositions: Int?
  /// Positional screen cursors: (position, dimension) in the PE matrix, (position, position) in
  /// the similarity matrix; for a patch grid, the similarity cursor's row is the chosen patch.
  public var encodingCursor = GridPoint(row: 0, column: 0)
  public var similarityCursor = GridPoint(row: 0, column: 0)
  /// For a table with a patch grid: show one small similarity map per patch (ViT fig. 7), not the
  /// full matrix.
  public var patchMaps = true
  /// For a rotary table (`f`): the similarity pane as q·k against distance, one curve, instead of
  /// the full matrix (every row of which is that curve shifted). The cursor's distance is then
  /// `similarityCursor.column`.
  public var rotaryPlot = false

  public init() {}

  public static let positionLimits = 2...1024
  public static let dimensionLimits = 2...1024
  /// Cosine similarity costs positions² × dimensions; model tables beyond this many rows are cut.
  public static let maxModelPositions = 512
}

public struct GridPoint: Sendable, Equatable {
  public var row: Int
  public var column: Int
  public init(row: Int, column: Int) {
    self.row = row
    self.column = column
  }
}

public enum PositionalPane: Sendable, Equatable {
  case encoding, similarity
}

/// A model's positional table, [positions][dimensions], as the host read it from the model.
public struct PositionalTable: Sendable, Equatable {
  /// e.g. "encoder.embed_positions.weight (learned)".
  public var name: String
  public var values: [[Float]]
  /// Row labels where rows are not plain positions (e.g. "[CLS]", "p(0,0)" for ViT).
  public var rowLabels: [String]?
  /// Set for image models: rows `leadingRows ..< leadingRows + rows·columns` are patches in
  /// row-major order over a `rows` × `columns` grid (ViT: one [CLS] row first).
  public var grid: PatchGrid?
  /// Set for a rotary model's table (RotaryReading.swift): fᵢ per dimension pair in radians per
  /// token, column 2i of row p being sin(p·fᵢ) and column 2i + 1 cos(p·fᵢ).
  public var rotaryFrequencies: [Float]?

  public init(
    name: String, values: [[Float]], rowLabels: [String]? = nil, grid: PatchGrid? = nil,
    rotaryFrequencies: [Float]? = nil
  ) {
    self.name = name
    self.values = values
    self.rowLabels = rowLabels
    self.grid = grid
    self.rotaryFrequencies = rotaryFrequencies
  }
}

public struct PatchGrid: Sendable, Equatable {
  public var rows: Int
  public var columns: Int
  /// Rows of the table before the first patch ([CLS] and other special tokens).
  public var leadingRows: Int
  public init(rows: Int, columns: Int, leadingRows: Int = 1) {
    self.rows = rows
    self.columns = columns
    self.leadingRows = leadingRows
  }
}
