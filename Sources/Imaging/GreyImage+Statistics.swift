/// The figures `gatecheck camera aim` shows a technician: how sharp the picture is and how it is exposed.
///
/// Plain loops over the grey buffer through unsafe pointers, with integer accumulators and no branches in
/// the inner loops, so that the compiler vectorises them. Only the `width × height` pixels are read (row
/// padding is ignored).
extension GreyImage {
    /// How a frame is exposed: its mean grey level and how many pixels are clipped to black or white.
    public struct Exposure: Hashable, Sendable {
        /// Levels at or below this count as clipped to black.
        public static let darkClipLevel: UInt8 = 2
        /// Levels at or above this count as clipped to white.
        public static let brightClipLevel: UInt8 = 253

        public let pixelCount: Int
        /// The sum of every pixel's level.
        public let levelSum: Int
        /// Pixels at or below ``darkClipLevel``.
        public let darkClipped: Int
        /// Pixels at or above ``brightClipLevel``.
        public let brightClipped: Int

        /// The mean grey level, 0 to 255.
        public var meanLevel: Double { pixelCount == 0 ? 0 : Double(levelSum) / Double(pixelCount) }
        /// The share of pixels clipped to black or white, 0 to 1.
        public var clippedShare: Double { pixelCount == 0 ? 0 : Double(darkClipped + brightClipped) / Double(pixelCount) }
    }

    /// The mean level and the clipped pixels of the whole image.
    public func exposure() -> Exposure {
        var sum = 0
        var dark = 0
        var bright = 0
        pixels.withUnsafeBufferPointer { source in
            for row in 0..<height {
                let start = row * bytesPerRow
                // Per-row 32-bit sums (a row has at most 8192 pixels, so they cannot overflow) vectorise widely.
                var rowSum: UInt32 = 0
                var rowDark: UInt32 = 0
                var rowBright: UInt32 = 0
                for index in start..<(start + width) {
                    let level = source[index]
                    rowSum &+= UInt32(level)
                    rowDark &+= level <= Exposure.darkClipLevel ? 1 : 0
                    rowBright &+= level >= Exposure.brightClipLevel ? 1 : 0
                }
                sum += Int(rowSum)
                dark += Int(rowDark)
                bright += Int(rowBright)
            }
        }
        return Exposure(pixelCount: width * height, levelSum: sum, darkClipped: dark, brightClipped: bright)
    }

    /// The variance of the Laplacian (the 4-neighbour kernel 0 1 0 / 1 −4 1 / 0 1 0) over the interior
    /// pixels: a focus figure. Edges in focus give large responses; blur, defocus and motion flatten them.
    /// It also grows with contrast and noise, so compare it between frames of the same scene. 0 for
    /// images with fewer than 3 rows or columns.
    public func laplacianVariance() -> Double {
        guard width >= 3, height >= 3 else { return 0 }
        var sum = 0
        var sumOfSquares = 0
        let stride = bytesPerRow
        pixels.withUnsafeBufferPointer { source in
            for row in 1..<(height - 1) {
                let centre = row * stride
                var rowSum: Int32 = 0  // |response| ≤ 1020, at most 8190 of them: fits
                var rowSquares: Int64 = 0
                for index in (centre + 1)..<(centre + width - 1) {
                    let response =
                        Int32(source[index - stride]) + Int32(source[index + stride]) + Int32(source[index - 1])
                        + Int32(source[index + 1]) - 4 * Int32(source[index])
                    rowSum &+= response
                    rowSquares &+= Int64(response &* response)
                }
                sum += Int(rowSum)
                sumOfSquares += Int(rowSquares)
            }
        }
        let count = Double((width - 2) * (height - 2))
        let mean = Double(sum) / count
        return max(Double(sumOfSquares) / count - mean * mean, 0)
    }
}
