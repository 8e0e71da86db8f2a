// A long input's feed-forward runs in blocks of rows (FeedForward.blockFloats) to bound its
// intermediates; each position is independent, so the blocks must give the whole pass's rows.
import TestSupport
import Testing

@testable import Tensors
@testable import Transformer

@Suite struct FeedForwardBlockTests {
  @Test(arguments: [64, 100, 299, 300, 301])
  func blocksOfRowsGiveTheWholePass(rows: Int) throws {
    let (d, ffn) = (16, 32)
    var random = SeededGenerator(seed: 3)
    func tensor(_ shape: [Int]) -> Tensor {
      Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in random.nextNormal() * 0.5 })
    }
    let store = ParameterStore(tensors: [
      "f.fc1.weight": tensor([ffn, d]), "f.fc1.bias": tensor([ffn]),
      "f.fc2.weight": tensor([d, ffn]), "f.fc2.bias": tensor([d]),
    ])
    let config = try ModelConfig.fixture(dModel: d, heads: 4)
    let feedForward = FeedForward(store, "f", config: config)
    let x = tensor([rows, d])
    let whole = feedForward.positionwise(x)
    // 64 rows per block (the smallest block allowed): up to five blocks, the last one short.
    let blocked = feedForward(x, blockFloats: 64 * ffn)
    #expect(blocked.shape == whole.shape)
    expectClose(blocked.scalars, whole.scalars, tolerance: 1e-6, "\(rows) rows in blocks of 64")
  }
}
