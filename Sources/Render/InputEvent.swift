// The terminal-independent vocabulary of input: what the terminal backend decodes and the app consumes.

/// A key the user pressed, already decoded from whatever the terminal sent.
public enum Key: Hashable, Sendable {
  case character(Character)
  /// Ctrl plus a letter, lower-case (`.control("c")` is Ctrl-C).
  case control(Character)
  case up, down, left, right
  case home, end, pageUp, pageDown
  case enter, tab, backTab, escape, backspace, delete
  case function(Int)
}

public enum MouseButton: Hashable, Sendable {
  case left, middle, right, wheelUp, wheelDown
}

/// A mouse event at a cell, in canvas coordinates.
public struct MouseEvent: Hashable, Sendable {
  public var x: Int
  public var y: Int
  public var button: MouseButton
  public init(x: Int, y: Int, button: MouseButton) {
    self.x = x
    self.y = y
    self.button = button
  }
}

public enum InputEvent: Hashable, Sendable {
  case key(Key)
  case mouse(MouseEvent)
  case resize(width: Int, height: Int)
}
