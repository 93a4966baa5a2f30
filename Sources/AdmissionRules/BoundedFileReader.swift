import SystemCalls
import SystemPackage

/// Reads files and lists folders from untrusted media: regular files only, a size cap, and no
/// symbolic links below the path the operator named (a link could point anywhere on the device).
struct BoundedFileReader {
    enum Kind { case file, directory, symbolicLink, other }

    let maxFileBytes: Int

    /// The kind of `path`; `followLinks` only for the path the operator named.
    func kind(of path: String, followLinks: Bool) throws(AdmissionRulesError) -> Kind {
        let type: FileType
        do {
            type = try Files.status(path, followLinks: followLinks).type
        } catch {
            throw Self.error(path, error)
        }
        switch type {
        case .regular: return .file
        case .directory: return .directory
        case .symbolicLink: return .symbolicLink
        default: return .other
        }
    }

    /// The whole file, refusing links (unless `followLinks`), non-regular files and files over the cap.
    func read(_ path: String, followLinks: Bool) throws(AdmissionRulesError) -> [UInt8] {
        do {
            return try Files.readRegularFile(path, limit: maxFileBytes, options: followLinks ? [] : .noFollow)
        } catch {
            switch error.reason {
            case .notRegularFile: throw AdmissionRulesError(.unreadableFile, "\(path): not a regular file")
            case .largerThan(_, let size?): throw AdmissionRulesError(.fileTooLarge, "\(path): \(size) bytes (at most \(maxFileBytes))")
            case .largerThan(_, nil): throw AdmissionRulesError(.fileTooLarge, "\(path): more than \(maxFileBytes) bytes")
            default: throw Self.error(path, error)
            }
        }
    }

    /// The names in a folder (without `.` and `..`), sorted.
    func list(_ path: String) throws(AdmissionRulesError) -> [String] {
        do {
            return try Files.listDirectory(path)
        } catch {
            throw Self.error(path, error)
        }
    }

    private static func error(_ path: String, _ failure: SystemCallError) -> AdmissionRulesError {
        let reason = failure.errno == .tooManySymbolicLinkLevels ? "a symbolic link" : failure.reasonText
        return AdmissionRulesError(.unreadableFile, "\(path): \(reason)")
    }
}
