/// One entry of `VIDIOC_ENUM_FMT` for video capture.
public struct V4L2FormatDescription: Hashable, Sendable {
    public var pixelFormat: V4L2FourCC
    /// The driver's (or libv4lconvert's) description, e.g. "Motion-JPEG".
    public var description: String
    /// A compressed format (`V4L2_FMT_FLAG_COMPRESSED`).
    public var isCompressed: Bool
    /// Offered by libv4lconvert's software conversion, not by the hardware (`V4L2_FMT_FLAG_EMULATED`).
    public var isEmulated: Bool

    public init(pixelFormat: V4L2FourCC, description: String, isCompressed: Bool = false, isEmulated: Bool = false) {
        self.pixelFormat = pixelFormat
        self.description = description
        self.isCompressed = isCompressed
        self.isEmulated = isEmulated
    }
}
