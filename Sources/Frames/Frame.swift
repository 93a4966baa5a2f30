import Imaging
import SystemCalls

/// One picture from a camera or a replay: 8-bit luminance (the Y plane), numbered and timestamped.
public struct Frame: Sendable {
    public let image: GreyImage
    /// Increases by one per frame the source delivers (gaps mean the source dropped frames).
    public let sequence: UInt64
    /// When the frame was captured, on the monotonic clock (V4L2 stamps frames on CLOCK_MONOTONIC).
    public let captured: MonotonicInstant

    public init(image: GreyImage, sequence: UInt64, captured: MonotonicInstant) {
        self.image = image
        self.sequence = sequence
        self.captured = captured
    }
}
