extension V4L2Camera {
    /// The luminance layouts GateCheck reads directly, in order of preference after GREY.
    static let yPlaneFormats: [V4L2FourCC] = [.yuyv, .nv12, .yu12]

    /// The pixel formats to try with `VIDIOC_S_FMT`, best first, given what `VIDIOC_ENUM_FMT` offered.
    ///
    /// 1. GREY: the frame is the image.
    /// 2. YUYV, NV12, YU12 offered by the hardware: the Y plane is used as is, no conversion.
    /// 3. YU12 produced by libv4lconvert, when the camera offers MJPEG/JPEG (or some other format
    ///    libv4lconvert converts, which it then lists as an emulated YU12). Decoding JPEG costs CPU on a
    ///    Pi, which is why it comes last, but UVC cameras on USB 2 only reach 30 fps at 720p in MJPEG.
    ///
    /// Formats libv4lconvert only emulates (flagged) never count as "offered by the hardware".
    public static func formatPreference(for formats: [V4L2FormatDescription]) -> [V4L2FourCC] {
        let native = Set(formats.filter { !$0.isEmulated }.map(\.pixelFormat))
        var order: [V4L2FourCC] = []
        if native.contains(.grey) { order.append(.grey) }
        order += yPlaneFormats.filter { native.contains($0) }
        let convertible =
            native.contains(.mjpeg) || native.contains(.jpeg)
            || formats.contains { $0.isEmulated && $0.pixelFormat == .yu12 }
        if convertible, !order.contains(.yu12) { order.append(.yu12) }
        return order
    }

    /// Bytes of the Y plane GateCheck reads from a frame in `format`: `bytesPerLine * height`.
    static func yPlaneByteCount(_ format: V4L2NegotiatedFormat) -> Int {
        format.bytesPerLine * format.height
    }

    /// Fixes the stride and size of a negotiated format the way capture-example.c does ("buggy driver
    /// paranoia"): a stride below the packed row size, or an image size below stride × height, is raised.
    static func sanitized(_ format: V4L2NegotiatedFormat) -> V4L2NegotiatedFormat {
        var format = format
        let packedRow = format.pixelFormat == .yuyv ? format.width * 2 : format.width
        format.bytesPerLine = max(format.bytesPerLine, packedRow)
        format.sizeImage = max(format.sizeImage, format.bytesPerLine * format.height)
        return format
    }
}
