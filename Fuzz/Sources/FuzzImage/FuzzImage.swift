import FuzzDriver
import Imaging

// The image path every scanned file takes: PNG and JPEG (libpng, libjpeg) and PGM, with their size limits.
// An image or an ImagingError are both fine.
@main
enum FuzzImage {
    static func main() {
        FuzzDriver.run { bytes in
            _ = try? ImageFile.decode(bytes)
        }
    }
}
