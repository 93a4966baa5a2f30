import CImageIO

/// Size limits shared by every decoder and by ``GreyImage``, checked before any pixel buffer is allocated.
///
/// The values come from CImageIO so that the C and Swift decoders can never disagree. Package-visible so that
/// CodeScanning refuses camera memory beyond the same limits.
package enum ImageLimits {
    /// Largest accepted width or height.
    package static let maximumSide = Int(GATECHECK_IMAGE_MAX_SIDE)
    /// Largest accepted width * height (40 megapixels).
    package static let maximumPixels = Int(GATECHECK_IMAGE_MAX_PIXELS)

    /// Whether an image of this size may be allocated. Works for any Int without overflowing.
    package static func allows(width: Int, height: Int) -> Bool {
        guard width > 0, height > 0, width <= maximumSide, height <= maximumSide else { return false }
        return width * height <= maximumPixels  // both <= 8192, cannot overflow
    }
}
