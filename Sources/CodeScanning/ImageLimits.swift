import CImageIO

/// Size limits shared by every decoder and by ``GreyImage``, checked before any pixel buffer is allocated.
///
/// The values come from CImageIO so that the C and Swift decoders can never disagree.
enum ImageLimits {
    /// Largest accepted width or height.
    static let maximumSide = Int(GATECHECK_IMAGE_MAX_SIDE)
    /// Largest accepted width * height (40 megapixels).
    static let maximumPixels = Int(GATECHECK_IMAGE_MAX_PIXELS)

    /// Whether an image of this size may be allocated. Works for any Int without overflowing.
    static func allows(width: Int, height: Int) -> Bool {
        guard width > 0, height > 0, width <= maximumSide, height <= maximumSide else { return false }
        return width * height <= maximumPixels  // both <= 8192, cannot overflow
    }
}
