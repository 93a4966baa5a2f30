import Foundation

import Glibc

/// A fresh private directory (made by `mkdtemp`, its real path with no symbolic link in it), removed with
/// everything inside by `remove()` or when the value is dropped.
public final class TemporaryDirectory: Sendable {
    public let path: String

    public var url: URL { URL(fileURLWithPath: path) }

    /// `gatecheck-<label>-XXXXXX` in `$TMPDIR` (else /tmp); with `shortPath`, always directly under /tmp, for
    /// directories that hold Unix sockets (a socket path holds at most 107 bytes, and `$TMPDIR` can be long).
    public init(_ label: String = "test", shortPath: Bool = false) throws {
        let base = shortPath ? "/tmp" : FileManager.default.temporaryDirectory.path
        var template = Array("\(base)/gatecheck-\(label)-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        guard let resolved = realpath(made, nil) else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        path = String(cString: resolved)
        free(resolved)
    }

    deinit { remove() }

    /// Removes the directory and everything in it (again: nothing happens).
    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The path of `relative` inside the directory.
    public func file(_ relative: String) -> String { path + "/" + relative }

    /// Makes the folder `relative` (and its parents) and returns its path.
    @discardableResult
    public func directory(_ relative: String) throws -> String {
        let made = file(relative)
        try FileManager.default.createDirectory(atPath: made, withIntermediateDirectories: true)
        return made
    }

    /// Writes `bytes` to `relative` (making its parent folders) and returns the file's path.
    @discardableResult
    public func write(_ relative: String, _ bytes: [UInt8]) throws -> String {
        let target = file(relative)
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: target))
        return target
    }

    /// Writes `text` as UTF-8 to `relative` (making its parent folders) and returns the file's path.
    @discardableResult
    public func write(_ relative: String, _ text: String) throws -> String {
        try write(relative, Array(text.utf8))
    }

    /// The text of `relative`, without one trailing newline.
    public func read(_ relative: String) throws -> String {
        let text = try String(contentsOfFile: file(relative), encoding: .utf8)
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }
}

/// Runs `body` with the path of a fresh temporary directory, removed afterwards.
public func withTemporaryDirectory<T>(_ label: String = "test", _ body: (String) throws -> T) throws -> T {
    let directory = try TemporaryDirectory(label)
    defer { directory.remove() }
    return try body(directory.path)
}
