// libpng's simplified API only (png.h section 5, "SIMPLIFIED API"; libpng-manual.txt, "XI. Simplified API").
// The classic png_read_* calls report errors by longjmp, which would skip Swift frames; the
// png_image_* calls catch that longjmp inside libpng and return 0 with the text in image.message.
#ifndef ATTNSCOPE_CPNG_SHIM_H
#define ATTNSCOPE_CPNG_SHIM_H
#include <png.h>

#if !defined(PNG_SIMPLIFIED_READ_SUPPORTED) || !defined(PNG_SIMPLIFIED_WRITE_SUPPORTED)
#error "attnscope needs a libpng built with the simplified read and write API (libpng >= 1.6)"
#endif

// PNG_IMAGE_FAILED is a function-like macro, which Swift does not import.
static inline int attn_png_failed(const png_image *image) { return PNG_IMAGE_FAILED(*image); }

// `message` is a char[64] (a 64-tuple in Swift); libpng always NUL-terminates it.
static inline const char *attn_png_message(const png_image *image) { return image->message; }

// The version this header describes, so Swift can set image.version without a macro.
static inline png_uint_32 attn_png_image_version(void) { return PNG_IMAGE_VERSION; }
#endif
