// Timing and the printed table: warm-up, then repeat until a time budget is spent; report the median.

/// One measured row: every sample in seconds, plus the figure derived from the median.
struct Measurement {
  var name: String
  var samples: [Double]
  var derived: String

  var median: Double {
    let sorted = samples.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  }
  var minimum: Double { samples.min() ?? 0 }
}

extension Duration {
  var seconds: Double {
    let (whole, fraction) = components
    return Double(whole) + Double(fraction) * 1e-18
  }
}

/// Keeps results alive so the optimiser cannot drop the work that produced them.
@inline(never)
func consume<T>(_ value: T) {
  withExtendedLifetime(value) {}
}

enum Bench {
  /// Seconds each row may take after its warm-up (the row stops at `maxIterations` earlier).
  nonisolated(unsafe) static var budget = 0.8
  nonisolated(unsafe) static var rows: [Measurement] = []

  /// Runs `body` once to warm up, then at least `minIterations` times and until `budget` seconds
  /// have passed; `derive` turns the median (seconds) into the last column.
  @discardableResult
  static func row(
    _ name: String, minIterations: Int = 3, maxIterations: Int = 100_000,
    derive: (Double) -> String = { _ in "" }, _ body: () -> Void
  ) -> Measurement {
    let clock = ContinuousClock()
    body()
    var samples: [Double] = []
    let start = clock.now
    while samples.count < minIterations
      || (samples.count < maxIterations && (clock.now - start).seconds < budget)
    {
      let t0 = clock.now
      body()
      samples.append((clock.now - t0).seconds)
    }
    let measurement = Measurement(name: name, samples: samples, derived: "")
    var result = measurement
    result.derived = derive(measurement.median)
    rows.append(result)
    printRow(result)
    return result
  }

  static let nameWidth = 52

  static func printHeader(_ title: String) {
    print("")
    print("## \(title)")
    print(
      pad("name", nameWidth) + lpad("iters", 7) + lpad("median", 12) + lpad("min", 12) + "  derived")
  }

  static func printRow(_ m: Measurement) {
    print(
      pad(m.name, nameWidth) + lpad(String(m.samples.count), 7) + lpad(formatTime(m.median), 12)
        + lpad(formatTime(m.minimum), 12) + "  " + m.derived)
  }
}

func pad(_ s: String, _ width: Int) -> String {
  s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
}

func lpad(_ s: String, _ width: Int) -> String {
  s.count >= width ? " " + s : String(repeating: " ", count: width - s.count) + s
}

/// Fixed-point formatting without Foundation's String(format:).
func fixed(_ value: Double, _ digits: Int) -> String {
  guard value.isFinite else { return "\(value)" }
  var scale = 1.0
  for _ in 0..<digits { scale *= 10 }
  let rounded = (abs(value) * scale).rounded()
  let whole = Int(rounded / scale)
  let fraction = Int(rounded - Double(whole) * scale)
  let sign = value < 0 && rounded != 0 ? "-" : ""
  guard digits > 0 else { return sign + String(whole) }
  let fractionText = String(fraction)
  return sign + String(whole) + "."
    + String(repeating: "0", count: digits - fractionText.count) + fractionText
}

func formatTime(_ seconds: Double) -> String {
  if seconds >= 1 { return fixed(seconds, 3) + " s" }
  if seconds >= 1e-3 { return fixed(seconds * 1e3, 3) + " ms" }
  return fixed(seconds * 1e6, 2) + " µs"
}

func gflops(_ flops: Double) -> (Double) -> String {
  { seconds in fixed(flops / seconds / 1e9, 2) + " GFLOP/s" }
}

func tokensPerSecond(_ tokens: Int) -> (Double) -> String {
  { seconds in fixed(Double(tokens) / seconds, 0) + " tokens/s" }
}
