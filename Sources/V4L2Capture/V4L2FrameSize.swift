/// One entry of `VIDIOC_ENUM_FRAMESIZES`: a fixed size, or a range (stepwise; continuous has step 1).
public enum V4L2FrameSize: Hashable, Sendable, CustomStringConvertible {
    case discrete(width: Int, height: Int)
    case stepwise(minWidth: Int, maxWidth: Int, stepWidth: Int, minHeight: Int, maxHeight: Int, stepHeight: Int)

    /// The size to ask frame intervals for: the size itself, or the largest of a range.
    public var representative: (width: Int, height: Int) {
        switch self {
        case .discrete(let width, let height): (width, height)
        case .stepwise(_, let maxWidth, _, _, let maxHeight, _): (maxWidth, maxHeight)
        }
    }

    public var description: String {
        switch self {
        case .discrete(let width, let height):
            "\(width)x\(height)"
        case .stepwise(let minWidth, let maxWidth, let stepWidth, let minHeight, let maxHeight, let stepHeight):
            "\(minWidth)x\(minHeight)-\(maxWidth)x\(maxHeight) step \(stepWidth)x\(stepHeight)"
        }
    }
}

/// One entry of `VIDIOC_ENUM_FRAMEINTERVALS`: a frame period in seconds as a fraction, or a range.
public enum V4L2FrameInterval: Hashable, Sendable, CustomStringConvertible {
    case discrete(numerator: Int, denominator: Int)
    case stepwise(minimum: Fraction, maximum: Fraction, step: Fraction)

    /// A period of `numerator / denominator` seconds.
    public struct Fraction: Hashable, Sendable {
        public var numerator: Int
        public var denominator: Int

        /// Frames per second (denominator / numerator), or nil for a zero numerator.
        public var framesPerSecond: Double? {
            numerator > 0 ? Double(denominator) / Double(numerator) : nil
        }
    }

    /// Frames per second for a discrete interval; the highest rate of a range.
    public var framesPerSecond: Double? {
        switch self {
        case .discrete(let numerator, let denominator):
            Fraction(numerator: numerator, denominator: denominator).framesPerSecond
        case .stepwise(let minimum, _, _):
            minimum.framesPerSecond
        }
    }

    public var description: String {
        switch self {
        case .discrete:
            Self.format(framesPerSecond)
        case .stepwise(let minimum, let maximum, _):
            "\(Self.format(maximum.framesPerSecond))-\(Self.format(minimum.framesPerSecond))"
        }
    }

    private static func format(_ fps: Double?) -> String {
        guard let fps else { return "?" }
        let rounded = (fps * 100).rounded() / 100
        return rounded == rounded.rounded() ? "\(Int(rounded))" : "\(rounded)"
    }
}
