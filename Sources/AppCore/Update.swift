// The Elm-style update: (state, event) → new state and effects. Key bindings live here.
import Foundation
import Render
import Trace

/// One binding, as the help overlay lists it.
public struct KeyBinding: Sendable {
  public let keys: String
  public let action: String
}

public enum KeyMap {
  public static let bindings: [KeyBinding] = [
    KeyBinding(keys: "←↓↑→ hjkl", action: "move the cursor (query row, key column)"),
    KeyBinding(keys: "] [", action: "next / previous head"),
    KeyBinding(keys: "> <  . ,", action: "next / previous layer"),
    KeyBinding(keys: "Tab S-Tab", action: "next / previous kind: self, masked, cross"),
    KeyBinding(keys: "e d x", action: "encoder self / decoder masked / decoder cross"),
    KeyBinding(keys: "click", action: "put the cursor on a cell"),
    KeyBinding(keys: "1 2 3 4", action: "screens: attention / decode / greedy vs beam / beam tree"),
    KeyBinding(keys: "5 … 9  0", action: "screens: model view, q·k, positions, patches, lines; contrast"),
    KeyBinding(keys: "→ n  ← p", action: "decode: step forward / back (Home: step 0)"),
    KeyBinding(keys: "e", action: "decode: edit the input, Enter re-decodes"),
    KeyBinding(keys: "space", action: "decode: play / pause, one step every 0.4 s"),
    KeyBinding(keys: "g", action: "decode: greedy / sample"),
    KeyBinding(keys: "t T u U v V", action: "decode: temperature, top-k, top-p up / down"),
    KeyBinding(keys: "r R", action: "decode: next / previous sampling seed"),
    KeyBinding(keys: "L", action: "decode: logit lens, every layer's top-k at the step"),
    KeyBinding(keys: "B", action: "decode: lens of the next hypothesis (greedy, beams)"),
    KeyBinding(keys: "←→ hl click", action: "compare: pick the step whose attention both show"),
    KeyBinding(keys: "↑↓ k j", action: "beam tree: select the previous / next node"),
    KeyBinding(keys: "+ -", action: "compare: beam width up / down (1–16)"),
    KeyBinding(keys: "a A", action: "compare: length penalty α up / down by 0.1"),
    KeyBinding(keys: "w", action: "hide / show the attention sink (key 1), rows renormalised"),
    KeyBinding(keys: "o", action: "open a model: pick from the list, or type a path"),
    KeyBinding(keys: "i", action: "type a new input sentence"),
    KeyBinding(keys: "?", action: "this help"),
    KeyBinding(keys: "q Ctrl-C", action: "quit"),
  ]
}

public func update(_ state: inout AppState, _ event: InputEvent, size: (width: Int, height: Int))
  -> [Effect]
{
  if case .key(let key) = event, state.showHelp, key != .control("c") {
    // Space (or Page Down) turns the help's pages; any other key closes it.
    if key == .character(" ") || key == .pageDown,
      state.helpPage + 1 < HelpOverlay.pageCount(for: state.screen, size: size)
    {
      state.helpPage += 1
    } else {
      state.showHelp = false
      state.helpPage = 0
    }
    return []
  }
  if state.prompt != nil {
    guard case .key(let key) = event else { return [] }
    return typeIntoPrompt(key, &state)
  }
  state.notice = nil
  switch event {
  case .key(let key):
    // The attention screen's keys that depend on the window (zoom, moving by pooled cells).
    if state.screen == .attention, handleAttentionView(key, &state, size: size) {
      state.clamp()
      return []
    }
    return handle(key, &state)
  case .mouse(let mouse):
    if state.screen == .attention, mouse.button == .left,
      let hit = AttentionScreen.entry(at: mouse, state: state, size: size)
    {
      (state.cursorRow, state.cursorColumn) = hit
    }
    if state.screen == .modelView, mouse.button == .left,
      let hit = ModelViewScreen.thumbnail(at: mouse, state: state, size: size)
    {
      (state.layer, state.head) = hit
    }
    if state.screen == .patches, mouse.button == .left,
      let token = PatchScreen.token(at: mouse, state: state, size: size)
    {
      state.patches.query = token
    }
    if state.screen == .compare, mouse.button == .left, let step = CompareScreen.step(at: mouse, state: state)
    {
      state.compare.step = step
      state.clampCompare()
    }
  case .resize: break
  }
  state.clamp()
  return []
}

private func handle(_ key: Key, _ state: inout AppState) -> [Effect] {
  switch key {
  case .character("q"), .control("c"): return [.quit]
  case .character("?"): state.showHelp = true
  case .character("o"):
    state.prompt = Prompt(purpose: .openModel, text: "")
    return [.listModels]
  case .character("i"): state.prompt = Prompt(purpose: .editInput, text: "")
  case .character("s"): state.prompt = Prompt(purpose: .exportScreen, text: "")
  case .character("w"): state.toggleSink()
  case .character(let digit) where digit.isNumber:
    guard let number = digit.wholeNumberValue, let screen = Screen(rawValue: number) else { break }
    guard screen.isAvailable(in: state) else {
      state.notice = "the \(screen.title) screen is not available here"
      break
    }
    state.screen = screen
    state.clamp()  // the cursor rules differ by screen (the hidden sink's column)
    return state.decodingEffects()
  default:
    switch state.screen {
    case .attention: handleAttention(key, &state)
    case .decode:
      if let effects = handleSamplingKey(key, &state) { return effects }
      if let effects = handleLensKey(key, &state) { return effects }
      handleDecode(key, &state)
    case .compare: return handleCompare(key, &state)
    case .tree: return handleTree(key, &state)
    case .patches: handlePatches(key, &state)
    case .modelView:
      if let effects = handleAblationKey(key, &state) { return effects }
      if !handleModelView(key, &state) { handleAttention(key, &state) }
    case .qkDetail: handleAttention(key, &state)
    case .positional: handlePositional(key, &state)
    case .contrast: handleContrast(key, &state)
    case .lines: if !handleLines(key, &state) { handleAttention(key, &state) }
    }
  }
  state.clamp()
  return []
}

private func handleAttention(_ key: Key, _ state: inout AppState) {
  switch key {
  case .up, .character("k"): state.cursorRow -= 1
  case .down, .character("j"): state.cursorRow += 1
  case .left, .character("h"): state.cursorColumn -= 1
  case .right, .character("l"): state.cursorColumn += 1
  case .character("]"): state.head = (state.head + 1) % max(1, state.headCount)
  case .character("["):
    let heads = max(1, state.headCount)
    state.head = (state.head + heads - 1) % heads
  case .character(">"), .character("."): state.layer += 1
  case .character("<"), .character(","): state.layer -= 1
  case .tab: switchKind(&state, to: (state.kindIndex + 1) % max(1, state.kinds.count))
  case .backTab:
    let count = max(1, state.kinds.count)
    switchKind(&state, to: (state.kindIndex + count - 1) % count)
  case .character("e"): selectKind(&state, stack: .encoder, kind: .self)
  case .character("d"): selectKind(&state, stack: .decoder, kind: .masked)
  case .character("x"): selectKind(&state, stack: .decoder, kind: .cross)
  default: break
  }
}

/// Screen 1's keys that need the window size: zoom, cursor moves (by pooled cells in the
/// overview), pooling, the head strip and `/`. Returns false for the keys it leaves to
/// `handleAttention`.
private func handleAttentionView(_ key: Key, _ state: inout AppState, size: (width: Int, height: Int)) -> Bool
{
  switch key {
  case .up, .character("k"): state.moveAttentionCursor(rows: -1, columns: 0, size: size)
  case .down, .character("j"): state.moveAttentionCursor(rows: 1, columns: 0, size: size)
  case .left, .character("h"): state.moveAttentionCursor(rows: 0, columns: -1, size: size)
  case .right, .character("l"): state.moveAttentionCursor(rows: 0, columns: 1, size: size)
  case .character("z"): state.zoomAttention(by: 1, size: size)
  case .character("Z"): state.zoomAttention(by: -1, size: size)
  case .character("p"): state.switchAttentionPooling()
  case .character("t"):
    state.selections.headStrip.toggle()
    state.notice =
      state.selections.headStrip ? "strip of every head: on (where they fit)" : "strip of every head: off"
  case .character("/"): state.prompt = Prompt(purpose: .findToken, text: "")
  default: return false
  }
  return true
}

/// Editing keys for the prompt line: Enter submits, Escape or Ctrl-C cancels.
private func typeIntoPrompt(_ key: Key, _ state: inout AppState) -> [Effect] {
  guard var prompt = state.prompt else { return [] }
  if prompt.purpose == .openModel, OpenDialog.handle(key, &prompt) {
    state.prompt = prompt
    return []
  }
  switch key {
  case .enter:
    state.prompt = nil
    let text =
      prompt.purpose == .openModel
      ? OpenDialog.reference(prompt) : prompt.text.trimmingCharacters(in: .whitespaces)
    guard !text.isEmpty else { return [] }
    switch prompt.purpose {
    case .openModel: return [.openModel(text)]
    case .editInput: return [.retrace(text: text)]
    case .exportScreen: return [.exportScreen(name: text)]
    case .contrastInput(let index):
      state.contrast.texts[index] = text
      (state.contrast.run, state.contrast.problem) = (nil, nil)
      return state.decodingEffects()
    case .findToken: state.findToken(text)
    }
    return []
  case .escape, .control("c"):
    state.prompt = nil
    return []
  case .backspace, .delete:
    if !prompt.text.isEmpty { prompt.text.removeLast() }
    prompt.selected = 0
  case .character(let character) where prompt.text.count < 1000:
    prompt.text.append(character)
    prompt.selected = 0
  default: break
  }
  state.prompt = prompt
  return []
}

private func selectKind(_ state: inout AppState, stack: AttentionStack, kind: AttentionKind) {
  if let index = state.kinds.firstIndex(where: { $0.stack == stack && $0.kind == kind }) {
    switchKind(&state, to: index)
  } else {
    state.notice = "this model has no \(stack.rawValue) \(kind.rawValue) attention"
  }
}

/// Changing kind keeps layer and head where possible; the cursor is clamped to the new matrix.
private func switchKind(_ state: inout AppState, to index: Int) {
  state.kindIndex = index
  state.clamp()
}
