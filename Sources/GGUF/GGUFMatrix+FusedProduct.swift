// WeightMatrix's hook for decode steps: 1–16 input rows go through the fused quantised kernels
// (matvec.c), split over the cores once the CLI owns the threads, as the tiled products are.
import Tensors

extension GGUFMatrix {
  public func multiplyFewRows(_ x: UnsafePointer<Float>, count n: Int, into y: UnsafeMutablePointer<Float>)
    -> Bool
  {
    guard n >= 1, n <= GGUFMatrix.maxFusedRows else { return false }
    let threads = Parallelism.ownsThreads && !Parallelism.splittingSuspended ? Softmax.threads : 1
    multiplyRows(x: x, n: n, into: y, threads: threads)
    return true
  }
}
