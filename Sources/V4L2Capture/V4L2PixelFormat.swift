/// A capture format to ask for with `VIDIOC_S_FMT` (the driver adjusts what it cannot do).
public struct V4L2FormatRequest: Hashable, Sendable {
    public var pixelFormat: V4L2FourCC
    public var width: Int
    public var height: Int

    public init(pixelFormat: V4L2FourCC, width: Int, height: Int) {
        self.pixelFormat = pixelFormat
        self.width = width
        self.height = height
    }
}

/// The format the driver settled on, as re-read after `VIDIOC_S_FMT`.
public struct V4L2NegotiatedFormat: Hashable, Sendable {
    /// May differ from the request: the driver substitutes formats it does not support.
    public var pixelFormat: V4L2FourCC
    public var width: Int
    public var height: Int
    /// The row stride of the (first) plane in bytes; may exceed the packed row size.
    public var bytesPerLine: Int
    /// The buffer size the driver needs for one frame.
    public var sizeImage: Int

    public init(pixelFormat: V4L2FourCC, width: Int, height: Int, bytesPerLine: Int, sizeImage: Int) {
        self.pixelFormat = pixelFormat
        self.width = width
        self.height = height
        self.bytesPerLine = bytesPerLine
        self.sizeImage = sizeImage
    }
}
