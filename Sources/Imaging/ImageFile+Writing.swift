import SystemCalls
import SystemPackage

extension ImageFile {
    /// An 8-bit greyscale PNG of `image` (libpng, default compression).
    ///
    /// - Throws: ``ImagingError/Code/imageTooLarge`` beyond the decoders' size limits,
    ///   ``ImagingError/Code/unwritableFile`` when libpng fails.
    public static func encodePNG(_ image: GreyImage) throws(ImagingError) -> [UInt8] {
        try NativeImageEncoder.encodePNG(image)
    }

    /// Writes `image` as a PNG to a new file at `path`, readable by its owner only: the file is created
    /// exclusively and never through a symbolic link, so nothing that exists is ever overwritten.
    ///
    /// - Throws: ``ImagingError/Code/fileExists`` when anything is at `path` already,
    ///   ``ImagingError/Code/unwritableFile`` when it cannot be created or written (a partly written file is
    ///   removed), and what ``encodePNG(_:)`` throws.
    public static func createPNG(_ image: GreyImage, atPath path: String) throws(ImagingError) {
        let bytes = try encodePNG(image)
        let descriptor: FileDescriptor
        do {
            descriptor = try Files.open(
                path, .writeOnly, options: [.create, .exclusiveCreate, .noFollow, .closeOnExec], permissions: .ownerReadWrite)
        } catch where error.errno == .fileExists {
            throw ImagingError(.fileExists, "\(path) exists already; give a new file name")
        } catch {
            throw ImagingError(.unwritableFile, "\(path): cannot create: \(error.reasonText)")
        }
        do {
            try Files.writeAll(descriptor, path, bytes)
            SystemCall.close(descriptor)
        } catch {
            SystemCall.close(descriptor)
            try? Files.remove(path)
            throw ImagingError(.unwritableFile, "\(path): cannot write: \(error.reasonText)")
        }
    }
}
