#ifndef GATECHECK_CV4L2_H
#define GATECHECK_CV4L2_H

// The V4L2 request codes, pixel formats and libv4l2 entry points that Swift cannot import directly.
//
// Swift imports plain integer #defines and the structs of <linux/videodev2.h>, but not:
// - VIDIOC_* and V4L2_PIX_FMT_* (function-like macros: _IOWR(...), v4l2_fourcc(...)),
// - MAP_FAILED (a cast), S_ISCHR (a function-like macro),
// - the variadic v4l2_open / v4l2_ioctl.
// So this header re-exports them as `static const` values and non-variadic inline wrappers.
// Only the V4L2Capture module imports it. Everything here is header-only; CV4L2.c exists because
// a C target needs a source file.
//
// The wrappers go through libv4l2, so a camera that only delivers MJPEG gets libv4lconvert's
// software conversion to YU12 (and the mmap'd buffers must then be mapped with v4l2_mmap).

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <linux/videodev2.h>
#include <libv4l2.h>

#ifdef __cplusplus
extern "C" {
#endif

// MARK: Request codes (only those V4L2Capture issues).
static const unsigned long gatecheck_v4l2_vidioc_querycap = VIDIOC_QUERYCAP;
static const unsigned long gatecheck_v4l2_vidioc_enum_fmt = VIDIOC_ENUM_FMT;
static const unsigned long gatecheck_v4l2_vidioc_enum_framesizes = VIDIOC_ENUM_FRAMESIZES;
static const unsigned long gatecheck_v4l2_vidioc_enum_frameintervals = VIDIOC_ENUM_FRAMEINTERVALS;
static const unsigned long gatecheck_v4l2_vidioc_g_fmt = VIDIOC_G_FMT;
static const unsigned long gatecheck_v4l2_vidioc_s_fmt = VIDIOC_S_FMT;
static const unsigned long gatecheck_v4l2_vidioc_reqbufs = VIDIOC_REQBUFS;
static const unsigned long gatecheck_v4l2_vidioc_querybuf = VIDIOC_QUERYBUF;
static const unsigned long gatecheck_v4l2_vidioc_qbuf = VIDIOC_QBUF;
static const unsigned long gatecheck_v4l2_vidioc_dqbuf = VIDIOC_DQBUF;
static const unsigned long gatecheck_v4l2_vidioc_streamon = VIDIOC_STREAMON;
static const unsigned long gatecheck_v4l2_vidioc_streamoff = VIDIOC_STREAMOFF;
// Controls and cropping (camera settings, `gatecheck camera list --controls`).
static const unsigned long gatecheck_v4l2_vidioc_queryctrl = VIDIOC_QUERYCTRL;
static const unsigned long gatecheck_v4l2_vidioc_querymenu = VIDIOC_QUERYMENU;
static const unsigned long gatecheck_v4l2_vidioc_g_ctrl = VIDIOC_G_CTRL;
static const unsigned long gatecheck_v4l2_vidioc_s_ctrl = VIDIOC_S_CTRL;
static const unsigned long gatecheck_v4l2_vidioc_g_ext_ctrls = VIDIOC_G_EXT_CTRLS;
static const unsigned long gatecheck_v4l2_vidioc_s_ext_ctrls = VIDIOC_S_EXT_CTRLS;
static const unsigned long gatecheck_v4l2_vidioc_s_selection = VIDIOC_S_SELECTION;

// The sizes of the control structures as C lays them out (two are packed), for a test that Swift's view matches.
static const size_t gatecheck_v4l2_sizeof_queryctrl = sizeof(struct v4l2_queryctrl);
static const size_t gatecheck_v4l2_sizeof_querymenu = sizeof(struct v4l2_querymenu);
static const size_t gatecheck_v4l2_sizeof_control = sizeof(struct v4l2_control);
static const size_t gatecheck_v4l2_sizeof_ext_control = sizeof(struct v4l2_ext_control);
static const size_t gatecheck_v4l2_sizeof_ext_controls = sizeof(struct v4l2_ext_controls);
static const size_t gatecheck_v4l2_sizeof_selection = sizeof(struct v4l2_selection);

// MARK: Control IDs and flags (nested macros: re-exported so Swift sees plain values).
static const uint32_t gatecheck_v4l2_ctrl_flag_next_ctrl = V4L2_CTRL_FLAG_NEXT_CTRL;
static const uint32_t gatecheck_v4l2_cid_brightness = V4L2_CID_BRIGHTNESS;
static const uint32_t gatecheck_v4l2_cid_contrast = V4L2_CID_CONTRAST;
static const uint32_t gatecheck_v4l2_cid_gain = V4L2_CID_GAIN;
static const uint32_t gatecheck_v4l2_cid_power_line_frequency = V4L2_CID_POWER_LINE_FREQUENCY;
static const uint32_t gatecheck_v4l2_cid_exposure_auto = V4L2_CID_EXPOSURE_AUTO;
static const uint32_t gatecheck_v4l2_cid_exposure_absolute = V4L2_CID_EXPOSURE_ABSOLUTE;
static const uint32_t gatecheck_v4l2_cid_focus_absolute = V4L2_CID_FOCUS_ABSOLUTE;
static const uint32_t gatecheck_v4l2_cid_focus_auto = V4L2_CID_FOCUS_AUTO;
static const uint32_t gatecheck_v4l2_sel_tgt_crop = V4L2_SEL_TGT_CROP;

// MARK: Pixel formats (fourccs) GateCheck can take the luminance from, and MJPEG for conversion.
static const uint32_t gatecheck_v4l2_pix_fmt_grey = V4L2_PIX_FMT_GREY;
static const uint32_t gatecheck_v4l2_pix_fmt_yuyv = V4L2_PIX_FMT_YUYV;
static const uint32_t gatecheck_v4l2_pix_fmt_nv12 = V4L2_PIX_FMT_NV12;
/// YU12 = I420: a full Y plane followed by quarter-size U and V planes. libv4lconvert's target for MJPEG.
static const uint32_t gatecheck_v4l2_pix_fmt_yuv420 = V4L2_PIX_FMT_YUV420;
static const uint32_t gatecheck_v4l2_pix_fmt_mjpeg = V4L2_PIX_FMT_MJPEG;
static const uint32_t gatecheck_v4l2_pix_fmt_jpeg = V4L2_PIX_FMT_JPEG;

/// True when `mode` (from stat) is a character device.
static inline int gatecheck_v4l2_is_character_device(mode_t mode) {
    return S_ISCHR(mode) ? 1 : 0;
}

/// open(2) without the variadic mode argument (never creates files). Returns the fd, or -1 with errno set;
/// the Swift caller retries EINTR through SystemCalls.
static inline int gatecheck_v4l2_sys_open(const char *path, int flags) {
    return open(path, flags);
}

/// A raw ioctl(2), bypassing libv4l2: used to check that a node speaks V4L2 before libv4l2 sees it
/// (libv4l2 prints to stderr when QUERYCAP fails). The Swift caller retries EINTR.
static inline int gatecheck_v4l2_sys_ioctl(int fd, unsigned long request, void *arg) {
    return ioctl(fd, request, arg);
}

/// Hands an already open fd to libv4l2 (default flags: conversion on). Returns fd, or -1 (errno set; fd left open).
static inline int gatecheck_v4l2_fd_open(int fd) {
    return v4l2_fd_open(fd, 0);
}

/// v4l2_close. Never retried: on Linux the fd is released even when close reports EINTR.
static inline int gatecheck_v4l2_close(int fd) {
    return v4l2_close(fd);
}

/// A non-variadic v4l2_ioctl. Returns the ioctl's result, or -1 with errno set; the Swift caller retries EINTR.
/// `arg` must point to the structure the request expects (libv4l2 does not check for EFAULT).
static inline int gatecheck_v4l2_ioctl(int fd, unsigned long request, void *arg) {
    return v4l2_ioctl(fd, request, arg);
}

/// Maps one capture buffer read-write and shared. Returns NULL (not MAP_FAILED) on failure, errno set.
static inline void *gatecheck_v4l2_mmap(int fd, size_t length, int64_t offset) {
    void *start = v4l2_mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
    return start == MAP_FAILED ? NULL : start;
}

/// v4l2_munmap. Returns 0, or -1 with errno set.
static inline int gatecheck_v4l2_munmap(void *start, size_t length) {
    return v4l2_munmap(start, length);
}

#ifdef __cplusplus
}
#endif

#endif
