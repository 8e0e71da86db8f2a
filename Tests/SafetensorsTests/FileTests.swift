// Reading from disk: only regular files (a FIFO or a device is refused at once, never waited on or
// read), the header checked before any data is read, tensors read lazily, a file that shrinks later
// refused on one line.
import Foundation
import Safetensors
import TestSupport
import Testing

@Suite struct FileTests {
  func scratch() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("st-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  func loadError(_ path: String) -> String? {
    do {
      _ = try SafetensorsFile.load(path: path)
      return nil
    } catch { return error.description }
  }

  @Test func aFIFOIsRefusedWithoutBlocking() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("model.safetensors").path
    let message = try SpecialFiles.withFIFO(at: path) { loadError(path) }
    #expect(message == "model.safetensors: cannot read '\(path)': is a FIFO (named pipe), not a regular file")
  }

  @Test func devicesAndDirectoriesAreRefusedUnread() throws {
    #expect(
      loadError("/dev/zero") == "zero: cannot read '/dev/zero': is a character device, not a regular file")
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(loadError(folder.path)?.hasSuffix("is a directory, not a regular file") == true)
  }

  @Test func aSparseFileWithABadHeaderIsRefusedBeforeItsDataIsRead() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("model.safetensors").path
    let header = Array("{\"w\": 1}".utf8)
    let prefix = (0..<8).map { UInt8(truncatingIfNeeded: header.count >> (8 * $0)) } + header
    try SpecialFiles.sparse(at: path, prefix: prefix, size: 20 << 30)  // 20 GB, nearly all hole
    var message: String?
    let seconds = SpecialFiles.seconds { message = loadError(path) }
    #expect(message == "model.safetensors: tensor 'w': entry must be a JSON object, found number")
    #expect(seconds < 5)
  }

  @Test func aLargeValidFileIsOpenedWithoutReadingItsData() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("model.safetensors").path
    let size = 20 << 30
    // One U8 tensor filling the file after its header (padded to 8 bytes with spaces).
    func header(_ dataBytes: Int) -> [UInt8] {
      var text = "{\"w\":{\"dtype\":\"U8\",\"shape\":[\(dataBytes)],\"data_offsets\":[0,\(dataBytes)]}}"
      while (text.utf8.count + 8) % 8 != 0 { text += " " }
      return Array(text.utf8)
    }
    var text = header(size)
    text = header(size - 8 - text.count)
    let prefix = (0..<8).map { UInt8(truncatingIfNeeded: text.count >> (8 * $0)) } + text
    try SpecialFiles.sparse(at: path, prefix: prefix, size: size)
    var file: SafetensorsFile?
    let seconds = try SpecialFiles.seconds { file = try SafetensorsFile.load(path: path) }
    #expect(file?.tensorsInOrder.first?.shape == [size - 8 - text.count])
    #expect(seconds < 5)
  }

  @Test func tensorsAreReadFromTheFileAndAShrunkFileIsNamed() throws {
    let folder = try scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("model.safetensors").path
    var writer = SafetensorsWriter()
    try writer.add("a", shape: [2], floats: [1.5, -2])
    try writer.add("b", shape: [3], floats: [7, 8, 9])
    try writer.write(toPath: path)
    let file = try SafetensorsFile.load(path: path)
    #expect(try file.floats("a") == [1.5, -2])
    #expect(try file.floats("b") == [7, 8, 9])
    #expect(try file.rawBytes("a").count == 8)
    // Cut after the header was checked: the next read says so instead of reading past the end.
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.truncate(atOffset: UInt64(8 + file.headerLength + 8))
    try handle.close()
    #expect(try file.floats("a") == [1.5, -2])
    #expect(throws: SafetensorsError.self) { try file.floats("b") }
    do { _ = try file.floats("b") } catch {
      #expect(
        error.description
          == "model.safetensors: tensor 'b': cannot read its data: the file got shorter while it was read")
    }
  }
}
