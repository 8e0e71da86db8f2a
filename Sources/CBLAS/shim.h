// OpenBLAS's CBLAS interface (Debian libopenblas-dev); macOS builds use Accelerate instead.
#ifndef ATTNSCOPE_CBLAS_SHIM_H
#define ATTNSCOPE_CBLAS_SHIM_H
#include <cblas.h>
#endif
