// Re-exported: this error's description and equality come from CodedError, and callers should not need the import.
@_exported import CodedErrors
import Imaging

/// The one error type of the CodeScanning module: an input that cannot be used, in Imaging's codes, or a
/// scanner that cannot be set up. Image errors from Imaging keep their code, reason and location when
/// re-raised here.
///
/// Callers branch on ``code``; the human-readable reason (which names the file path where there is one)
/// is only part of ``description``, so wording can improve without breaking anyone.
///
/// ``description`` is what people see: the stable code and the reason, plain text. Where in GateCheck the
/// error was raised is kept for debugging only, in ``location`` and ``debugDescription``.
public struct CodeScanningError: CodedError, CustomDebugStringConvertible {
    /// A stable error category: one of Imaging's codes, or ``scannerFailure``.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: Hashable, Sendable {
            case imaging(ImagingError.Code)
            case scannerFailure
        }

        fileprivate let value: Value

        /// A file that cannot be read, or bytes that are not a usable image: Imaging's code, with its name.
        public static func imaging(_ code: ImagingError.Code) -> Code { Code(value: .imaging(code)) }
        /// zbar could not be set up.
        public static let scannerFailure = Code(value: .scannerFailure)

        public var description: String {
            switch value {
            case .imaging(let code): code.description
            case .scannerFailure: "scannerFailure"
            }
        }
    }

    /// What went wrong, as a stable category.
    public let code: Code
    /// The human-readable reason alone, e.g. `scan.png: cannot open: No such file or directory`.
    public let detail: String
    /// Where the error was raised (`CodeScanning/CodeInput.swift:30`): for debugging, never shown to users.
    public let location: String

    /// `CodeScanningError.<code>: <reason> (<file>:<line>)`, for debug logs and `--verbose`.
    public var debugDescription: String {
        "CodeScanningError.\(code): \(detail) (\(location))"
    }

    private init(code: Code, detail: String, location: String) {
        self.code = code
        self.detail = detail
        self.location = location
    }

    // Factories are @inline(never) so that the throwing paths stay out of the hot callers.

    @inline(never)
    static func unreadableFile(_ reason: String, file: String = #fileID, line: UInt = #line) -> Self {
        Self(code: .imaging(.unreadableFile), detail: reason, location: "\(file):\(line)")
    }

    @inline(never)
    static func scannerFailure(_ reason: String, file: String = #fileID, line: UInt = #line) -> Self {
        Self(code: .scannerFailure, detail: reason, location: "\(file):\(line)")
    }

    /// An image error re-raised at this module's boundary (``CodeInputs``): the same code, reason and location.
    init(_ error: ImagingError) {
        self.init(code: .imaging(error.code), detail: error.detail, location: error.location)
    }
}
