import Imaging

/// Dark or light for each pixel of a grey frame, against a threshold that follows the local light: the middle of
/// the grey range of the surrounding 5 × 5 blocks of 16 × 16 pixels. Blocks whose range is under 24 levels (flat
/// paper, a flat module interior) give no threshold of their own and take their neighbours'; a block with no
/// contrast anywhere near is background in either polarity.
///
/// Used by the rectifying rung to find finder patterns and a code's outline; zbar binarises on its own.
struct LocalThreshold {
    static let blockShift = 4
    static let minimumRange = 24
    let image: GreyImage
    let blocksWide: Int
    let blocksHigh: Int
    /// Per block: a pixel darker than this is dark.
    private let thresholds: [UInt8]

    init(_ image: GreyImage) {
        self.image = image
        let blockSize = 1 << Self.blockShift
        let blocksWide = (image.width + blockSize - 1) >> Self.blockShift
        let blocksHigh = (image.height + blockSize - 1) >> Self.blockShift
        self.blocksWide = blocksWide
        self.blocksHigh = blocksHigh
        var middles = [Int](repeating: -1, count: blocksWide * blocksHigh)
        let stride = image.bytesPerRow
        image.pixels.withUnsafeBufferPointer { source in
            guard let input = source.baseAddress else { return }
            for blockY in 0..<blocksHigh {
                let rows = (blockY * blockSize)..<min((blockY + 1) * blockSize, image.height)
                for blockX in 0..<blocksWide {
                    let columns = (blockX * blockSize)..<min((blockX + 1) * blockSize, image.width)
                    var low: UInt8 = 255
                    var high: UInt8 = 0
                    for y in rows {
                        let row = input + y * stride
                        for x in columns {
                            low = min(low, row[x])
                            high = max(high, row[x])
                        }
                    }
                    if Int(high) - Int(low) >= Self.minimumRange {
                        middles[blockY * blocksWide + blockX] = (Int(low) + Int(high)) / 2
                    }
                }
            }
        }
        var thresholds = [UInt8](repeating: 0, count: blocksWide * blocksHigh)
        for blockY in 0..<blocksHigh {
            for blockX in 0..<blocksWide {
                var sum = 0
                var count = 0
                for y in max(blockY - 2, 0)...min(blockY + 2, blocksHigh - 1) {
                    for x in max(blockX - 2, 0)...min(blockX + 2, blocksWide - 1) where middles[y * blocksWide + x] >= 0 {
                        sum += middles[y * blocksWide + x]
                        count += 1
                    }
                }
                thresholds[blockY * blocksWide + blockX] = count > 0 ? UInt8(sum / count) : 0
            }
        }
        self.thresholds = thresholds
    }

    /// Whether pixel (x, y), inside the image, is dark (`inverted`: light, for a light code on a dark screen).
    @inline(__always)
    func isDark(_ x: Int, _ y: Int, inverted: Bool = false) -> Bool {
        let threshold = thresholds[(y >> Self.blockShift) * blocksWide + (x >> Self.blockShift)]
        guard threshold > 0 else { return false }
        let dark = image.pixels[y * image.bytesPerRow + x] < threshold
        return dark != inverted
    }

    /// Row `y` as 1 (dark; `inverted`: light) or 0 into `row`, which holds at least the image's width: one
    /// comparison per pixel against its block's threshold, in a loop that vectorises.
    func binarize(row y: Int, inverted: Bool = false, into row: inout [UInt8]) {
        let width = image.width
        let blockRow = (y >> Self.blockShift) * blocksWide
        image.pixels.withUnsafeBufferPointer { source in
            row.withUnsafeMutableBufferPointer { destination in
                guard let input = source.baseAddress, let out = destination.baseAddress else { return }
                let line = input + y * image.bytesPerRow
                for blockX in 0..<blocksWide {
                    let threshold = thresholds[blockRow + blockX]
                    let start = blockX << Self.blockShift
                    let end = min(start + (1 << Self.blockShift), width)
                    if threshold == 0 {
                        (out + start).update(repeating: 0, count: end - start)
                    } else if inverted {
                        for x in start..<end { out[x] = line[x] >= threshold ? 1 : 0 }
                    } else {
                        for x in start..<end { out[x] = line[x] < threshold ? 1 : 0 }
                    }
                }
            }
        }
    }

    func contains(_ x: Int, _ y: Int) -> Bool { x >= 0 && y >= 0 && x < image.width && y < image.height }
}
