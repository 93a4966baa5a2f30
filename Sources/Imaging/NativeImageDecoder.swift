import CImageIO

/// Bridges CImageIO's PNG and JPEG decoders into ``GreyImage`` values and ``ImagingError``s.
enum NativeImageDecoder {
    enum Format: String {
        case png = "PNG"
        case jpeg = "JPEG"
    }

    static func decode(_ bytes: [UInt8], as format: Format) throws(ImagingError) -> GreyImage {
        var image = gatecheck_image()
        let status = bytes.withUnsafeBufferPointer { buffer in
            switch format {
            case .png: gatecheck_image_decode_png(buffer.baseAddress, buffer.count, &image)
            case .jpeg: gatecheck_image_decode_jpeg(buffer.baseAddress, buffer.count, &image)
            }
        }
        // The C buffer is copied into a Swift array and released at once; the decoder never keeps it.
        defer { gatecheck_image_free(&image) }

        guard status == GATECHECK_IMAGE_OK, let pixels = image.pixels else {
            let reason = message(of: &image)
            switch status {
            case GATECHECK_IMAGE_UNSUPPORTED: throw ImagingError(.unsupportedImageFormat, reason)
            case GATECHECK_IMAGE_TOO_LARGE: throw ImagingError(.imageTooLarge, reason)
            case GATECHECK_IMAGE_OUT_OF_MEMORY:
                throw ImagingError(.imageTooLarge, "\(format.rawValue) needs too much memory: \(reason)")
            default: throw ImagingError(.corruptImage, reason)
            }
        }
        let width = Int(image.width)
        let height = Int(image.height)
        let copy = Array(UnsafeBufferPointer(start: pixels, count: width * height))
        return try GreyImage(width: width, height: height, pixels: copy)
    }

    private static func message(of image: inout gatecheck_image) -> String {
        withUnsafeBytes(of: &image.message) { raw in
            // The C side always NUL-terminates, but never trust that past the array's end.
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
