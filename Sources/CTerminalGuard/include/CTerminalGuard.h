// Puts the terminal back (normal screen, visible cursor, saved termios) on a crash, a termination
// signal, or an exit that skipped the orderly shutdown. The handlers only use async-signal-safe calls.
#ifndef ATTNSCOPE_CTERMINALGUARD_H
#define ATTNSCOPE_CTERMINALGUARD_H

#ifdef __cplusplus
extern "C" {
#endif

/// Saves the termios of `fd` (call before curses changes it), copies `leave_sequence` (the bytes that
/// leave the full-screen mode), installs the signal handlers and, once per process, an atexit hook.
/// Returns 0, or -1 if `fd` is not a terminal, the sequence is too long, or the guard is already installed.
int attn_guard_install(int fd, const char *leave_sequence);

/// Replaces the leave sequence (once terminfo is loaded its real strings are known). -1 if too long.
int attn_guard_set_leave_sequence(const char *leave_sequence);

/// Whether the full-screen mode is on, i.e. whether the leave sequence must be written on a crash.
/// Cleared while suspended (after endwin) so a crash then does not emit it a second time.
void attn_guard_set_screen_active(int active);

/// SIGTERM, SIGHUP or SIGINT if one arrived since install, else 0. A second one, while the first is
/// still pending, restores the terminal and takes the default action (a stuck program can be killed).
int attn_guard_termination_signal(void);

/// 1 if SIGCONT arrived since the last call (the shell may have changed the tty while we were stopped).
int attn_guard_take_continued(void);

/// Writes the leave sequence (if the screen is active) and restores the saved termios.
void attn_guard_restore_now(void);

/// Restores the saved termios only (endwin already wrote what leaves the screen).
void attn_guard_restore_termios(void);

/// Points fd 2 at an unlinked temporary file while the screen is up, when stderr is the terminal:
/// anything written there would scribble over the screen, and a message printed just before a
/// crash (Swift's "Fatal error: ...") would vanish with the alternate screen. Returns 1 if capturing.
int attn_guard_capture_stderr(void);

/// Puts the real stderr back and copies the captured text (its last 64 KiB) to it. Also done by
/// attn_guard_restore_now, the crash handlers, the atexit hook and attn_guard_uninstall.
void attn_guard_release_stderr(void);

/// Stops the process the way Ctrl-Z would (SIGTSTP with its default action) and returns after SIGCONT.
/// Returns 0 without stopping if SIGTSTP is ignored (no job control), 1 otherwise.
int attn_guard_suspend(void);

/// Restores the signal handlers that were there before install. The atexit hook then does nothing.
void attn_guard_uninstall(void);

/// Replaces Swift's backtracer on the crash signals, for the whole process: a crash prints
/// "attnscope: crashed (SIGSEGV): ..." on stderr and ends at once with the signal's default action
/// (no core file), instead of the backtracer's up-to-30-second wait on a terminal. The screen guard
/// above chains to it. Does nothing (returns 0) when ATTNSCOPE_BACKTRACE is set and not "0", so
/// the backtracer (configured by SWIFT_BACKTRACE) shows the full backtrace. Returns 1 if installed.
int attn_crash_install_quick_exit(void);

#ifdef __cplusplus
}
#endif
#endif
