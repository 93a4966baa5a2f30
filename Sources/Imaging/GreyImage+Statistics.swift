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
            guard let base = source.baseAddress else { return }
            for row in 0..<height {
                let line = base + row * bytesPerRow
                // Per-row 32-bit sums (a row has at most 8192 pixels, so they cannot overflow) vectorise widely.
                // The clip tests are arithmetic, not branches: level − 3 wraps to ≥ 2³¹ exactly when level ≤ 2, and
                // level + 3 reaches 256 exactly when level ≥ 253.
                var rowSum: UInt32 = 0
                var rowDark: UInt32 = 0
                var rowBright: UInt32 = 0
                for x in 0..<width {
                    let level = UInt32(line[x])
                    rowSum &+= level
                    rowDark &+= (level &- (UInt32(Exposure.darkClipLevel) &+ 1)) >> 31
                    rowBright &+= (level &+ (256 &- UInt32(Exposure.brightClipLevel))) >> 8
                }
                sum += Int(rowSum)
                dark += Int(rowDark)
                bright += Int(rowBright)
            }
        }
        return Exposure(pixelCount: width * height, levelSum: sum, darkClipped: dark, brightClipped: bright)
    }

    /// Pixels per 32-bit partial sum of squared Laplacian responses.
    static let laplacianChunk = 2048

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
            guard let base = source.baseAddress else { return }
            for row in 1..<(height - 1) {
                let above = base + (row - 1) * stride
                let line = base + row * stride
                let below = base + (row + 1) * stride
                // 16-bit responses (|response| ≤ 1020) and 32-bit sums over chunks of at most 2048 pixels (2048 ×
                // 1020² < 2³¹) let the compiler use packed multiply-adds even on SSE2.
                var rowSum = 0
                var rowSquares = 0
                var chunkStart = 1
                while chunkStart < width - 1 {
                    let chunkEnd = min(chunkStart + Self.laplacianChunk, width - 1)
                    var chunkSum: Int32 = 0
                    var chunkSquares: Int32 = 0
                    for x in chunkStart..<chunkEnd {
                        let response =
                            Int16(above[x]) &+ Int16(below[x]) &+ Int16(line[x &- 1]) &+ Int16(line[x &+ 1]) &- 4 &* Int16(line[x])
                        chunkSum &+= Int32(response)
                        chunkSquares &+= Int32(response) &* Int32(response)
                    }
                    rowSum += Int(chunkSum)
                    rowSquares += Int(chunkSquares)
                    chunkStart = chunkEnd
                }
                sum += rowSum
                sumOfSquares += rowSquares
            }
        }
        let count = Double((width - 2) * (height - 2))
        let mean = Double(sum) / count
        return max(Double(sumOfSquares) / count - mean * mean, 0)
    }
}
