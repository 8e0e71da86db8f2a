// Crash/termination/exit guard for the full-screen terminal (see include/CTerminalGuard.h).
// Follows signal-safety(7) (handlers only call write, read, lseek, dup2, close, tcsetattr,
// sigaction, raise, memset), sigaction(2) (SA_RESETHAND, SA_NODEFER, SA_SIGINFO, si_code), termios(3).
#include "CTerminalGuard.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <termios.h>
#include <unistd.h>

#define ATTN_SEQUENCE_CAPACITY 1024
#define ATTN_CRASH_COUNT 6
#define ATTN_TERMINATION_COUNT 3
#define ATTN_STDERR_REPLAY_LIMIT 65536

static const int crash_signals[ATTN_CRASH_COUNT] = {SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE};
static const int termination_signals[ATTN_TERMINATION_COUNT] = {SIGTERM, SIGHUP, SIGINT};

// Two buffers so that replacing the sequence never lets a handler read a half-written one:
// the new bytes go into the idle buffer, then one sig_atomic_t store switches to it.
static char sequences[2][ATTN_SEQUENCE_CAPACITY];
static size_t sequence_lengths[2];
static volatile sig_atomic_t current_sequence = 0;

static volatile sig_atomic_t installed = 0;
static volatile sig_atomic_t screen_active = 0;
static volatile sig_atomic_t termination_signal = 0;
static volatile sig_atomic_t continued = 0;
static int terminal_fd = -1;
static struct termios saved_termios;
static struct sigaction previous_crash[ATTN_CRASH_COUNT];
static struct sigaction previous_termination[ATTN_TERMINATION_COUNT];
static struct sigaction previous_continue;
static int atexit_registered = 0;
// While the screen is up, fd 2 points at an unlinked temporary file (see attn_guard_capture_stderr).
static volatile sig_atomic_t capturing_stderr = 0;
static int original_stderr = -1;
static int captured_stderr = -1;

static void write_all(int fd, const char *bytes, size_t length) {
  while (length > 0) {
    ssize_t written = write(fd, bytes, length);
    if (written < 0) {
      if (errno == EINTR) continue;
      return;
    }
    bytes += written;
    length -= (size_t)written;
  }
}

// Async-signal-safe: puts the real stderr back on fd 2 and copies to it what was captured (at most
// the last ATTN_STDERR_REPLAY_LIMIT bytes), e.g. the "Fatal error: ..." line Swift prints before it traps.
static void release_stderr(void) {
  if (!capturing_stderr) return;
  capturing_stderr = 0;
  (void)dup2(original_stderr, STDERR_FILENO);
  off_t end = lseek(captured_stderr, 0, SEEK_END);
  off_t start = end > ATTN_STDERR_REPLAY_LIMIT ? end - ATTN_STDERR_REPLAY_LIMIT : 0;
  if (end > 0 && lseek(captured_stderr, start, SEEK_SET) == start) {
    char buffer[1024];  // small: this may run on a signal stack
    ssize_t count;
    while ((count = read(captured_stderr, buffer, sizeof buffer)) > 0) {
      write_all(STDERR_FILENO, buffer, (size_t)count);
    }
  }
  (void)close(captured_stderr);
  (void)close(original_stderr);
  captured_stderr = original_stderr = -1;
}

// Async-signal-safe. The sequence is written at most once per active period: leaving the alternate
// screen twice would make xterm restore the cursor saved on entry, jumping over later output.
static void restore_terminal(void) {
  if (!installed) return;
  if (screen_active) {
    screen_active = 0;
    int index = current_sequence;
    write_all(terminal_fd, sequences[index], sequence_lengths[index]);
  }
  (void)tcsetattr(terminal_fd, TCSADRAIN, &saved_termios);
  release_stderr();
}

static void crash_handler(int sig, siginfo_t *info, void *context) {
  (void)context;
  int saved_errno = errno;
  restore_terminal();
  // SA_RESETHAND alone would leave SIG_DFL; put back whoever was there before us (Swift's
  // backtracer) so that the repeated fault reaches it and the backtrace prints on a normal screen.
  for (int i = 0; i < ATTN_CRASH_COUNT; i++) {
    if (crash_signals[i] == sig) (void)sigaction(sig, &previous_crash[i], NULL);
  }
  // A real fault happens again when we return; one sent by kill/raise/abort (si_code <= 0) does
  // not, so send it again ourselves (SA_NODEFER leaves it unblocked, so it is delivered now).
  if (info == NULL || info->si_code <= 0) (void)raise(sig);
  errno = saved_errno;
}

static void termination_handler(int sig) {
  if (termination_signal != 0) {
    struct sigaction default_action;
    memset(&default_action, 0, sizeof default_action);
    default_action.sa_handler = SIG_DFL;
    sigemptyset(&default_action.sa_mask);
    restore_terminal();
    (void)sigaction(sig, &default_action, NULL);
    (void)raise(sig);  // delivered with the default action once this handler returns
    return;
  }
  termination_signal = sig;
}

static void continue_handler(int sig) {
  (void)sig;
  continued = 1;
}

static void at_exit(void) { restore_terminal(); }

static int copy_sequence(int index, const char *leave_sequence) {
  size_t length = leave_sequence == NULL ? 0 : strlen(leave_sequence);
  if (length > ATTN_SEQUENCE_CAPACITY) return -1;
  if (length > 0) memcpy(sequences[index], leave_sequence, length);
  sequence_lengths[index] = length;
  return 0;
}

int attn_guard_install(int fd, const char *leave_sequence) {
  if (installed) return -1;
  if (tcgetattr(fd, &saved_termios) != 0) return -1;
  current_sequence = 0;
  if (copy_sequence(0, leave_sequence) != 0) return -1;
  terminal_fd = fd;
  termination_signal = 0;
  continued = 0;

  struct sigaction crash;
  memset(&crash, 0, sizeof crash);
  crash.sa_sigaction = crash_handler;
  // SA_ONSTACK: on a stack overflow the handler can only run on the alternate stack (if any).
  crash.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_NODEFER | SA_ONSTACK;
  sigemptyset(&crash.sa_mask);
  for (int i = 0; i < ATTN_CRASH_COUNT; i++) (void)sigaction(crash_signals[i], &crash, &previous_crash[i]);

  // No SA_RESTART: a blocking read in the input loop returns early so the flag is seen promptly.
  struct sigaction termination;
  memset(&termination, 0, sizeof termination);
  termination.sa_handler = termination_handler;
  sigemptyset(&termination.sa_mask);
  for (int i = 0; i < ATTN_TERMINATION_COUNT; i++) {
    // An ignored signal stays ignored (nohup, or SIGINT for a job started with `&`), as ncurses does.
    (void)sigaction(termination_signals[i], NULL, &previous_termination[i]);
    if (previous_termination[i].sa_handler == SIG_IGN) continue;
    (void)sigaction(termination_signals[i], &termination, NULL);
  }

  struct sigaction resume;
  memset(&resume, 0, sizeof resume);
  resume.sa_handler = continue_handler;
  resume.sa_flags = SA_RESTART;
  sigemptyset(&resume.sa_mask);
  (void)sigaction(SIGCONT, &resume, &previous_continue);

  if (!atexit_registered) atexit_registered = atexit(at_exit) == 0;
  screen_active = 0;
  installed = 1;
  return 0;
}

int attn_guard_set_leave_sequence(const char *leave_sequence) {
  int idle = 1 - current_sequence;
  if (copy_sequence(idle, leave_sequence) != 0) return -1;
  current_sequence = idle;
  return 0;
}

void attn_guard_set_screen_active(int active) { screen_active = active ? 1 : 0; }

int attn_guard_termination_signal(void) { return termination_signal; }

int attn_guard_take_continued(void) {
  int value = continued;
  continued = 0;
  return value;
}

void attn_guard_restore_now(void) { restore_terminal(); }

void attn_guard_restore_termios(void) {
  if (installed) (void)tcsetattr(terminal_fd, TCSADRAIN, &saved_termios);
}

int attn_guard_capture_stderr(void) {
  if (!installed || capturing_stderr || !isatty(STDERR_FILENO)) return 0;
  const char *directory = getenv("TMPDIR");
  char path[4096];
  size_t length = directory == NULL ? 0 : strlen(directory);
  if (length == 0 || length > sizeof path - 32) directory = "/tmp", length = 4;
  memcpy(path, directory, length);
  memcpy(path + length, "/attnscope-stderr-XXXXXX", sizeof "/attnscope-stderr-XXXXXX");
  int file = mkstemp(path);
  if (file < 0) return 0;
  (void)unlink(path);  // nothing is left behind, whatever way the process ends
  int saved = dup(STDERR_FILENO);
  if (saved < 0 || dup2(file, STDERR_FILENO) < 0) {
    if (saved >= 0) (void)close(saved);
    (void)close(file);
    return 0;
  }
  (void)fcntl(saved, F_SETFD, FD_CLOEXEC);
  (void)fcntl(file, F_SETFD, FD_CLOEXEC);
  original_stderr = saved;
  captured_stderr = file;
  capturing_stderr = 1;
  return 1;
}

void attn_guard_release_stderr(void) { release_stderr(); }

int attn_guard_suspend(void) {
  struct sigaction current;
  if (sigaction(SIGTSTP, NULL, &current) != 0) return 0;
  if (current.sa_handler == SIG_IGN) return 0;
  // Bypass whatever handler is installed (ncurses has its own): the caller already left curses
  // mode and repaints itself afterwards, so the plain default action (stop) is what we want.
  struct sigaction default_action;
  memset(&default_action, 0, sizeof default_action);
  default_action.sa_handler = SIG_DFL;
  sigemptyset(&default_action.sa_mask);
  (void)sigaction(SIGTSTP, &default_action, &current);
  sigset_t unblock, previous_mask;
  sigemptyset(&unblock);
  sigaddset(&unblock, SIGTSTP);
  (void)sigprocmask(SIG_UNBLOCK, &unblock, &previous_mask);
  (void)raise(SIGTSTP);  // stopped here until `fg` sends SIGCONT
  (void)sigprocmask(SIG_SETMASK, &previous_mask, NULL);
  (void)sigaction(SIGTSTP, &current, NULL);
  return 1;
}

void attn_guard_uninstall(void) {
  if (!installed) return;
  release_stderr();
  installed = 0;
  screen_active = 0;
  for (int i = 0; i < ATTN_CRASH_COUNT; i++) (void)sigaction(crash_signals[i], &previous_crash[i], NULL);
  for (int i = 0; i < ATTN_TERMINATION_COUNT; i++) {
    (void)sigaction(termination_signals[i], &previous_termination[i], NULL);
  }
  (void)sigaction(SIGCONT, &previous_continue, NULL);
}

// ---- Quick crash exit (installed at process start, whether or not the screen is ever taken) ----
// Swift's runtime backtracer, on a terminal, symbolicates and then waits up to 30 s for a key
// ("Press space to interact, D to debug, or any other key to quit") before the process ends. Its
// settings (SWIFT_BACKTRACE) are read before main, so they cannot be changed from here; instead
// these handlers replace its signal handlers: one line on stderr, then the signal's default action
// (no core file), at once. ATTNSCOPE_BACKTRACE=1 leaves the backtracer in place for debugging.

static struct sigaction quick_previous[ATTN_CRASH_COUNT];
static char quick_stack[1 << 16];

static const char *signal_name(int sig) {
  switch (sig) {
  case SIGILL: return "SIGILL";
  case SIGTRAP: return "SIGTRAP";
  case SIGABRT: return "SIGABRT";
  case SIGSEGV: return "SIGSEGV";
  case SIGBUS: return "SIGBUS";
  case SIGFPE: return "SIGFPE";
  default: return "a signal";
  }
}

static void quick_crash_handler(int sig, siginfo_t *info, void *context) {
  (void)context;
  restore_terminal();  // a no-op unless the screen guard is installed (it normally ran first)
  static const char head[] = "attnscope: crashed (";
  static const char tail[] =
      "): this is a bug; run again with ATTNSCOPE_BACKTRACE=1 for a backtrace\n";
  const char *name = signal_name(sig);
  write_all(STDERR_FILENO, head, sizeof head - 1);
  write_all(STDERR_FILENO, name, strlen(name));
  write_all(STDERR_FILENO, tail, sizeof tail - 1);
  struct rlimit no_core = {0, 0};
  (void)setrlimit(RLIMIT_CORE, &no_core);  // a core of a process holding a model takes seconds
  struct sigaction default_action;
  memset(&default_action, 0, sizeof default_action);
  default_action.sa_handler = SIG_DFL;
  sigemptyset(&default_action.sa_mask);
  (void)sigaction(sig, &default_action, NULL);
  // A real fault happens again on return; a sent signal (abort, kill: si_code <= 0) is resent.
  if (info == NULL || info->si_code <= 0) (void)raise(sig);
}

int attn_crash_install_quick_exit(void) {
  const char *debug = getenv("ATTNSCOPE_BACKTRACE");
  if (debug != NULL && debug[0] != '\0' && strcmp(debug, "0") != 0) return 0;
  // An alternate stack, so a stack overflow still reaches the handler (unless one is set already).
  stack_t current;
  if (sigaltstack(NULL, &current) == 0 && (current.ss_flags & SS_DISABLE)) {
    stack_t stack;
    memset(&stack, 0, sizeof stack);
    stack.ss_sp = quick_stack;
    stack.ss_size = sizeof quick_stack;
    (void)sigaltstack(&stack, NULL);
  }
  struct sigaction crash;
  memset(&crash, 0, sizeof crash);
  crash.sa_sigaction = quick_crash_handler;
  crash.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_NODEFER | SA_ONSTACK;
  sigemptyset(&crash.sa_mask);
  for (int i = 0; i < ATTN_CRASH_COUNT; i++) (void)sigaction(crash_signals[i], &crash, &quick_previous[i]);
  return 1;
}
