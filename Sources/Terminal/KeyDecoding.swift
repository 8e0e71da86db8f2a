// Pure decoding of what wget_wch and getmouse report, testable (and fuzzable) without a terminal.
// Key codes per curs_getch(3X) and curs_get_wch(3X); mouse states per curs_mouse(3X).

import CNcurses
import Render

/// Decodes one wget_wch result: `isFunctionKey` is true when it returned KEY_CODE_YES.
/// Returns nil for codes the app has no use for (mouse and resize are handled by the caller).
///
/// With raw input the control characters arrive as bytes: Tab is Ctrl-I, Enter is Ctrl-M (or
/// Ctrl-J), Backspace is DEL or Ctrl-H, so those four letters never come out as `.control`.
public func decodeKeyCode(_ code: Int32, isFunctionKey: Bool) -> Key? {
  if isFunctionKey { return decodeFunctionKey(code) }
  switch code {
  case 9: return .tab
  case 10, 13: return .enter
  case 27: return .escape
  case 8, 127: return .backspace
  case 1...26: return .control(Character(Unicode.Scalar(UInt8(code) + 0x60)))
  default:
    // Negative codes and surrogates are not scalars; C0/C1 controls never reach the app as text.
    guard code >= 0, let scalar = Unicode.Scalar(UInt32(code)),
      scalar.properties.generalCategory != .control
    else { return nil }
    return .character(Character(scalar))
  }
}

private func decodeFunctionKey(_ code: Int32) -> Key? {
  switch code {
  case KEY_UP: return .up
  case KEY_DOWN: return .down
  case KEY_LEFT: return .left
  case KEY_RIGHT: return .right
  // Some terminfo entries name the VT220 Home/End keys Find/Select.
  case KEY_HOME, KEY_FIND: return .home
  case KEY_END, KEY_SELECT: return .end
  case KEY_PPAGE: return .pageUp
  case KEY_NPAGE: return .pageDown
  case KEY_ENTER: return .enter
  case KEY_BTAB: return .backTab
  case KEY_BACKSPACE: return .backspace
  case KEY_DC: return .delete
  case (KEY_F0 + 1)...(KEY_F0 + 12): return .function(Int(code - KEY_F0))
  default: return nil
  }
}

/// The button of a getmouse state; nil for releases, motion and anything else we did not ask for.
public func decodeMouseButton(_ state: mmask_t) -> MouseButton? {
  let buttons: [(Int32, MouseButton)] = [
    (1, .left), (2, .middle), (3, .right), (4, .wheelUp), (5, .wheelDown),
  ]
  for (number, button) in buttons where state & attn_button_mask(number) != 0 { return button }
  return nil
}
