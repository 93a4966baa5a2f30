import SystemCalls
import SystemPackage

/// DaemonSupport's boundary to the system-call layer: a failure becomes `.systemCall` naming the call and
/// what it was about.
enum SystemCallMapping {
    static func error(_ failure: SystemCallError) -> DaemonSupportError {
        DaemonSupportError(.systemCall, failure.description)
    }

    /// Runs a layer call, mapping its failure with `error(_:)`.
    @discardableResult
    static func mapped<Result>(_ body: () throws(SystemCallError) -> Result) throws(DaemonSupportError) -> Result {
        try SystemCallError.mapping(error, body)
    }

    /// Reads a whole regular file of at most `limit` bytes. Devices, FIFOs and directories are refused
    /// before reading, so a wrong path cannot block the daemon's start.
    /// With `noFollow`, a symbolic link at the last component is refused too.
    static func readRegularFile(_ path: String, limit: Int, noFollow: Bool = false) throws(DaemonSupportError) -> [UInt8] {
        do {
            return try Files.readRegularFile(path, limit: limit, options: noFollow ? .noFollow : [])
        } catch {
            switch error.reason {
            case .notRegularFile: throw DaemonSupportError(.unreadableFile, file: path, "not a regular file")
            case .largerThan: throw DaemonSupportError(.unreadableFile, file: path, "larger than \(limit) bytes")
            case .errno(.tooManySymbolicLinkLevels) where noFollow:
                throw DaemonSupportError(.unreadableFile, file: path, "a symbolic link; name the file itself")
            default: throw Self.error(error)
            }
        }
    }
}
