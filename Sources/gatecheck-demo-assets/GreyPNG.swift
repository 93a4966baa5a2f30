import Imaging
import Zlib

/// Encodes a `GreyImage` as an 8-bit greyscale PNG (PNG 1.2 / ISO 15948).
///
/// The project only ever decodes images, so the demo carries this small encoder of its own:
/// PNG rather than PGM because the committed frames must stay small (a flat frame with a code
/// compresses from 300 KB to a few KB).
enum GreyPNG {
    static func encode(_ image: GreyImage) -> [UInt8] {
        var header: [UInt8] = []
        header += bigEndian(UInt32(image.width))
        header += bigEndian(UInt32(image.height))
        header += [
            8,  // bit depth
            0,  // colour type: greyscale
            0,  // compression: deflate
            0,  // filter method: adaptive
            0,  // no interlace
        ]
        var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        file += chunk("IHDR", header)
        file += chunk("IDAT", Deflate.zlib(filteredRows(image), level: 9))
        file += chunk("IEND", [])
        return file
    }

    /// Every row prefixed with the filter that makes it smallest by the usual heuristic
    /// (least sum of absolute differences), which is what lets deflate shrink flat frames.
    private static func filteredRows(_ image: GreyImage) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity((image.width + 1) * image.height)
        var previous = [UInt8](repeating: 0, count: image.width)
        for y in 0..<image.height {
            let start = y * image.bytesPerRow
            let row = Array(image.pixels[start..<(start + image.width)])
            let candidates = RowFilter.allCases.map { filter in (filter, filter.apply(row, previous: previous)) }
            let best = candidates.min { cost($0.1) < cost($1.1) }!
            output.append(best.0.rawValue)
            output += best.1
            previous = row
        }
        return output
    }

    /// Filtered bytes read as signed values: small magnitudes compress best.
    private static func cost(_ filtered: [UInt8]) -> Int {
        filtered.reduce(0) { $0 + abs(Int(Int8(bitPattern: $1))) }
    }

    /// The five PNG filter types for one byte per pixel.
    private enum RowFilter: UInt8, CaseIterable {
        case none = 0, sub, up, average, paeth

        func apply(_ row: [UInt8], previous: [UInt8]) -> [UInt8] {
            var filtered = [UInt8](repeating: 0, count: row.count)
            for x in 0..<row.count {
                let left = x > 0 ? row[x - 1] : 0
                let above = previous[x]
                let upperLeft = x > 0 ? previous[x - 1] : 0
                let predictor: UInt8 = switch self {
                case .none: 0
                case .sub: left
                case .up: above
                case .average: UInt8((Int(left) + Int(above)) / 2)
                case .paeth: Self.paeth(left, above, upperLeft)
                }
                filtered[x] = row[x] &- predictor
            }
            return filtered
        }

        private static func paeth(_ left: UInt8, _ above: UInt8, _ upperLeft: UInt8) -> UInt8 {
            let estimate = Int(left) + Int(above) - Int(upperLeft)
            let toLeft = abs(estimate - Int(left))
            let toAbove = abs(estimate - Int(above))
            let toUpperLeft = abs(estimate - Int(upperLeft))
            if toLeft <= toAbove && toLeft <= toUpperLeft { return left }
            return toAbove <= toUpperLeft ? above : upperLeft
        }
    }

    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeAndData = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + typeAndData + bigEndian(CRC32.checksum(typeAndData))
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) }
    }
}

/// CRC-32 as PNG chunks use it (ISO 3309, reflected polynomial 0xEDB88320).
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
