import SystemCalls
import SystemPackage

/// Reads a whole regular file with a hard size cap, through the system-call layer (no Foundation).
enum FileReader {
    /// Returns the file's bytes.
    ///
    /// Refuses anything that is not a regular file (a FIFO or `/dev/zero` would block or never end) and
    /// checks the size both from `fstat` and while reading, since the file may grow in between.
    static func contents(ofFile path: String, maximumSize: Int) throws(ImagingError) -> [UInt8] {
        do {
            return try Files.readRegularFile(path, limit: maximumSize)
        } catch {
            switch (error.call, error.reason) {
            case ("open", _): throw ImagingError(.unreadableFile, "\(path): cannot open: \(error.reasonText)")
            case (_, .notRegularFile): throw ImagingError(.unreadableFile, "\(path): not a regular file")
            case (_, .largerThan): throw ImagingError(.fileTooLarge, "\(path): \(error.reasonText)")
            case ("fstat", _): throw ImagingError(.unreadableFile, "\(path): cannot stat: \(error.reasonText)")
            default: throw ImagingError(.unreadableFile, "\(path): read failed: \(error.reasonText)")
            }
        }
    }
}
