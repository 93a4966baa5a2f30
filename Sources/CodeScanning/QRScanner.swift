import CZBar
import Imaging

/// zbar image scanner configured for QR only (ZBAR_NONE disabled, ZBAR_QRCODE enabled), ZBAR_CFG_BINARY (payload
/// bytes not re-encoded), ZBAR_CFG_TEST_INVERTED (light-on-dark codes from phone screens).
/// Not thread-safe: one scanner per thread (hence a non-Sendable final class).
///
/// Why these settings: other symbologies produce false positives on HC1 codes (a spurious Interleaved 2 of 5
/// symbol in one EU sample) and have had memory-safety bugs; without binary mode zbar guesses a text encoding
/// and rewrites the bytes; inverted scanning runs only when the normal pass finds nothing, so it costs nothing
/// for ordinary codes. Scan density stays at 1: density 2 halves the time but loses many small codes.
public final class QRScanner {
    private let scanner: OpaquePointer

    /// Creates and configures a zbar image scanner.
    ///
    /// - Throws: ``CodeScanningError/Code/scannerFailure`` if zbar cannot allocate or rejects a setting.
    public init() throws(CodeScanningError) {
        guard let scanner = zbar_image_scanner_create() else {
            throw .scannerFailure("zbar_image_scanner_create failed")
        }
        let settings: [(symbology: zbar_symbol_type_t, setting: zbar_config_t, value: Int32, name: String)] = [
            (ZBAR_NONE, ZBAR_CFG_ENABLE, 0, "disable all symbologies"),
            (ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1, "enable QR"),
            (ZBAR_QRCODE, ZBAR_CFG_BINARY, 1, "QR binary mode"),
            (ZBAR_NONE, ZBAR_CFG_TEST_INVERTED, 1, "test inverted"),
            (ZBAR_NONE, ZBAR_CFG_X_DENSITY, 1, "x density 1"),
            (ZBAR_NONE, ZBAR_CFG_Y_DENSITY, 1, "y density 1"),
        ]
        for entry in settings
        where zbar_image_scanner_set_config(scanner, entry.symbology, entry.setting, entry.value) != 0 {
            zbar_image_scanner_destroy(scanner)
            throw .scannerFailure("zbar rejected the setting: \(entry.name)")
        }
        self.scanner = scanner
    }

    deinit {
        zbar_image_scanner_destroy(scanner)
    }

    /// Finds the QR codes in an image. An image without codes yields an empty array.
    public func scan(_ image: GreyImage) -> [ScannedCode] {
        image.pixels.withUnsafeBytes { buffer in
            scan(luminance: buffer, width: image.width, height: image.height, bytesPerRow: image.bytesPerRow)
        }
    }

    /// Zero-copy entry point for camera frames: wraps caller memory in a zbar_image with a NULL cleanup handler so
    /// zbar never frees it.
    ///
    /// Padded rows (`bytesPerRow > width`, as V4L2 delivers them) are scanned in place: zbar is given
    /// `width = bytesPerRow` and a crop of `width x height` via `zbar_image_set_crop` (zbar 0.23.92 honours the
    /// crop in its line scanners). The rows are copied into a packed buffer only when `luminance` is shorter than
    /// `bytesPerRow * height` rounded up to 8 bytes, which zbar's inverted-image pass needs to stay in bounds
    /// (see `ZBarFrameLayout`), or when the stride is absurdly large. Typical V4L2 frames are never copied.
    ///
    /// The memory is read only during this call. Invalid geometry (non-positive sizes, `bytesPerRow < width`,
    /// a buffer shorter than `bytesPerRow * (height - 1) + width`, more than 8192 pixels a side or 40 megapixels)
    /// yields no codes rather than an error, so a misbehaving camera cannot stop the scan loop.
    public func scan(luminance: UnsafeRawBufferPointer, width: Int, height: Int, bytesPerRow: Int) -> [ScannedCode] {
        guard let base = luminance.baseAddress,
            let layout = ZBarFrameLayout(
                width: width,
                height: height,
                bytesPerRow: bytesPerRow,
                availableBytes: luminance.count
            )
        else { return [] }

        if layout.inPlace {
            return scan(UnsafeRawBufferPointer(start: base, count: layout.dataLength), layout: layout)
        }
        // Packed copy with zeroed slack at the end for zbar's word-wise inversion.
        var packed = [UInt8](repeating: 0, count: layout.dataLength)
        packed.withUnsafeMutableBytes { destination in
            for row in 0..<height {
                let source = UnsafeRawBufferPointer(start: base + row * bytesPerRow, count: width)
                UnsafeMutableRawBufferPointer(rebasing: destination[(row * width)..<(row * width + width)])
                    .copyMemory(from: source)
            }
        }
        return packed.withUnsafeBytes { scan($0, layout: layout) }
    }

    /// Runs zbar over memory laid out as `layout` says and copies the results out before the zbar image dies.
    private func scan(_ memory: UnsafeRawBufferPointer, layout: ZBarFrameLayout) -> [ScannedCode] {
        guard let image = zbar_image_create() else { return [] }
        // Destroying the image releases its reference on the symbol set; the scanner recycles the rest on its
        // next scan. Everything we return has been copied by then.
        defer { zbar_image_destroy(image) }

        zbar_image_set_format(image, gatecheck_zbar_format_y800)
        zbar_image_set_size(image, UInt32(layout.zbarWidth), UInt32(layout.height))
        zbar_image_set_crop(image, 0, 0, UInt32(layout.cropWidth), UInt32(layout.height))
        // NULL cleanup handler: zbar must never free() memory it does not own.
        zbar_image_set_data(image, memory.baseAddress, UInt(layout.dataLength), nil)

        guard zbar_scan_image(scanner, image) > 0 else { return [] }

        var codes: [ScannedCode] = []
        var symbol = zbar_image_first_symbol(image)
        while let current = symbol {
            if zbar_symbol_get_type(current) == ZBAR_QRCODE {
                codes.append(Self.copy(current))
            }
            symbol = zbar_symbol_next(current)
        }
        return codes
    }

    private static func copy(_ symbol: OpaquePointer) -> ScannedCode {
        // By length, not strlen: binary payloads may contain NUL.
        let length = Int(zbar_symbol_get_data_length(symbol))
        var payload: [UInt8] = []
        if let data = zbar_symbol_get_data(symbol), length > 0 {
            payload = Array(UnsafeRawBufferPointer(start: UnsafeRawPointer(data), count: length))
        }
        let cornerCount = zbar_symbol_get_loc_size(symbol)
        var corners: [ScannedCode.Point] = []
        corners.reserveCapacity(Int(cornerCount))
        for index in 0..<cornerCount {
            corners.append(
                ScannedCode.Point(
                    x: Int(zbar_symbol_get_loc_x(symbol, index)),
                    y: Int(zbar_symbol_get_loc_y(symbol, index))
                )
            )
        }
        return ScannedCode(payload: payload, corners: corners)
    }
}
