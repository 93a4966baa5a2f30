#ifndef GATECHECK_CZBAR_SHIM_H
#define GATECHECK_CZBAR_SHIM_H
#include <zbar.h>

// zbar_fourcc is a function-like macro, which Swift cannot import; export the one format we use.
// Y800 = 8-bit luminance, one byte per pixel (0x30303859).
static const unsigned long gatecheck_zbar_format_y800 = zbar_fourcc('Y', '8', '0', '0');
#endif
