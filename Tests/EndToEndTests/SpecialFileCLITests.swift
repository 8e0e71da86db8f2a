// Issue #13 class 3 through the binary: `--image` as a FIFO or a device is one line on stderr and
// exit status 1, at once. A regressed blocking open() is released by a writer after 2 s (the test
// then fails on its message rather than hanging).
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@Suite struct SpecialFileCLITests {
  @Test func aFIFOOrADeviceAsTheImageIsOneLine() throws {
    let fifo = FileManager.default.temporaryDirectory.appendingPathComponent("img-\(UUID().uuidString).png")
      .path
    #expect(mkfifo(fifo, 0o600) == 0)
    defer { unlink(fifo) }
    let done = NSLock()
    nonisolated(unsafe) var finished = false
    let releaser = Thread {
      Thread.sleep(forTimeInterval: 2)
      while !done.withLock({ finished }) {
        let fd = open(fifo, O_WRONLY | O_NONBLOCK)
        if fd >= 0 { close(fd) }
        Thread.sleep(forTimeInterval: 0.05)
      }
    }
    releaser.start()
    defer { done.withLock { finished = true } }
    for (path, kind) in [(fifo, "a FIFO (named pipe)"), ("/dev/zero", "a character device")] {
      let start = Date()
      let run = try runBinary(["classify", "--image", path])
      #expect(run.status == 1)
      #expect(
        run.errors == "attnscope: \(path): cannot read: is \(kind), not a regular file\n", "\(run.errors)")
      #expect(run.output.isEmpty)
      #expect(Date().timeIntervalSince(start) < 10)
    }
  }
}
