// Re-exported: this error's description and equality come from CodedError, and callers should not need the import.
@_exported import CodedErrors

/// The one error type of the Imaging module: a file that cannot be read or written, or bytes that are not a usable image.
///
/// Callers branch on ``code``; the human-readable reason (which names the file path where there is one)
/// is only part of ``description``, so wording can improve without breaking anyone. `CodeScanningError`
/// carries these codes for the images it reads, so logs and the command line read the same whichever
/// module reports them.
///
/// ``description`` is what people see: the stable code and the reason, plain text. Where in GateCheck the
/// error was raised is kept for debugging only, in ``location`` and ``debugDescription``.
public struct ImagingError: CodedError, CustomDebugStringConvertible {
    /// A stable error category.
    ///
    /// A struct wrapping a private enum rather than a public enum, so that adding a code later is not a
    /// source-breaking change for clients that `switch` over it.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Backing: String, Hashable, Sendable {
            case unreadableFile
            case fileTooLarge
            case unsupportedImageFormat
            case corruptImage
            case imageTooLarge
            case fileExists
            case unwritableFile
        }

        fileprivate let backing: Backing

        fileprivate init(_ backing: Backing) {
            self.backing = backing
        }

        /// The file could not be opened or read, or is not a regular file.
        public static let unreadableFile = Code(.unreadableFile)
        /// The file or byte buffer is larger than ``ImageFile/maximumFileSize``.
        public static let fileTooLarge = Code(.fileTooLarge)
        /// The bytes are not PNG, JPEG or PGM, or use a variant that is not supported (16-bit PGM, CMYK JPEG).
        public static let unsupportedImageFormat = Code(.unsupportedImageFormat)
        /// The image data is malformed or truncated, or pixel data does not match the stated dimensions.
        public static let corruptImage = Code(.corruptImage)
        /// The image declares more pixels than GateCheck is willing to allocate.
        public static let imageTooLarge = Code(.imageTooLarge)
        /// Something is at the path a new image file was to be created at; it is never overwritten.
        public static let fileExists = Code(.fileExists)
        /// A new image file could not be created, written or encoded.
        public static let unwritableFile = Code(.unwritableFile)

        public var description: String { backing.rawValue }
    }

    /// What went wrong, as a stable category.
    public let code: Code
    /// The human-readable reason alone, e.g. `scan.png: cannot open: No such file or directory`.
    public let detail: String
    private let file: String
    private let line: UInt

    /// Where the error was raised (`Imaging/ImageFile.swift:30`): for debugging, never shown to users.
    public var location: String { "\(file):\(line)" }

    /// `ImagingError.<code>: <reason> (<file>:<line>)`, for debug logs and `--verbose`.
    public var debugDescription: String {
        "ImagingError.\(code): \(detail) (\(location))"
    }

    /// An error with `code` and a plain-sentence `reason`; `file` and `line` say where it was raised.
    @inline(never)  // keeps the throwing paths out of the hot callers
    init(_ code: Code, _ reason: String, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.detail = reason
        self.file = file
        self.line = line
    }

    /// The same error with "path: " in front of the reason, for errors raised below the file layer.
    func prefixingReason(with path: String) -> Self {
        Self(code, "\(path): \(detail)", file: file, line: line)
    }
}
