/// Byte-level image fixtures built in code, for tests that must not depend on the corpus.
public enum HandBuiltImages {
    /// A PNG signature, an IHDR declaring the given size (8-bit grey) and the start of an IDAT chunk:
    /// enough for a decoder to read the header, nothing to decode.
    public static func pngHeader(width: UInt32, height: UInt32) -> [UInt8] {
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var ihdr: [UInt8] = []
        ihdr += bigEndian(width)
        ihdr += bigEndian(height)
        ihdr += [8, 0, 0, 0, 0]  // bit depth 8, greyscale, deflate, adaptive filtering, no interlace
        bytes += chunk("IHDR", ihdr)
        bytes += chunk("IDAT", [0x78, 0x9C, 0x63, 0x00, 0x00])
        return bytes
    }

    /// SOI, SOF0 and SOS for a one-component baseline JPEG of the given size, without tables or entropy data.
    public static func jpegHeader(width: UInt16, height: UInt16) -> [UInt8] {
        var bytes: [UInt8] = [0xFF, 0xD8]
        bytes += [0xFF, 0xC0, 0x00, 0x0B, 0x08]
        bytes += [UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF)]
        bytes += [0x01, 0x01, 0x11, 0x00]
        bytes += [0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00]
        return bytes
    }

    /// A binary PGM: header text followed by the raster bytes.
    public static func pgm(_ header: String, _ raster: [UInt8]) -> [UInt8] {
        Array(header.utf8) + raster
    }

    /// Recomputes the CRC of every PNG chunk that is still well-formed, so that mutations reach libpng's
    /// inflate and filter code instead of all failing the checksum. Stops at the first chunk whose length
    /// runs past the end.
    public static func fixingPNGChecksums(_ original: [UInt8]) -> [UInt8] {
        var bytes = original
        var offset = 8
        while offset + 12 <= bytes.count {
            let length = bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
            let end = offset + 8 + length
            guard length < 1 << 31, end + 4 <= bytes.count else { break }
            let crc = bigEndian(crc32(Array(bytes[(offset + 4)..<end])))
            bytes.replaceSubrange(end..<(end + 4), with: crc)
            offset = end + 4
        }
        return bytes
    }

    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeAndData = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + typeAndData + bigEndian(crc32(typeAndData))
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    /// CRC-32 (IEEE, reflected), as PNG chunks use.
    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1
            }
        }
        return ~crc
    }
}
