// The build's commit. The Makefile writes commit.generated.h (git-ignored) beside this file and
// touches this file when the commit changes, so only this one C file recompiles and the binary is
// relinked; a plain `swift build` from a clean clone or a tarball finds no such header and says
// "unknown commit". A C macro rather than a generated Swift file: a string in -Xcc flags would
// change every module's command line and rebuild the whole project at every commit.
#include "attn_build_stamp.h"

#if __has_include("commit.generated.h")
#include "commit.generated.h"
#endif

#ifndef ATTN_BUILD_COMMIT
#define ATTN_BUILD_COMMIT "unknown commit"
#endif

const char *attn_build_commit(void) { return ATTN_BUILD_COMMIT; }
