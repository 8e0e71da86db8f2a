// The commit the binary was built from, for `attnscope --version`.
#ifndef ATTN_BUILD_STAMP_H
#define ATTN_BUILD_STAMP_H

/// "abc123def456", "abc123def456-dirty", or "unknown commit" when the build did not go through
/// the Makefile (plain `swift build`, a tarball without .git).
const char *attn_build_commit(void);

#endif
