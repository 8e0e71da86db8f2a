// Wide-character ncurses, plus accessors for the globals and macros Swift 6 cannot read directly.
#ifndef ATTNSCOPE_CNCURSES_SHIM_H
#define ATTNSCOPE_CNCURSES_SHIM_H
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#if defined(__APPLE__)
#include <curses.h>
#else
#include <ncursesw/curses.h>
#endif
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

// Swift 6 language mode rejects mutable C globals, so they are read through functions.
static inline WINDOW *attn_stdscr(void) { return stdscr; }
static inline WINDOW *attn_curscr(void) { return curscr; }
static inline int attn_cols(void) { return COLS; }
static inline int attn_lines(void) { return LINES; }
static inline int attn_colors(void) { return COLORS; }
static inline int attn_color_pairs(void) { return COLOR_PAIRS; }
static inline FILE *attn_stdout(void) { return stdout; }
static inline FILE *attn_stdin(void) { return stdin; }

// Attribute and mouse constants are function-like macros, which Swift does not import.
static inline attr_t attn_attr_bold(void) { return A_BOLD; }
static inline attr_t attn_attr_dim(void) { return A_DIM; }
static inline attr_t attn_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t attn_attr_reverse(void) { return A_REVERSE; }

/// BUTTONn_PRESSED | BUTTONn_CLICKED for n in 1...5 (0 where this curses has no such button).
static inline mmask_t attn_button_mask(int button) {
  switch (button) {
  case 1: return BUTTON1_PRESSED | BUTTON1_CLICKED;
  case 2: return BUTTON2_PRESSED | BUTTON2_CLICKED;
  case 3: return BUTTON3_PRESSED | BUTTON3_CLICKED;
  case 4: return BUTTON4_PRESSED | BUTTON4_CLICKED;
#ifdef BUTTON5_PRESSED
  case 5: return BUTTON5_PRESSED | BUTTON5_CLICKED;
#endif
  default: return 0;
  }
}

// ncurses 6 keeps more than 32767 colour pairs only through the extended-pair calls
// (curs_color(3X) init_extended_pair; curs_getcchar(3X): setcchar's `opts` is an int * pair).
#if defined(NCURSES_EXT_COLORS) && defined(NCURSES_VERSION_MAJOR) && NCURSES_VERSION_MAJOR >= 6
#define ATTN_EXTENDED_PAIRS 1
#else
#define ATTN_EXTENDED_PAIRS 0
#endif

static inline int attn_init_pair(int pair, int foreground, int background) {
#if ATTN_EXTENDED_PAIRS
  return init_extended_pair(pair, foreground, background);
#else
  return init_pair((short)pair, (short)foreground, (short)background);
#endif
}

static inline int attn_setcchar(cchar_t *cell, const wchar_t *text, attr_t attributes, int pair) {
#if ATTN_EXTENDED_PAIRS
  return setcchar(cell, text, attributes, 0, &pair);
#else
  return setcchar(cell, text, attributes, (short)pair, NULL);
#endif
}

/// A terminfo string capability, NULL if absent or not a string (tigetstr returns (char *)-1 then).
static inline const char *attn_tigetstr(const char *name) {
  char *value = tigetstr(name);
  return value == (char *)-1 ? NULL : value;
}

static inline int attn_wcwidth(wchar_t c) { return wcwidth(c); }

static inline int attn_codeset_is_utf8(void) {
  const char *codeset = nl_langinfo(CODESET);
  return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}
#endif
