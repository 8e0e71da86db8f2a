// The sinusoidal table (Vaswani et al. 2017, §3.5): the formula's values, and one table for the
// engine and for screen 7 (both read Trace's SinusoidalTable).
import Foundation
import Testing
import Trace
import Transformer

@Suite struct SinusoidalTests {
  @Test func tableMatchesTheFormula() {
    let table = SinusoidalEncoding.table(positions: 10, dimensions: 6)
    #expect(table[0, 0] == 0 && table[0, 1] == 1)
    #expect(abs(table[3, 2] - Float(sin(3 / pow(10000, 2.0 / 6)))) < 1e-6)
    #expect(abs(table[7, 5] - Float(cos(7 / pow(10000, 4.0 / 6)))) < 1e-6)
  }

  @Test func engineAndScreensShareTheTable() {
    let engine = SinusoidalEncoding.table(positions: 33, dimensions: 10)
    let rows = SinusoidalTable.rows(positions: 33, dimensions: 10)
    #expect(rows.count == 33 && rows.allSatisfy { $0.count == 10 })
    #expect(rows.flatMap { $0 } == engine.scalars)
  }
}
