// The machine's measured peak (an FMA-throughput loop and a streaming read, on every core) for the
// benchmark header, and the GEMM section: the engine's real product shapes, x [n, d] · Wᵀ with W a
// weight [d′, d], through OpenBLAS and through CGemm (packing W on every call, and pre-packed once),
// each row with its share of the peak; decode steps (1–16 rows) against the read bandwidth.
import CGemm
import Dispatch
import Tensors

enum Peak {
  /// FP32 FLOP/s of independent FMAs at the widest level, all cores at once.
  nonisolated(unsafe) static var flops = 0.0
  /// Bytes/s of a streaming read over 512 MB split across the cores.
  nonisolated(unsafe) static var bandwidth = 0.0

  static func measure() {
    let threads = Softmax.threads
    let clock = ContinuousClock()
    var best = 0.0
    for _ in 0..<5 {
      let start = clock.now
      let done = UnsafeMutablePointer<Double>.allocate(capacity: threads)
      defer { done.deallocate() }
      let address = Int(bitPattern: done)
      DispatchQueue.concurrentPerform(iterations: threads) { t in
        var sink: Float = 0
        UnsafeMutablePointer<Double>(bitPattern: address)![t] = attnscope_probe_fma(
          Int32(ATTNSCOPE_GEMM_AVX512), 4_000_000, &sink)
        consume(sink)
      }
      let total = (0..<threads).reduce(0.0) { $0 + done[$1] }
      best = max(best, total / (clock.now - start).seconds)
    }
    flops = best
    let count = 128 << 20  // floats: 512 MB, far past any cache
    let buffer = UnsafeMutablePointer<Float>.allocate(capacity: count)
    defer { buffer.deallocate() }
    buffer.initialize(repeating: 1, count: count)
    let address = Int(bitPattern: buffer)
    var fastest = Double.infinity
    for _ in 0..<5 {
      let start = clock.now
      DispatchQueue.concurrentPerform(iterations: threads) { t in
        let base = UnsafePointer<Float>(bitPattern: address)! + t * count / threads
        consume(attnscope_probe_read(base, count / threads))
      }
      fastest = min(fastest, (clock.now - start).seconds)
    }
    bandwidth = Double(count * 4) / fastest
  }

  static func summary() -> String {
    "measured peak: \(fixed(flops / 1e9, 1)) GFLOP/s FP32 (AVX-512 FMA loop, \(Softmax.threads) threads), "
      + "\(fixed(bandwidth / 1e9, 1)) GB/s streaming read; best CGemm level here: \(GemmKernel.best.rawValue)"
  }

  static func flopShare(_ flops: Double) -> (Double) -> String {
    { seconds in
      let rate = flops / seconds
      return fixed(rate / 1e9, 1) + " GFLOP/s, " + fixed(100 * rate / Peak.flops, 0) + " % of peak"
    }
  }

  static func bandwidthShare(_ bytes: Double) -> (Double) -> String {
    { seconds in
      let rate = bytes / seconds
      return fixed(rate / 1e9, 1) + " GB/s, " + fixed(100 * rate / Peak.bandwidth, 0) + " % of bandwidth"
    }
  }
}

extension AttnscopeBench {
  static func random(_ count: Int, seed: UInt64) -> [Float] {
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { _ in generator.nextUniform() - 0.5 }
  }

  /// x [n, d] · Wᵀ, W [d′, d]: OpenBLAS, CGemm packing W per call, CGemm with W pre-packed.
  static func engineShapeRows() {
    Bench.printHeader("GEMM, the engine's prompt-pass shapes: x [n, d] · Wᵀ, W [d′, d] (float32)")
    let shapes: [(String, Int, Int, Int)] = [
      ("MiniLM FFN", 512, 384, 1536), ("GPT-2 FFN", 1024, 768, 3072), ("SmolLM2 FFN", 512, 576, 1536),
      ("SmolLM2 LM head", 512, 576, 49152),
    ]
    for (label, n, d, dOut) in shapes {
      let x = Tensor(shape: [n, d], scalars: random(n * d, seed: 1))
      let w = Tensor(shape: [dOut, d], scalars: random(dOut * d, seed: 2))
      let flops = 2 * Double(n) * Double(d) * Double(dOut)
      for kernel in [GemmKernel.openBLAS, GemmKernel.best] {
        let name = kernel == .openBLAS ? "OpenBLAS" : "CGemm \(kernel.rawValue)"
        Bench.row("\(label) \(n)×\(d)×\(dOut) \(name)", derive: Peak.flopShare(flops)) {
          consume(x.matmul(w, transposingOther: true, kernel: kernel))
        }
      }
      let packed = WeightMatrix.dense(w).packedForProducts()
      Bench.row("\(label) \(n)×\(d)×\(dOut) CGemm pre-packed", derive: Peak.flopShare(flops)) {
        consume(packed.multiplyTransposed(x))
      }
    }
  }

  /// One decode step's products of GPT-2 small (12 layers of qkv, out, fc, proj, then the LM head)
  /// for 1–16 rows: every weight read once, so the figure is bytes per second.
  static func decodeStepRows() {
    Bench.printHeader("GEMM, GPT-2-small decode step (every weight once: 124 M floats, 494 MB)")
    let d = 768
    let layer = [(3 * d, d), (d, d), (4 * d, d), (d, 4 * d)]
    let shapes = Array(repeating: layer, count: 12).flatMap { $0 } + [(50257, d)]
    let weights = shapes.enumerated().map { index, shape in
      Tensor(shape: [shape.0, shape.1], scalars: random(shape.0 * shape.1, seed: UInt64(index)))
    }
    let bytes = Double(weights.reduce(0) { $0 + $1.count } * 4)
    for rows in [1, 4, 16] {
      let inputs = [d, 4 * d].map { width in
        (width, Tensor(shape: [rows, width], scalars: random(rows * width, seed: 3)))
      }
      let x = Dictionary(uniqueKeysWithValues: inputs)
      for kernel in [GemmKernel.openBLAS, .automatic] {
        let name = kernel == .openBLAS ? "OpenBLAS" : "CGemm \(GemmKernel.best.rawValue)"
        Bench.row(
          "decode step, \(rows) row\(rows == 1 ? "" : "s"), \(name)", derive: Peak.bandwidthShare(bytes)
        ) {
          for w in weights { consume(x[w.columns]!.matmul(w, transposingOther: true, kernel: kernel)) }
        }
      }
    }
  }
}
