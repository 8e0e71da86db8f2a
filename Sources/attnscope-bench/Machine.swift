// What the numbers were measured on: CPU, cores, memory, BLAS and its thread count.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

enum Machine {
  static func cpuModel() -> String {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else {
      return "unknown (no /proc/cpuinfo)"
    }
    for line in text.split(separator: "\n") where line.hasPrefix("model name") {
      if let colon = line.firstIndex(of: ":") {
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      }
    }
    return "unknown"
  }

  static func memory() -> String {
    guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
      let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemTotal:") }),
      let kib = Double(line.split(separator: " ").dropFirst().first ?? "")
    else { return "unknown" }
    return fixed(kib / 1024 / 1024, 1) + " GiB"
  }

  /// The 1/5/15-minute load averages, to tell a quiet machine from a busy one.
  /// The process's peak resident set so far (getrusage's ru_maxrss, kilobytes on Linux).
  static func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss) * 1024
  }

  static func loadAverage() -> String {
    guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else {
      return "load average unknown"
    }
    return "load average " + text.split(separator: " ").prefix(3).joined(separator: " ")
  }

  /// `nproc`: the processors this process may run on.
  static var cores: Int { ProcessInfo.processInfo.activeProcessorCount }

  /// BLAS name and the thread count OpenBLAS reports (it reads OPENBLAS_NUM_THREADS at load time).
  /// Looked up with dlsym so this target needs no C module of its own.
  static func blas() -> String {
    #if canImport(Accelerate)
      return "Accelerate"
    #else
      let environment = ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"]
      let envText = "OPENBLAS_NUM_THREADS=" + (environment ?? "(unset)")
      guard let handle = dlopen(nil, RTLD_NOW) else { return "OpenBLAS (?), " + envText }
      var parts = ["OpenBLAS"]
      if let symbol = dlsym(handle, "openblas_get_config") {
        typealias Config = @convention(c) () -> UnsafePointer<CChar>?
        if let text = unsafeBitCast(symbol, to: Config.self)() { parts.append(String(cString: text)) }
      }
      if let symbol = dlsym(handle, "openblas_get_num_threads") {
        typealias Threads = @convention(c) () -> Int32
        parts.append("threads \(unsafeBitCast(symbol, to: Threads.self)())")
      }
      return parts.joined(separator: ", ") + "; " + envText
    #endif
  }

  static func summary() -> [String] {
    [
      "machine: \(cpuModel()), nproc \(cores), memory \(memory())",
      "BLAS: \(blas())",
    ]
  }
}
