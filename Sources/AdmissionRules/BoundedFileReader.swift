#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads files and lists folders from untrusted media: regular files only, a size cap, and no
/// symbolic links below the path the operator named (a link could point anywhere on the device).
struct BoundedFileReader {
    enum Kind { case file, directory, symbolicLink, other }

    let maxFileBytes: Int

    /// The kind of `path`; `followLinks` only for the path the operator named.
    func kind(of path: String, followLinks: Bool) throws(AdmissionRulesError) -> Kind {
        var info = stat()
        let status = followLinks ? stat(path, &info) : lstat(path, &info)
        guard status == 0 else { throw AdmissionRulesError(.unreadableFile, "\(path): \(Self.reason(errno))") }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        case S_IFLNK: return .symbolicLink
        default: return .other
        }
    }

    /// The whole file, refusing links (unless `followLinks`), non-regular files and files over the cap.
    func read(_ path: String, followLinks: Bool) throws(AdmissionRulesError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (followLinks ? 0 : O_NOFOLLOW))
        guard fd >= 0 else { throw AdmissionRulesError(.unreadableFile, "\(path): \(Self.reason(errno))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw AdmissionRulesError(.unreadableFile, "\(path): \(Self.reason(errno))") }
        guard info.st_mode & S_IFMT == S_IFREG else { throw AdmissionRulesError(.unreadableFile, "\(path): not a regular file") }
        guard Int(info.st_size) <= maxFileBytes else {
            throw AdmissionRulesError(.fileTooLarge, "\(path): \(info.st_size) bytes (at most \(maxFileBytes))")
        }
        // Read at most one byte past the cap, in case the file grows while we read.
        var bytes = [UInt8](repeating: 0, count: maxFileBytes + 1)
        var count = 0
        while count < bytes.count {
            let n = bytes.withUnsafeMutableBytes { buffer in
                systemRead(fd, buffer.baseAddress! + count, buffer.count - count)
            }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw AdmissionRulesError(.unreadableFile, "\(path): \(Self.reason(errno))")
            }
            count += n
        }
        guard count <= maxFileBytes else { throw AdmissionRulesError(.fileTooLarge, "\(path): more than \(maxFileBytes) bytes") }
        bytes.removeSubrange(count...)
        return bytes
    }

    /// The names in a folder (without `.` and `..`), sorted.
    func list(_ path: String) throws(AdmissionRulesError) -> [String] {
        guard let dir = opendir(path) else { throw AdmissionRulesError(.unreadableFile, "\(path): \(Self.reason(errno))") }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    private static func reason(_ code: Int32) -> String {
        code == ELOOP ? "a symbolic link" : String(cString: strerror(code))
    }
}

/// `read(2)`, named apart from any `read` method in scope.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
