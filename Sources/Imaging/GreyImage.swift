/// An 8-bit luminance image. Rows may be padded (bytesPerRow >= width), as V4L2 frames are.
///
/// Pixel `(x, y)` is `pixels[y * bytesPerRow + x]`; bytes past `width` in a row are ignored. The
/// initializer enforces the same size limits as the file decoders (at most 8192 pixels a side and
/// 40 megapixels), so a ``GreyImage`` is always safe to hand to CodeScanning's `QRScanner`.
public struct GreyImage: Sendable {
    /// Width in pixels, > 0.
    public let width: Int
    /// Height in pixels, > 0.
    public let height: Int
    /// Distance in bytes between the starts of two rows, >= ``width``.
    public let bytesPerRow: Int
    /// At least `bytesPerRow * (height - 1) + width` bytes: the last row need not be padded.
    public let pixels: [UInt8]

    /// Wraps luminance bytes after checking that they cover the stated geometry.
    ///
    /// - Parameters:
    ///   - bytesPerRow: the row stride; `nil` means tightly packed (`width`).
    /// - Throws: ``ImagingError/Code/imageTooLarge`` beyond the size limits,
    ///   ``ImagingError/Code/corruptImage`` for non-positive sizes, a stride below the width, or too few bytes.
    public init(width: Int, height: Int, bytesPerRow: Int? = nil, pixels: [UInt8]) throws(ImagingError) {
        let stride = bytesPerRow ?? width
        guard width > 0, height > 0 else {
            throw ImagingError(.corruptImage, "image size \(width)x\(height) is not positive")
        }
        guard ImageLimits.allows(width: width, height: height) else {
            throw ImagingError(
                .imageTooLarge,
                "image size \(width)x\(height) exceeds \(ImageLimits.maximumSide) pixels a side "
                    + "or \(ImageLimits.maximumPixels) pixels"
            )
        }
        guard stride >= width else {
            throw ImagingError(.corruptImage, "bytesPerRow \(stride) is less than the width \(width)")
        }
        guard let required = Self.requiredByteCount(width: width, height: height, bytesPerRow: stride),
            pixels.count >= required
        else {
            throw ImagingError(.corruptImage, "\(pixels.count) bytes cannot hold \(width)x\(height) pixels at \(stride) bytes a row")
        }
        self.width = width
        self.height = height
        self.bytesPerRow = stride
        self.pixels = pixels
    }

    /// `bytesPerRow * (height - 1) + width`, or nil on overflow. Callers have checked width, height > 0.
    /// Package-visible for CodeScanning, which lays out caller memory for zbar by the same rule.
    package static func requiredByteCount(width: Int, height: Int, bytesPerRow: Int) -> Int? {
        let (rows, overflow1) = bytesPerRow.multipliedReportingOverflow(by: height - 1)
        let (total, overflow2) = rows.addingReportingOverflow(width)
        return overflow1 || overflow2 ? nil : total
    }
}
