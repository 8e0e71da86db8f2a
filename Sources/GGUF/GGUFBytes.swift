// The bytes of a GGUF file at a fixed address for as long as any value made from the file lives:
// either a private copy on the heap (files given as bytes: tests, the fuzzer) or a read-only
// memory map of the file, so a 0.4–1 GB model is paged in on demand, never copied into the heap.
//
// The map is made by FileInput's `InputFile` (`mapReadOnly`), so its rules hold: regular files
// only, opened without blocking, the size from fstat.
// A mapped file that another process truncates afterwards makes reads past its new end fault
// (SIGBUS), as with llama.cpp's mmap; `GGUFFile.load(path:memoryMap: false)` reads it instead.
import FileInput

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

final class GGUFBytes: @unchecked Sendable {
  // Immutable after init; the bytes themselves are never written, so sharing between threads is safe.
  let base: UnsafeRawPointer
  let count: Int
  let isMapped: Bool
  private let mappedLength: Int

  var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

  /// A heap copy of `bytes` (64-byte aligned, like a mapping's page alignment for the kernels).
  init(copying bytes: [UInt8]) {
    let storage = UnsafeMutableRawPointer.allocate(byteCount: max(1, bytes.count), alignment: 64)
    bytes.withUnsafeBytes { raw in
      if let source = raw.baseAddress { storage.copyMemory(from: source, byteCount: raw.count) }
    }
    base = UnsafeRawPointer(storage)
    count = bytes.count
    isMapped = false
    mappedLength = 0
  }

  private init(mapped: UnsafeRawPointer, count: Int) {
    base = mapped
    self.count = count
    isMapped = true
    mappedLength = count
  }

  deinit {
    if isMapped {
      munmap(UnsafeMutableRawPointer(mutating: base), mappedLength)
    } else {
      UnsafeMutableRawPointer(mutating: base).deallocate()
    }
  }

  /// Maps the regular file at `path` read-only, opened by InputFile's rules (regular files only,
  /// without blocking, under `limit`); an empty file becomes an empty heap buffer.
  static func map(path: String, limit: Int) throws(InputFileError) -> GGUFBytes {
    let file = try InputFile.open(path, limit: limit)
    guard let address = try file.mapReadOnly() else { return GGUFBytes(copying: []) }
    return GGUFBytes(mapped: address, count: file.size)
  }
}
