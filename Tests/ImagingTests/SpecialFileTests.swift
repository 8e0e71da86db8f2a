// Images that are not regular files: a FIFO is refused at once (never waited on), /dev/zero is
// refused without reading its 2 GB, a sparse file over the limit is refused from its size.
import Foundation
import Imaging
import TestSupport
import Testing

@Suite struct SpecialFileTests {
  func loadError(_ path: String) -> String? {
    do {
      _ = try ImageFile.load(path)
      return nil
    } catch { return error.description }
  }

  @Test func aFIFOIsRefusedWithoutBlocking() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("img-\(UUID().uuidString).png")
      .path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let text = try SpecialFiles.withFIFO(at: path) { loadError(path) }
    #expect(text == "\(path): cannot read: is a FIFO (named pipe), not a regular file")
  }

  @Test func devZeroIsRefusedUnread() {
    var text: String?
    let seconds = SpecialFiles.seconds { text = loadError("/dev/zero") }
    #expect(text == "/dev/zero: cannot read: is a character device, not a regular file")
    #expect(seconds < 2)
  }

  @Test func aSparseFileOverTheLimitIsRefusedFromItsSize() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("img-\(UUID().uuidString).ppm")
      .path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try SpecialFiles.sparse(at: path, prefix: Array("P6\n1 1\n255\n".utf8), size: 3 << 30)
    var text: String?
    let seconds = SpecialFiles.seconds { text = loadError(path) }
    #expect(text?.hasPrefix("\(path): file is 3221225472 bytes, over the limit of") == true, "\(text ?? "")")
    #expect(seconds < 2)
  }
}
