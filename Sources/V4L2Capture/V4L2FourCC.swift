import CV4L2

/// A V4L2 pixel format code: four ASCII characters packed little-endian ("GREY", "YUYV", "MJPG").
public struct V4L2FourCC: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// Builds a code from its four characters; nil unless `text` is exactly four ASCII characters.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 4, bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        rawValue = bytes.enumerated().reduce(0) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
    }

    /// 8-bit luminance only: the frame is the image.
    public static let grey = V4L2FourCC(rawValue: gatecheck_v4l2_pix_fmt_grey)
    /// Packed 4:2:2, Y0 U Y1 V: the luminance is every other byte.
    public static let yuyv = V4L2FourCC(rawValue: gatecheck_v4l2_pix_fmt_yuyv)
    /// Y plane, then interleaved UV at quarter size: the luminance is the first `height` rows.
    public static let nv12 = V4L2FourCC(rawValue: gatecheck_v4l2_pix_fmt_nv12)
    /// YU12 (I420): Y plane, then U and V planes. What libv4lconvert makes of MJPEG.
    public static let yu12 = V4L2FourCC(rawValue: gatecheck_v4l2_pix_fmt_yuv420)
    /// Motion JPEG, the usual high-frame-rate format of USB (UVC) cameras.
    public static let mjpeg = V4L2FourCC(rawValue: gatecheck_v4l2_pix_fmt_mjpeg)
    /// Plain JPEG frames, offered by some older webcams; libv4lconvert decodes it like MJPEG.
    public static let jpeg = V4L2FourCC(rawValue: gatecheck_v4l2_pix_fmt_jpeg)

    /// The four characters, with non-printable bytes shown as '?'.
    public var description: String {
        let scalars = (0..<4).map { shift -> Character in
            let byte = UInt8(truncatingIfNeeded: rawValue >> (8 * UInt32(shift)))
            return (0x20..<0x7F).contains(byte) ? Character(Unicode.Scalar(byte)) : "?"
        }
        return String(scalars)
    }
}
