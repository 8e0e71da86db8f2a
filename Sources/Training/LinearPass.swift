// Linear layer for training: y = x Wᵀ + b and its backward (llm.c `matmul_forward`/`matmul_backward`),
// every product through BLAS. Also the pointer helpers the other passes share.
import Tensors
import Transformer

struct LinearPass {
  let name: String
  let weight: Tensor  // [out, in]
  let bias: [Float]?  // [out]

  init(_ parameters: ParameterStore, _ name: String) {
    self.name = name
    weight = parameters["\(name).weight"]
    bias = parameters.optional("\(name).bias")?.scalars
  }

  var inputWidth: Int { weight.columns }
  var outputWidth: Int { weight.rows }

  /// x [n, in] → y [n, out] = x Wᵀ + b. Rows start as the bias so BLAS adds the product onto them.
  func forward(_ x: Tensor) -> Tensor {
    let (n, input, output) = (x.rows, inputWidth, outputWidth)
    precondition(x.columns == input, "\(name): input \(x.shape), weight \(weight.shape)")
    var y = Tensor(zeros: [n, output])
    guard n > 0 else { return y }
    if let bias {
      y.scalars.withUnsafeMutableBufferPointer { yp in
        for r in 0..<n { (yp.baseAddress! + r * output).update(from: bias, count: output) }
      }
    }
    x.withPointer { xp in
      weight.withPointer { wp in
        y.withMutablePointer { yp in
          // [n, in] · [in, out] → [n, out]
          Gemm.multiply(
            MatrixView(xp, rows: n, columns: input),
            MatrixView(wp, rows: output, columns: input, transposed: true), into: yp,
            beta: bias == nil ? 0 : 1)
        }
      }
    }
    return y
  }

  /// dy [n, out], x [n, in] (the forward input) → dx [n, in] added onto `dx`;
  /// dW [out, in] += dyᵀ x and db [out] += Σ_rows dy into `gradients`.
  func backward(_ dy: Tensor, input x: Tensor, _ gradients: GradientBuffer, addingTo dx: inout Tensor) {
    let (n, input, output) = (x.rows, inputWidth, outputWidth)
    precondition(dy.shape == [n, output] && dx.shape == [n, input], "\(name) backward shapes")
    guard n > 0 else { return }
    let dWeight = gradients.pointer("\(name).weight")
    dy.withPointer { dyp in
      x.withPointer { xp in
        // [out, n] · [n, in] → [out, in], accumulated
        Gemm.multiply(
          MatrixView(dyp, rows: n, columns: output, transposed: true),
          MatrixView(xp, rows: n, columns: input), into: dWeight, beta: 1)
      }
      weight.withPointer { wp in
        dx.withMutablePointer { dxp in
          // [n, out] · [out, in] → [n, in], accumulated
          Gemm.multiply(
            MatrixView(dyp, rows: n, columns: output), MatrixView(wp, rows: output, columns: input),
            into: dxp, beta: 1)
        }
      }
      if bias != nil {
        let dBias = gradients.pointer("\(name).bias")
        for r in 0..<n {
          let row = dyp + r * output
          for c in 0..<output { dBias[c] += row[c] }
        }
      }
    }
  }

  /// The same backward into a fresh dx [n, in].
  func backward(_ dy: Tensor, input x: Tensor, _ gradients: GradientBuffer) -> Tensor {
    var dx = Tensor(zeros: [x.rows, inputWidth])
    backward(dy, input: x, gradients, addingTo: &dx)
    return dx
  }
}

extension Tensor {
  /// The scalars' base address for BLAS and raw loops. Callers skip empty tensors (no storage).
  func withPointer<R>(_ body: (UnsafePointer<Float>) throws -> R) rethrows -> R {
    try scalars.withUnsafeBufferPointer { try body($0.baseAddress!) }
  }

  mutating func withMutablePointer<R>(_ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
    try scalars.withUnsafeMutableBufferPointer { try body($0.baseAddress!) }
  }

  /// self += other, elementwise (a residual branch joining its gradient).
  mutating func add(_ other: Tensor) {
    precondition(shape == other.shape, "add \(shape) + \(other.shape)")
    let n = count
    guard n > 0 else { return }
    withMutablePointer { a in other.withPointer { b in for i in 0..<n { a[i] += b[i] } } }
  }
}
