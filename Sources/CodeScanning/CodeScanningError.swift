import Imaging

/// The one error type of the CodeScanning module. Image errors come from Imaging as ``ImagingError`` and keep
/// their code and reason when re-raised here.
///
/// Callers branch on ``code``; the human-readable reason (which names the file path where there is one)
/// is only part of ``description``, so wording can improve without breaking anyone. Equality and hashing
/// look at ``code`` alone.
///
/// ``description`` is what people see: the stable code and the reason, plain text. Where in GateCheck the
/// error was raised is kept for debugging only, in ``location`` and ``debugDescription``.
public struct CodeScanningError: Error, Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
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
            case scannerFailure
        }

        fileprivate let backing: Backing

        fileprivate init(_ backing: Backing) {
            self.backing = backing
        }

        /// The file could not be opened or read, or is not a regular file.
        public static let unreadableFile = Code(.unreadableFile)
        /// The file or byte buffer is larger than `ImageFile.maximumFileSize`.
        public static let fileTooLarge = Code(.fileTooLarge)
        /// The bytes are not PNG, JPEG or PGM, or use a variant that is not supported (16-bit PGM, CMYK JPEG).
        public static let unsupportedImageFormat = Code(.unsupportedImageFormat)
        /// The image data is malformed or truncated, or pixel data does not match the stated dimensions.
        public static let corruptImage = Code(.corruptImage)
        /// The image declares more pixels than GateCheck is willing to allocate.
        public static let imageTooLarge = Code(.imageTooLarge)
        /// zbar could not be set up.
        public static let scannerFailure = Code(.scannerFailure)

        public var description: String { backing.rawValue }
    }

    /// What went wrong, as a stable category.
    public let code: Code
    private let reason: String
    private let file: String
    private let line: UInt

    private init(code: Code, reason: String, file: String, line: UInt) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    /// The human-readable reason alone, e.g. `scan.png: cannot open: No such file or directory`.
    public var detail: String { reason }

    /// Where the error was raised (`CodeScanning/CodeInput.swift:30`): for debugging, never shown to users.
    public var location: String { "\(file):\(line)" }

    /// `<code>: <reason>`, for people: no type name, no source location.
    public var description: String {
        "\(code): \(reason)"
    }

    /// `CodeScanningError.<code>: <reason> (<file>:<line>)`, for debug logs and `--verbose`.
    public var debugDescription: String {
        "CodeScanningError.\(code): \(reason) (\(location))"
    }

    public static func == (lhs: CodeScanningError, rhs: CodeScanningError) -> Bool {
        lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }

    // Factories are @inline(never) so that the throwing paths stay out of the hot callers.

    @inline(never)
    static func unreadableFile(_ reason: String, file: String = #fileID, line: UInt = #line) -> Self {
        Self(code: .unreadableFile, reason: reason, file: file, line: line)
    }

    @inline(never)
    static func scannerFailure(_ reason: String, file: String = #fileID, line: UInt = #line) -> Self {
        Self(code: .scannerFailure, reason: reason, file: file, line: line)
    }

    /// An image error re-raised at this module's boundary (``CodeInputs``): the same code, reason and location.
    init(_ error: ImagingError) {
        self.init(code: Code(imaging: error.code), reason: error.detail, file: error.file, line: error.line)
    }
}

extension CodeScanningError.Code {
    /// Imaging's codes are a subset of ours, with the same names.
    fileprivate init(imaging code: ImagingError.Code) {
        switch code {
        case .unreadableFile: self = .unreadableFile
        case .fileTooLarge: self = .fileTooLarge
        case .unsupportedImageFormat: self = .unsupportedImageFormat
        case .imageTooLarge: self = .imageTooLarge
        default: self = .corruptImage  // .corruptImage, or a code Imaging adds later: an image we cannot use
        }
    }
}
