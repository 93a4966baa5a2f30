#include "CImageIO.h"

#include <setjmp.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>  // jpeglib.h needs FILE and size_t first
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>
#include <png.h>

// libjpeg's memory manager refuses virtual arrays (progressive / multi-scan JPEGs) beyond this,
// because there is no backing store: the decode fails instead of exhausting RAM.
#define GATECHECK_JPEG_MAX_MEMORY (256L * 1024L * 1024L)
// A progressive JPEG can declare thousands of tiny scans, each forcing a pass over the whole
// coefficient buffer (a CPU denial of service); real encoders use about 10. Same idea as
// TurboJPEG's scan limit.
#define GATECHECK_JPEG_MAX_SCANS 500

static void set_message(gatecheck_image *out, const char *format, ...) {
    va_list args;
    va_start(args, format);
    vsnprintf(out->message, sizeof(out->message), format, args);
    va_end(args);
}

static void reset(gatecheck_image *out) {
    memset(out, 0, sizeof(*out));
}

// Zero sides count as "too large" too: there is nothing to scan and no buffer to allocate.
static int dimensions_allowed(uint64_t width, uint64_t height) {
    if (width == 0 || height == 0) return 0;
    if (width > GATECHECK_IMAGE_MAX_SIDE || height > GATECHECK_IMAGE_MAX_SIDE) return 0;
    return width * height <= GATECHECK_IMAGE_MAX_PIXELS;
}

void gatecheck_image_free(gatecheck_image *image) {
    if (image == NULL) return;
    free(image->pixels);
    image->pixels = NULL;
}

// MARK: - PNG

gatecheck_image_status gatecheck_image_decode_png(const uint8_t *bytes, size_t length, gatecheck_image *out) {
    reset(out);
    if (bytes == NULL || length == 0) {
        set_message(out, "empty PNG data");
        return GATECHECK_IMAGE_CORRUPT;
    }

    png_image image;
    memset(&image, 0, sizeof(image));
    image.version = PNG_IMAGE_VERSION;

    // Reads only the signature and IHDR (plus ancillary chunks before IDAT): cheap, no pixel memory.
    if (!png_image_begin_read_from_memory(&image, bytes, length)) {
        set_message(out, "PNG header: %s", image.message);
        png_image_free(&image);
        return GATECHECK_IMAGE_CORRUPT;
    }
    if (!dimensions_allowed(image.width, image.height)) {
        set_message(out, "PNG declares %ux%u pixels (limit %ux%u, %u pixels)", (unsigned)image.width,
                    (unsigned)image.height, GATECHECK_IMAGE_MAX_SIDE, GATECHECK_IMAGE_MAX_SIDE,
                    GATECHECK_IMAGE_MAX_PIXELS);
        png_image_free(&image);
        return GATECHECK_IMAGE_TOO_LARGE;
    }

    image.format = PNG_FORMAT_GRAY;
    const size_t size = (size_t)image.width * (size_t)image.height;  // PNG_IMAGE_SIZE for 8-bit grey
    uint8_t *pixels = malloc(size);
    if (pixels == NULL) {
        set_message(out, "cannot allocate %zu bytes", size);
        png_image_free(&image);
        return GATECHECK_IMAGE_OUT_OF_MEMORY;
    }

    // QR codes are often dark modules on a transparent background: composite onto white, not black.
    const png_color white = {255, 255, 255};
    if (!png_image_finish_read(&image, &white, pixels, 0, NULL)) {
        set_message(out, "PNG data: %s", image.message);
        free(pixels);
        png_image_free(&image);
        return GATECHECK_IMAGE_CORRUPT;
    }
    out->pixels = pixels;
    out->width = image.width;
    out->height = image.height;
    png_image_free(&image);  // finish_read already freed it; harmless
    return GATECHECK_IMAGE_OK;
}

gatecheck_image_status gatecheck_image_encode_png(const uint8_t *pixels, uint32_t width, uint32_t height, size_t stride,
                                                  gatecheck_encoded *out) {
    memset(out, 0, sizeof(*out));
    if (pixels == NULL || !dimensions_allowed(width, height) || stride < width || stride > (size_t)INT32_MAX) {
        snprintf(out->message, sizeof(out->message), "cannot encode %ux%u pixels at %zu bytes a row", (unsigned)width,
                 (unsigned)height, stride);
        return GATECHECK_IMAGE_TOO_LARGE;
    }
    png_image image;
    memset(&image, 0, sizeof(image));
    image.version = PNG_IMAGE_VERSION;
    image.width = width;
    image.height = height;
    image.format = PNG_FORMAT_GRAY;

    // The first call only measures; the second writes into a buffer of that size.
    png_alloc_size_t length = 0;
    if (!png_image_write_get_memory_size(image, length, 0, pixels, (png_int_32)stride, NULL)) {
        snprintf(out->message, sizeof(out->message), "PNG encoding: %s", image.message);
        png_image_free(&image);
        return GATECHECK_IMAGE_CORRUPT;
    }
    uint8_t *bytes = malloc(length);
    if (bytes == NULL) {
        snprintf(out->message, sizeof(out->message), "cannot allocate %zu bytes", (size_t)length);
        png_image_free(&image);
        return GATECHECK_IMAGE_OUT_OF_MEMORY;
    }
    if (!png_image_write_to_memory(&image, bytes, &length, 0, pixels, (png_int_32)stride, NULL)) {
        snprintf(out->message, sizeof(out->message), "PNG encoding: %s", image.message);
        free(bytes);
        png_image_free(&image);
        return GATECHECK_IMAGE_CORRUPT;
    }
    out->bytes = bytes;
    out->length = length;
    return GATECHECK_IMAGE_OK;
}

void gatecheck_encoded_free(gatecheck_encoded *encoded) {
    if (encoded == NULL) return;
    free(encoded->bytes);
    encoded->bytes = NULL;
    encoded->length = 0;
}

// MARK: - JPEG

typedef struct gatecheck_jpeg_error {
    struct jpeg_error_mgr base;  // must be first: libjpeg hands us a pointer to it
    jmp_buf jump;
    gatecheck_image_status status;
    int truncated;
} gatecheck_jpeg_error;

// Replaces libjpeg's default, which prints and calls exit().
static void jpeg_error_exit(j_common_ptr cinfo) {
    gatecheck_jpeg_error *error = (gatecheck_jpeg_error *)cinfo->err;
    error->status = (error->base.msg_code == JERR_OUT_OF_MEMORY || error->base.msg_code == JERR_NO_BACKING_STORE)
        ? GATECHECK_IMAGE_OUT_OF_MEMORY
        : GATECHECK_IMAGE_CORRUPT;
    longjmp(error->jump, 1);
}

// Silences warnings (no stderr output) but remembers a premature end of file: libjpeg pads the
// missing rows with grey and carries on, which would hide truncation from the caller.
static void jpeg_emit_message(j_common_ptr cinfo, int level) {
    gatecheck_jpeg_error *error = (gatecheck_jpeg_error *)cinfo->err;
    if (level < 0) {
        error->base.num_warnings++;
        if (error->base.msg_code == JWRN_JPEG_EOF) error->truncated = 1;
    }
}

static void jpeg_output_message(j_common_ptr cinfo) {
    (void)cinfo;
}

static void jpeg_progress(j_common_ptr cinfo) {
    if (!cinfo->is_decompressor) return;
    j_decompress_ptr dinfo = (j_decompress_ptr)cinfo;
    if (dinfo->input_scan_number > GATECHECK_JPEG_MAX_SCANS) {
        gatecheck_jpeg_error *error = (gatecheck_jpeg_error *)cinfo->err;
        error->status = GATECHECK_IMAGE_CORRUPT;
        snprintf(error->base.msg_parm.s, JMSG_STR_PARM_MAX, "more than %d scans", GATECHECK_JPEG_MAX_SCANS);
        error->base.msg_code = -1;
        longjmp(error->jump, 1);
    }
}

gatecheck_image_status gatecheck_image_decode_jpeg(const uint8_t *bytes, size_t length, gatecheck_image *out) {
    reset(out);
    if (bytes == NULL || length == 0) {
        set_message(out, "empty JPEG data");
        return GATECHECK_IMAGE_CORRUPT;
    }
    if (length > (size_t)ULONG_MAX) {  // jpeg_mem_src takes an unsigned long
        set_message(out, "JPEG data too long");
        return GATECHECK_IMAGE_TOO_LARGE;
    }

    struct jpeg_decompress_struct cinfo;
    gatecheck_jpeg_error error;
    struct jpeg_progress_mgr progress;
    memset(&cinfo, 0, sizeof(cinfo));
    memset(&error, 0, sizeof(error));
    memset(&progress, 0, sizeof(progress));

    // Written after setjmp and read after longjmp, hence volatile.
    uint8_t *volatile pixels = NULL;

    cinfo.err = jpeg_std_error(&error.base);
    error.base.error_exit = jpeg_error_exit;
    error.base.emit_message = jpeg_emit_message;
    error.base.output_message = jpeg_output_message;
    error.status = GATECHECK_IMAGE_CORRUPT;

    if (setjmp(error.jump)) {
        if (error.base.msg_code == -1) {
            set_message(out, "JPEG: %s", error.base.msg_parm.s);
        } else {
            char text[JMSG_LENGTH_MAX];
            error.base.format_message((j_common_ptr)&cinfo, text);
            set_message(out, "JPEG: %s", text);
        }
        jpeg_destroy_decompress(&cinfo);
        free(pixels);
        return error.status;
    }

    jpeg_create_decompress(&cinfo);
    cinfo.mem->max_memory_to_use = GATECHECK_JPEG_MAX_MEMORY;
    progress.progress_monitor = jpeg_progress;
    cinfo.progress = &progress;
    jpeg_mem_src(&cinfo, bytes, (unsigned long)length);

    if (jpeg_read_header(&cinfo, TRUE) != JPEG_HEADER_OK) {
        set_message(out, "JPEG has no image");
        jpeg_destroy_decompress(&cinfo);
        return GATECHECK_IMAGE_CORRUPT;
    }
    if (!dimensions_allowed(cinfo.image_width, cinfo.image_height)) {
        set_message(out, "JPEG declares %ux%u pixels (limit %ux%u, %u pixels)", (unsigned)cinfo.image_width,
                    (unsigned)cinfo.image_height, GATECHECK_IMAGE_MAX_SIDE, GATECHECK_IMAGE_MAX_SIDE,
                    GATECHECK_IMAGE_MAX_PIXELS);
        jpeg_destroy_decompress(&cinfo);
        return GATECHECK_IMAGE_TOO_LARGE;
    }
    switch (cinfo.jpeg_color_space) {
    case JCS_GRAYSCALE:
    case JCS_YCbCr:
    case JCS_RGB:
        break;
    default:
        set_message(out, "JPEG colour space %d cannot be converted to grey", (int)cinfo.jpeg_color_space);
        jpeg_destroy_decompress(&cinfo);
        return GATECHECK_IMAGE_UNSUPPORTED;
    }

    cinfo.out_color_space = JCS_GRAYSCALE;
    cinfo.scale_num = 1;
    cinfo.scale_denom = 1;
    jpeg_start_decompress(&cinfo);
    if (cinfo.output_components != 1 || !dimensions_allowed(cinfo.output_width, cinfo.output_height)) {
        set_message(out, "JPEG output is %ux%ux%d, expected grey", (unsigned)cinfo.output_width,
                    (unsigned)cinfo.output_height, cinfo.output_components);
        jpeg_destroy_decompress(&cinfo);
        return GATECHECK_IMAGE_CORRUPT;
    }

    const size_t width = cinfo.output_width;
    const size_t height = cinfo.output_height;
    pixels = malloc(width * height);
    if (pixels == NULL) {
        set_message(out, "cannot allocate %zu bytes", width * height);
        jpeg_destroy_decompress(&cinfo);
        return GATECHECK_IMAGE_OUT_OF_MEMORY;
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = pixels + (size_t)cinfo.output_scanline * width;
        if (jpeg_read_scanlines(&cinfo, &row, 1) != 1) break;  // cannot happen with an in-memory source
    }
    if (cinfo.output_scanline < cinfo.output_height || error.truncated) {
        set_message(out, "JPEG data is truncated");
        jpeg_destroy_decompress(&cinfo);
        free(pixels);
        return GATECHECK_IMAGE_CORRUPT;
    }
    // jpeg_finish_decompress would only read trailing markers; nothing in them matters here.
    jpeg_destroy_decompress(&cinfo);

    out->pixels = pixels;
    out->width = (uint32_t)width;
    out->height = (uint32_t)height;
    return GATECHECK_IMAGE_OK;
}
