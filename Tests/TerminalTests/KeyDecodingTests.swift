// Decoding of wget_wch key codes and getmouse button states, without a terminal.
import CNcurses
import Render
import Testing

@testable import Terminal

@Suite struct KeyDecodingTests {
  @Test func functionKeys() {
    let expected: [(Int32, Key)] = [
      (KEY_UP, .up), (KEY_DOWN, .down), (KEY_LEFT, .left), (KEY_RIGHT, .right),
      (KEY_HOME, .home), (KEY_FIND, .home), (KEY_END, .end), (KEY_SELECT, .end),
      (KEY_PPAGE, .pageUp), (KEY_NPAGE, .pageDown), (KEY_ENTER, .enter), (KEY_BTAB, .backTab),
      (KEY_BACKSPACE, .backspace), (KEY_DC, .delete), (KEY_F0 + 1, .function(1)),
      (KEY_F0 + 12, .function(12)),
    ]
    for (code, key) in expected {
      #expect(decodeKeyCode(code, isFunctionKey: true) == key, "code \(code)")
    }
  }

  @Test func keysTheCallerHandlesOrIgnores() {
    for code in [KEY_MOUSE, KEY_RESIZE, KEY_F0, KEY_F0 + 13, KEY_IC, 0, -1] {
      #expect(decodeKeyCode(code, isFunctionKey: true) == nil, "code \(code)")
    }
  }

  @Test func controlBytes() {
    #expect(decodeKeyCode(13, isFunctionKey: false) == .enter)
    #expect(decodeKeyCode(10, isFunctionKey: false) == .enter)
    #expect(decodeKeyCode(9, isFunctionKey: false) == .tab)
    #expect(decodeKeyCode(27, isFunctionKey: false) == .escape)
    #expect(decodeKeyCode(127, isFunctionKey: false) == .backspace)
    #expect(decodeKeyCode(8, isFunctionKey: false) == .backspace)
    #expect(decodeKeyCode(1, isFunctionKey: false) == .control("a"))
    #expect(decodeKeyCode(3, isFunctionKey: false) == .control("c"))
    #expect(decodeKeyCode(26, isFunctionKey: false) == .control("z"))
    for code: Int32 in [0, 28, 29, 30, 31] { #expect(decodeKeyCode(code, isFunctionKey: false) == nil) }
  }

  @Test func printableCharactersOfAnyScript() {
    #expect(decodeKeyCode(Int32(UInt8(ascii: "q")), isFunctionKey: false) == .character("q"))
    #expect(decodeKeyCode(Int32(UInt8(ascii: "]")), isFunctionKey: false) == .character("]"))
    #expect(decodeKeyCode(0x20, isFunctionKey: false) == .character(" "))
    #expect(decodeKeyCode(0xE9, isFunctionKey: false) == .character("é"))
    #expect(decodeKeyCode(0x65E5, isFunctionKey: false) == .character("日"))
    #expect(decodeKeyCode(0x1F600, isFunctionKey: false) == .character("😀"))
  }

  @Test func neverAScalarThatIsNotOne() {
    for code: Int32 in [0x80, 0x9B, 0xD800, 0xDFFF, 0x110000, -5, .max, .min] {
      #expect(decodeKeyCode(code, isFunctionKey: false) == nil, "code \(code)")
    }
  }

  @Test func mouseButtons() {
    #expect(decodeMouseButton(attn_button_mask(1)) == .left)
    #expect(decodeMouseButton(attn_button_mask(2)) == .middle)
    #expect(decodeMouseButton(attn_button_mask(3)) == .right)
    #expect(decodeMouseButton(attn_button_mask(4)) == .wheelUp)
    #expect(decodeMouseButton(attn_button_mask(5)) == .wheelDown)
    #expect(decodeMouseButton(0) == nil)
  }
}
