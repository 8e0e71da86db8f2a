// libFuzzer entry point for the image readers: any bytes must give an Image or an ImageError from
// the PNM decoder, the PNG decoder (libpng's simplified API) and the magic-byte dispatcher, never a
// crash; an accepted image must survive a resize and a re-encode.
// Build and run: make fuzz FUZZ_TARGETS=image (the flags are in the Makefile)
import Imaging

/// Small limits keep each input fast: a 20-byte header may claim 64 M pixels, and a PNG may
/// legitimately inflate that far, which is worth testing once, not on every execution.
let fuzzLimits = ImageLimits(maxSide: 4096, maxPixels: 1 << 20, maxFileBytes: 1 << 20)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  // Each decoder directly as well as through the dispatcher, so PNM sees bytes without its magic
  // and libpng sees bytes without the signature.
  let images = [
    try? PNM.decode(bytes, file: "fuzz.pnm", limits: fuzzLimits),
    try? PNG.decode(bytes, file: "fuzz.png", limits: fuzzLimits),
    try? ImageFile.decode(bytes, file: "fuzz", limits: fuzzLimits),
  ]
  for case let image? in images {
    precondition(image.pixels.allSatisfy { $0 >= 0 && $0 <= 1 }, "decoded sample outside [0, 1]")
    _ = image.resized(height: 3, width: 5)
    let again = try? ImageFile.decode(PNM.encode(image), file: "re-encoded", limits: fuzzLimits)
    precondition(again?.width == image.width && again?.height == image.height, "PNM round trip")
  }
  return 0
}
