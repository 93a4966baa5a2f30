import ArgumentParser
import CodeScanning
import FoundationEssentials
import Glibc
import Imaging
import TrustStore
import TrustUpdates

/// How `gatecheck` words a failure: one plain sentence naming what failed, on which input, and what to do
/// next. Never a Swift type name, a source location or a Foundation error dump; the library errors'
/// `description`s are plain text for that reason, and Foundation's are translated here.
enum Refusal {
    /// A refused trust-store operation: `refused (<code>): <detail>; <next step>` on stderr, exit status 1.
    static func report(_ error: TrustStoreError) -> ExitCode {
        printToStandardError("refused (\(error.code)): \(error.detail); \(nextStep(for: error.code))")
        return ExitCode(1)
    }

    /// What the person at the terminal can do about a refused trust-store operation.
    static func nextStep(for code: TrustStoreError.Code) -> String {
        switch code {
        case .notInstalled:
            "install one with `gatecheck trust import BUNDLE` or by inserting a USB stick labelled GCTRUST"
        case .tooLarge, .malformed, .hashMismatch, .badContents:
            "it is not a usable trust bundle, so ask the back office for a fresh copy"
        case .badSignature:
            "the bundle was altered or damaged; ask the back office for a fresh copy"
        case .unknownSigner:
            "the bundle is not signed for this device's anchors; check --anchors or ask the back office"
        case .signerExpired:
            "check the device clock, or ask the back office for a bundle signed with a current certificate"
        case .rollback:
            "import a bundle with a higher sequence number than the installed one (`gatecheck trust show`)"
        case .unsafeFile:
            "give the path of a regular file, not a link, folder or device"
        case .systemCall:
            "check that the path exists and that this user may read and write there"
        case .badVolume, .noBundle:
            "format the stick FAT (label GCTRUST) and copy gatecheck-trust.bundle to its root"
        default:
            "check the files given on the command line"
        }
    }

    /// A failed download (`gatecheck trust fetch`): the same line and exit status; the store is unchanged.
    static func report(_ error: TrustUpdateError) -> ExitCode {
        printToStandardError("refused (\(error.code)): \(error.detail); \(nextStep(for: error.code))")
        return ExitCode(1)
    }

    static func nextStep(for code: TrustUpdateError.Code) -> String {
        switch code {
        case .badURL: "give an https:// URL on the command line or as [update] url"
        case .connect: "check the network, the host name and that the server is up; the timer retries with backoff"
        case .timeout: "check the network and the server's speed; the timer retries with backoff"
        case .tls: "check --ca-file or [update] ca_file, the server's certificate chain and name, and the device clock"
        case .insecureRedirect: "serve the bundle over HTTPS only, redirects included"
        case .tooManyRedirects: "point the URL at the bundle itself"
        case .httpStatus: "check that the URL names the bundle on the server"
        case .tooLarge: "raise [update] max_bytes if the bundle really is that large"
        case .truncated: "the download broke off; the timer retries with backoff"
        case .systemCall: "check that the state directory exists and that this user may write there"
        default: "the timer retries with backoff"
        }
    }

    /// A command-line error (exit status 2): `<what>: <plain error text>; <next step>`.
    static func usage(_ what: String, _ error: any Error, next: String) -> UsageError {
        UsageError("\(what): \(text(error)); \(next)")
    }

    /// Plain text for any error. GateCheck's own errors already describe themselves plainly ("code: detail");
    /// Foundation's file errors become `<path>: <reason>` instead of `Error Domain=NSCocoaErrorDomain …`.
    static func text(_ error: any Error) -> String {
        if let error = error as? UsageError { return error.description }
        if let error = error as? CodeScanningError { return error.detail }
        if let error = error as? ImagingError { return error.detail }
        if let error = error as? CocoaError { return text(error) }
        if let error = error as? POSIXError { return String(cString: strerror(error.code.rawValue)) }
        return String(describing: error)
    }

    private static func text(_ error: CocoaError) -> String {
        let path = error.filePath ?? error.url?.path
        return path.map { "\($0): \(reason(error))" } ?? reason(error)
    }

    /// Why a Foundation file operation failed, without the path (for callers that name the file themselves).
    static func reason(_ error: any Error) -> String {
        guard let error = error as? CocoaError else { return text(error) }
        let reason: String
        if let underlying = error.underlying as? POSIXError {
            reason = String(cString: strerror(underlying.code.rawValue))
        } else {
            switch error.code {
            case .fileNoSuchFile, .fileReadNoSuchFile: reason = "No such file or directory"
            case .fileReadNoPermission, .fileWriteNoPermission: reason = "Permission denied"
            case .fileReadInapplicableStringEncoding, .fileReadUnknownStringEncoding: reason = "not UTF-8 text"
            case .fileReadTooLarge: reason = "file too large"
            case .fileWriteFileExists: reason = "file exists"
            case .fileWriteOutOfSpace: reason = "no space left on device"
            default: reason = error.isFileError ? "cannot read or write the file" : "the operation failed"
            }
        }
        return reason
    }
}
