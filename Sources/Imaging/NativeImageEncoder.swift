import CImageIO

/// Bridges CImageIO's PNG encoder (libpng, beside its decoder) into byte arrays and ``ImagingError``s.
enum NativeImageEncoder {
    static func encodePNG(_ image: GreyImage) throws(ImagingError) -> [UInt8] {
        var encoded = gatecheck_encoded()
        let status = image.pixels.withUnsafeBufferPointer { pixels in
            gatecheck_image_encode_png(pixels.baseAddress, UInt32(image.width), UInt32(image.height), image.bytesPerRow, &encoded)
        }
        // Copied into a Swift array and released at once, as the decoder does.
        defer { gatecheck_encoded_free(&encoded) }
        guard status == GATECHECK_IMAGE_OK, let bytes = encoded.bytes else {
            let reason = withUnsafeBytes(of: &encoded.message) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            throw ImagingError(status == GATECHECK_IMAGE_TOO_LARGE ? .imageTooLarge : .unwritableFile, reason)
        }
        return Array(UnsafeBufferPointer(start: bytes, count: encoded.length))
    }
}
