import Imaging

/// Decides how caller memory is presented to zbar: in place (zero-copy) or as a tightly packed copy.
///
/// In place, zbar is told the image is `bytesPerRow` wide and is given a crop rectangle of
/// `width x height`, so its line scanners (which find QR finder patterns) never look at row padding.
/// The QR binariser does see the padding bytes, but finder patterns can only come from the crop.
///
/// The length given to zbar is always rounded up to a multiple of 8 and the memory must really be that
/// long: zbar 0.23.92 inverts the image a machine word at a time for `ZBAR_CFG_TEST_INVERTED` and writes
/// up to 7 bytes past its own heap copy when the length is not a multiple of `sizeof(long)` (seen with
/// valgrind). When the caller's buffer is too short for that, or the stride is unreasonably large, the
/// rows are copied into a packed buffer with the required slack instead.
struct ZBarFrameLayout: Equatable {
    /// The width zbar is told (the stride of the memory it reads).
    let zbarWidth: Int
    let height: Int
    /// The crop width: the real image width.
    let cropWidth: Int
    /// The length zbar is told; a multiple of 8, never more than the memory available.
    let dataLength: Int
    /// Whether zbar reads the caller's memory directly.
    let inPlace: Bool

    /// Returns nil when the geometry is invalid or beyond ``ImageLimits``.
    init?(width: Int, height: Int, bytesPerRow: Int, availableBytes: Int) {
        guard ImageLimits.allows(width: width, height: height), bytesPerRow >= width,
            let required = GreyImage.requiredByteCount(width: width, height: height, bytesPerRow: bytesPerRow),
            availableBytes >= required
        else { return nil }

        self.height = height
        self.cropWidth = width
        let strideIsReasonable =
            bytesPerRow <= ImageLimits.maximumSide && bytesPerRow * height <= 2 * ImageLimits.maximumPixels
        if strideIsReasonable, Self.roundedUp(bytesPerRow * height) <= availableBytes {
            zbarWidth = bytesPerRow
            dataLength = Self.roundedUp(bytesPerRow * height)
            inPlace = true
        } else {
            zbarWidth = width
            dataLength = Self.roundedUp(width * height)
            inPlace = false
        }
    }

    /// Rounds up to a multiple of 8 (`sizeof(long)` on every 64-bit platform zbar runs on).
    static func roundedUp(_ count: Int) -> Int {
        (count + 7) & ~7
    }
}
