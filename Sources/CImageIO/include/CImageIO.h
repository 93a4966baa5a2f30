#ifndef GATECHECK_CIMAGEIO_H
#define GATECHECK_CIMAGEIO_H

// Decodes in-memory PNG (libpng simplified API) and JPEG (libjpeg) images into 8-bit grey, and encodes
// 8-bit grey as PNG.
//
// Attacker-controlled input is the normal case here, so:
// - dimensions are checked against the limits below BEFORE any pixel buffer is allocated;
// - libjpeg's default error handler (which calls exit()) is replaced by one that longjmps back
//   and returns an error; its stderr messages are silenced;
// - nothing is written to stdout/stderr and nothing is kept between calls (re-entrant, thread-safe).
//
// This header deliberately includes neither png.h nor jpeglib.h: only CImageIO.c sees them.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Largest accepted width or height, in pixels.
#define GATECHECK_IMAGE_MAX_SIDE 8192u
/// Largest accepted width * height (40 megapixels), so one decoded image stays below 40 MB.
#define GATECHECK_IMAGE_MAX_PIXELS 40000000u

typedef enum gatecheck_image_status {
    GATECHECK_IMAGE_OK = 0,
    /// Not a format this decoder handles (e.g. a CMYK JPEG).
    GATECHECK_IMAGE_UNSUPPORTED = 1,
    /// Malformed or truncated data.
    GATECHECK_IMAGE_CORRUPT = 2,
    /// The declared dimensions exceed GATECHECK_IMAGE_MAX_SIDE / GATECHECK_IMAGE_MAX_PIXELS (or are zero).
    GATECHECK_IMAGE_TOO_LARGE = 3,
    /// malloc failed, or libjpeg hit its memory cap.
    GATECHECK_IMAGE_OUT_OF_MEMORY = 4,
} gatecheck_image_status;

/// A decoded image. `pixels` holds width * height bytes, rows tightly packed (stride == width),
/// allocated with malloc by the decoder. The caller owns it and must release it with
/// gatecheck_image_free(). On failure `pixels` is NULL and `message` holds a short reason.
typedef struct gatecheck_image {
    uint8_t *pixels;
    uint32_t width;
    uint32_t height;
    char message[128];
} gatecheck_image;

/// Decodes a PNG (any colour type, bit depth, interlacing; alpha is composited onto white).
gatecheck_image_status gatecheck_image_decode_png(const uint8_t *bytes, size_t length, gatecheck_image *out);

/// Decodes a baseline or progressive JPEG (greyscale, YCbCr or RGB). A truncated file is an error
/// (libjpeg would otherwise pad it with grey and only warn).
gatecheck_image_status gatecheck_image_decode_jpeg(const uint8_t *bytes, size_t length, gatecheck_image *out);

/// An encoded file: `length` bytes at `bytes`, allocated with malloc; release with gatecheck_encoded_free().
/// On failure `bytes` is NULL and `message` holds a short reason.
typedef struct gatecheck_encoded {
    uint8_t *bytes;
    size_t length;
    char message[128];
} gatecheck_encoded;

/// Encodes `height` rows of `width` grey bytes, `stride` bytes apart, as an 8-bit greyscale PNG.
/// The same dimension limits as decoding apply (GATECHECK_IMAGE_TOO_LARGE beyond them).
gatecheck_image_status gatecheck_image_encode_png(const uint8_t *pixels, uint32_t width, uint32_t height, size_t stride,
                                                  gatecheck_encoded *out);

/// Frees `encoded->bytes` and sets it to NULL. Safe to call on a zeroed or already freed value.
void gatecheck_encoded_free(gatecheck_encoded *encoded);

/// Frees `image->pixels` and sets it to NULL. Safe to call on a zeroed or already freed image.
void gatecheck_image_free(gatecheck_image *image);

#ifdef __cplusplus
}
#endif

#endif
