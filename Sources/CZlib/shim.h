#ifndef GATECHECK_CZLIB_SHIM_H
#define GATECHECK_CZLIB_SHIM_H
#include <zlib.h>

// inflateInit2 is a macro; Swift needs a real function.
static inline int gatecheck_inflateInit2(z_stream *stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}
// deflateInit is a macro too; used to build test credentials and bundles.
static inline int gatecheck_deflateInit(z_stream *stream, int level) {
    return deflateInit(stream, level);
}
// deflateInit2 for raw DEFLATE (negative windowBits), as SMART Health Cards use.
static inline int gatecheck_deflateInit2(z_stream *stream, int level, int windowBits) {
    return deflateInit2(stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}
#endif
