import Imaging

/// One step of the ``ScanCascade``: which picture of the frame zbar is given.
///
/// Each rung is a plain Imaging operation on the grey frame (or none) followed by one zbar scan; the cascade
/// maps what a resized rung finds back to full-frame coordinates.
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

    public var description: String { rawValue }

    /// How many frame pixels one pixel of this rung's picture covers along each axis (2 for reduced copies).
    var scale: Int {
        switch self {
        case .reduced, .reducedSharpened: 2
        case .full, .sharpened, .stretched: 1
        }
    }

    /// The picture zbar scans for this rung. `reduced` is the frame's reduced copy, made at most once per frame
    /// by the cascade and shared by the rungs that need it.
    func picture(of frame: GreyImage, reduced: () -> GreyImage) -> GreyImage {
        switch self {
        case .reduced: reduced()
        case .full: frame
        case .reducedSharpened: reduced().sharpened()
        case .sharpened: frame.sharpened()
        case .stretched: frame.contrastStretched()
        }
    }
}
