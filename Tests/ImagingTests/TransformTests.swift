// Resize against PyTorch (Fixtures/resize.json from scripts/make_image_fixtures.py:
// F.interpolate(mode="bilinear", align_corners=False, antialias=False)), grey → RGB, CHW and
// per-channel normalisation.
import Imaging
import TestSupport
import Testing

@Suite struct TransformTests {
  @Test func bilinearResizeMatchesPyTorch() throws {
    let cases = try Fixtures.json("resize.json")
    #expect(cases.count == 7)
    for entry in cases {
      let name = try #require(entry["name"] as? String)
      let inShape = try Fixtures.ints(entry["input_shape"])
      let outShape = try Fixtures.ints(entry["output_shape"])
      let input = Image(
        width: inShape[1], height: inShape[0], channels: inShape[2],
        pixels: try Fixtures.floats(entry["input"]))
      let output = input.resized(height: outShape[0], width: outShape[1])
      #expect(output.height == outShape[0] && output.width == outShape[1] && output.channels == outShape[2])
      expectClose(output.pixels, try Fixtures.floats(entry["output"]), tolerance: 2e-6, name)
    }
  }

  @Test func resizeKeepsConstantsAndIdentity() {
    let constant = Image(width: 7, height: 3, channels: 3, filledWith: 0.25)
    #expect(constant.resized(height: 11, width: 2).pixels.allSatisfy { abs($0 - 0.25) < 1e-7 })
    let ramp = Image(
      width: 4, height: 2, channels: 1, pixels: [0, 1, 2, 3, 4, 5, 6, 7].map { Float($0) / 7 })
    #expect(ramp.resized(height: 2, width: 4) == ramp)
    // Exact 2× downscale of a half-pixel grid averages 2×2 blocks.
    let two = Image(width: 2, height: 2, channels: 1, pixels: [0, 0.5, 0.5, 1]).resized(height: 1, width: 1)
    #expect(two.pixels == [0.5])
  }

  @Test func greyExpandsToRGB() {
    let grey = Image(width: 2, height: 1, channels: 1, pixels: [0.1, 0.9])
    let rgb = grey.rgb()
    #expect(rgb.channels == 3 && rgb.pixels == [0.1, 0.1, 0.1, 0.9, 0.9, 0.9])
    #expect(rgb.rgb() == rgb)
  }

  @Test func chwAndNormalisation() {
    // 1×2 RGB: pixel 0 = (0.1, 0.2, 0.3), pixel 1 = (0.4, 0.5, 0.6).
    let image = Image(width: 2, height: 1, channels: 3, pixels: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    #expect(image.chw() == [0.1, 0.4, 0.2, 0.5, 0.3, 0.6])
    let mean: [Float] = [0.1, 0.2, 0.3]
    let std: [Float] = [0.5, 0.25, 0.1]
    let hwc = image.normalized(mean: mean, std: std, layout: .hwc)
    expectClose(hwc, [0, 0, 0, 0.6, 1.2, 3], tolerance: 1e-5, "HWC")
    let chw = image.normalized(mean: mean, std: std, layout: .chw)
    expectClose(chw, [0, 0.6, 0, 1.2, 0, 3], tolerance: 1e-5, "CHW")
    let net = Image(width: 1, height: 1, channels: 3, pixels: Image.imageNetMean)
    #expect(net.normalized(mean: Image.imageNetMean, std: Image.imageNetStd, layout: .chw) == [0, 0, 0])
  }
}
