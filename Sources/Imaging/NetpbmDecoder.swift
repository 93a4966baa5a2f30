/// Decodes greymap PGM images: binary `P5` and ASCII `P2`, with maxval up to 255.
///
/// Written in Swift rather than C because the format is trivial and bounds checks come for free. Only the
/// first image of a multi-image file is read; trailing bytes are ignored, as Netpbm tools do.
enum NetpbmDecoder {
    private enum Variant {
        case binary  // P5
        case ascii  // P2
    }

    /// Whether the bytes start with a PGM magic number followed by whitespace.
    static func recognizes(_ bytes: [UInt8]) -> Bool {
        variant(of: bytes) != nil
    }

    private static func variant(of bytes: [UInt8]) -> Variant? {
        guard bytes.count >= 3, bytes[0] == UInt8(ascii: "P"), isWhitespace(bytes[2]) else { return nil }
        switch bytes[1] {
        case UInt8(ascii: "5"): return .binary
        case UInt8(ascii: "2"): return .ascii
        default: return nil
        }
    }

    static func decode(_ bytes: [UInt8]) throws(ImagingError) -> GreyImage {
        guard let variant = variant(of: bytes) else {
            throw ImagingError(.unsupportedImageFormat, "not a P5 or P2 greymap")
        }
        var reader = HeaderReader(bytes: bytes, position: 2)
        let width = try reader.number(named: "width")
        let height = try reader.number(named: "height")
        let maxval = try reader.number(named: "maxval")

        guard width > 0, height > 0 else {
            throw ImagingError(.corruptImage, "PGM size \(width)x\(height) is not positive")
        }
        guard ImageLimits.allows(width: width, height: height) else {
            throw ImagingError(.imageTooLarge, "PGM declares \(width)x\(height) pixels")
        }
        guard maxval > 0 else {
            throw ImagingError(.corruptImage, "PGM maxval is 0")
        }
        guard maxval <= 255 else {
            throw ImagingError(.unsupportedImageFormat, "PGM maxval \(maxval) needs 16-bit samples, which are not supported")
        }

        let count = width * height
        var pixels: [UInt8]
        switch variant {
        case .binary:
            // Exactly one whitespace byte separates maxval from the raster, even if the raster starts with
            // a byte that looks like whitespace.
            reader.skipCommentAfterMaxval()
            let start = reader.position + 1
            guard start <= bytes.count, bytes.count - start >= count else {
                throw ImagingError(.corruptImage, "PGM raster is truncated: \(max(0, bytes.count - start)) of \(count) bytes")
            }
            pixels = Array(bytes[start..<(start + count)])
            if maxval != 255 {
                for index in pixels.indices {
                    pixels[index] = scale(Int(pixels[index]), maxval: maxval)
                }
            }
        case .ascii:
            pixels = []
            pixels.reserveCapacity(count)
            for index in 0..<count {
                let value: Int
                do {
                    value = try reader.number(named: "sample")
                } catch {
                    throw ImagingError(.corruptImage, "PGM raster is truncated or malformed at sample \(index) of \(count)")
                }
                guard value <= maxval else {
                    throw ImagingError(.corruptImage, "PGM sample \(value) exceeds maxval \(maxval)")
                }
                pixels.append(scale(value, maxval: maxval))
            }
        }
        return try GreyImage(width: width, height: height, pixels: pixels)
    }

    /// Maps 0...maxval onto 0...255, rounding; samples above maxval (invalid in P5) saturate.
    private static func scale(_ value: Int, maxval: Int) -> UInt8 {
        UInt8((min(value, maxval) * 255 + maxval / 2) / maxval)
    }

    fileprivate static func isWhitespace(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D: return true
        default: return false
        }
    }

    /// Reads whitespace-separated decimal numbers, skipping `#` comments.
    private struct HeaderReader {
        let bytes: [UInt8]
        /// Just past the last byte consumed.
        var position: Int

        /// Larger values are rejected before they can overflow; no valid field comes close.
        private static let largestNumber = 1 << 32

        mutating func number(named name: String) throws(ImagingError) -> Int {
            skipSeparators()
            var value = 0
            var digits = 0
            while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
                value = value * 10 + Int(bytes[position] - UInt8(ascii: "0"))
                guard value <= Self.largestNumber else {
                    throw ImagingError(.imageTooLarge, "PGM \(name) is absurdly large")
                }
                digits += 1
                position += 1
            }
            guard digits > 0 else {
                throw ImagingError(.corruptImage, "PGM header: expected the \(name) at byte \(position)")
            }
            // A number must end at whitespace, a comment or the end of the data.
            if position < bytes.count, !NetpbmDecoder.isWhitespace(bytes[position]),
                bytes[position] != UInt8(ascii: "#")
            {
                throw ImagingError(.corruptImage, "PGM header: unexpected byte after the \(name)")
            }
            return value
        }

        /// Netpbm allows a comment between maxval and the single whitespace byte before the raster.
        mutating func skipCommentAfterMaxval() {
            guard position < bytes.count, bytes[position] == UInt8(ascii: "#") else { return }
            while position < bytes.count, bytes[position] != 0x0A, bytes[position] != 0x0D {
                position += 1
            }
        }

        private mutating func skipSeparators() {
            while position < bytes.count {
                if NetpbmDecoder.isWhitespace(bytes[position]) {
                    position += 1
                } else if bytes[position] == UInt8(ascii: "#") {
                    while position < bytes.count, bytes[position] != 0x0A, bytes[position] != 0x0D {
                        position += 1
                    }
                } else {
                    return
                }
            }
        }
    }
}
