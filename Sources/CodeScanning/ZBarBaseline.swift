import CZBar

/// For benchmarks only: the smallest direct use of zbar that does the same work as ``QRScanner``, so the
/// benchmark can show what the wrapper adds on top of zbar itself. Not for the product: it returns only a
/// count, copies nothing, and checks nothing beyond the 8-byte length rule below.
///
/// The scanner is created once with the same configuration as ``QRScanner`` (QR only, `ZBAR_CFG_BINARY`,
/// `ZBAR_CFG_TEST_INVERTED`, density 1). Each scan creates a zbar image, sets format `Y800`, size and data
/// (NULL cleanup handler: the caller keeps ownership), runs `zbar_scan_image`, reads the first symbol's data
/// length and destroys the image.
///
/// The frame must be tightly packed and `width * height` a multiple of 8 (e.g. 640×480 or 1280×720): zbar
/// 0.23.92 inverts images a machine word at a time for `ZBAR_CFG_TEST_INVERTED` and writes past its copy
/// otherwise (the rule ``QRScanner`` follows through `ZBarFrameLayout`). Not thread-safe: one per thread.
public final class ZBarBaseline {
    private let scanner: OpaquePointer

    /// Creates and configures the zbar image scanner; nil if zbar cannot allocate it or rejects a setting.
    public init?() {
        guard let scanner = zbar_image_scanner_create() else { return nil }
        let ok =
            zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0) == 0
            && zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1) == 0
            && zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1) == 0
            && zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_TEST_INVERTED, 1) == 0
            && zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_X_DENSITY, 1) == 0
            && zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_Y_DENSITY, 1) == 0
        guard ok else {
            zbar_image_scanner_destroy(scanner)
            return nil
        }
        self.scanner = scanner
    }

    deinit {
        zbar_image_scanner_destroy(scanner)
    }

    /// Scans a packed `width × height` Y800 frame and returns the data length of the first symbol found,
    /// or nil when zbar finds none.
    ///
    /// - Precondition: `width * height` is positive, a multiple of 8, and `luminance` holds at least that many bytes.
    public func firstSymbolLength(luminance: UnsafeRawBufferPointer, width: Int, height: Int) -> Int? {
        let length = width * height
        precondition(width > 0 && height > 0 && length % 8 == 0 && luminance.count >= length)
        guard let image = zbar_image_create() else { return nil }
        defer { zbar_image_destroy(image) }
        zbar_image_set_format(image, gatecheck_zbar_format_y800)
        zbar_image_set_size(image, UInt32(width), UInt32(height))
        zbar_image_set_data(image, luminance.baseAddress, UInt(length), nil)
        guard zbar_scan_image(scanner, image) > 0, let symbol = zbar_image_first_symbol(image) else { return nil }
        return Int(zbar_symbol_get_data_length(symbol))
    }
}
