import Imaging

/// One step of the ``ScanCascade``: which picture of the frame zbar is given.
///
/// Each rung is a plain Imaging operation on the grey frame (or none) followed by one zbar scan; the cascade
/// maps what a resized or rectified rung finds back to full-frame coordinates.
public enum ScanRung: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// A 2× box-downscaled copy: a quarter of the pixels, and the averaging halves blur radius and noise.
    /// Codes need about 2 px/module after halving, so a code below ~4 px/module in the frame escalates.
    case reduced
    /// The frame as captured.
    case full
    /// The reduced copy, sharpened: strong blur at a quarter of the cost of sharpening the full frame.
    case reducedSharpened = "reduced-sharpened"
    /// The full frame, sharpened (``GreyImage/sharpened()``): lens and motion blur.
    case sharpened
    /// The full frame with its grey levels stretched to 0…255 (``GreyImage/contrastStretched(clip:)``):
    /// flat, over- or under-exposed codes.
    case stretched
    /// The code's outline, found from its three finder patterns (``CodeOutline``), and the frame inside it mapped
    /// onto an upright square at 3 px/module: codes seen at an angle (zbar reads no keystone beyond about 5 %),
    /// and rotated or small codes for less than the full frame costs. Nothing to scan when no finder-pattern
    /// triple is found.
    case rectified
    /// The reduced copy sharpened along the axis a motion blur ran along (the axis whose neighbour differences
    /// are clearly the smaller), 4 frame pixels apart: a code moved sideways through the gate while the shutter
    /// was open. Nothing to scan when neither axis is clearly blurred.
    case reducedDeblurred = "reduced-deblurred"

    /// The gradient sum along the blurred axis is below this share of the other axis's.
    static let motionBlurAnisotropy = 0.8

    public var description: String { rawValue }

    /// How a point of a rung's picture maps to the frame.
    package enum FrameMapping {
        case identity
        /// Each picture pixel covers this many frame pixels along each axis.
        case scaled(Int)
        /// Picture pixel coordinates to frame pixel coordinates.
        case projective(Homography)
    }

    /// The picture zbar scans for this rung and how its points map to the frame; nil when the rung has nothing
    /// to scan in this frame. `reduced` is the frame's reduced copy, made at most once per frame by the cascade
    /// and shared by the rungs that need it.
    package func picture(of frame: GreyImage, reduced: () -> GreyImage) -> (image: GreyImage, mapping: FrameMapping)? {
        switch self {
        case .reduced: (reduced(), .scaled(2))
        case .full: (frame, .identity)
        case .reducedSharpened: (reduced().sharpened(), .scaled(2))
        case .sharpened: (frame.sharpened(), .identity)
        case .stretched: (frame.contrastStretched(), .identity)
        case .reducedDeblurred:
            {
                let copy = reduced()
                let sums = copy.gradientSums()
                let (horizontal, vertical) = (Double(sums.horizontal), Double(sums.vertical))
                if horizontal < vertical * Self.motionBlurAnisotropy {
                    return (copy.sharpened(alongRows: true, distance: 2), .scaled(2))
                }
                if vertical < horizontal * Self.motionBlurAnisotropy {
                    return (copy.sharpened(alongRows: false, distance: 2), .scaled(2))
                }
                return nil
            }()
        case .rectified:
            {
                // Finder patterns are looked for in the frame, then in its 3 × 3 mean when noise hid them there
                // (the mean blurs 1 px/module codes away, so it cannot replace the frame). The frame is sampled.
                for picture in [frame, frame.smoothed()] {
                    let threshold = LocalThreshold(picture)
                    guard let finders = FinderPatterns.find(in: threshold), let outline = CodeOutline.find(finders, in: threshold),
                        let rectified = outline.rectified(frame)
                    else { continue }
                    return (rectified.picture, .projective(rectified.toFrame))
                }
                return nil
            }()
        }
    }
}
