import Glibc
import Foundation

/// The folder the demo is generated into. A non-empty folder is replaced only with `--force`, and
/// then only when everything in it is the generator's own, so a mistyped path cannot wipe anything.
struct DemoOutputFolder {
    /// Absolute, with any symbolic link in the parent resolved (the trust store refuses links).
    let path: String

    init(_ argument: String, force: Bool) throws {
        let files = FileManager.default
        let url = URL(fileURLWithPath: argument).standardizedFileURL
        let parent = url.deletingLastPathComponent()
        try files.createDirectory(at: parent, withIntermediateDirectories: true)
        path = parent.resolvingSymlinksInPath().appendingPathComponent(url.lastPathComponent).path

        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw DemoAssetsError("\(path) exists and is not a directory") }
        let entries = try files.contentsOfDirectory(atPath: path)
        guard !entries.isEmpty else { return }
        guard force else { throw DemoAssetsError("\(path) is not empty; pass --force to regenerate it") }
        let foreign = entries.filter { !DemoLayout.owned.contains($0) }.sorted()
        guard foreign.isEmpty else {
            throw DemoAssetsError("\(path) holds files the generator did not make (\(foreign.joined(separator: ", "))); not replacing it")
        }
    }

    /// Runs `build` on an empty staging folder beside the output; only when it returns are the
    /// output's generated entries replaced by the staged ones. A failed run leaves the old demo as it was.
    func replace<Output>(_ build: (String) throws -> Output) throws -> Output {
        let files = FileManager.default
        let staging = path + ".tmp-\(getpid())"
        try? files.removeItem(atPath: staging)
        try files.createDirectory(atPath: staging, withIntermediateDirectories: false)
        defer { try? files.removeItem(atPath: staging) }

        let result = try build(staging)

        try files.createDirectory(atPath: path, withIntermediateDirectories: true)
        for entry in DemoLayout.owned where files.fileExists(atPath: path + "/" + entry) {
            try files.removeItem(atPath: path + "/" + entry)
        }
        for entry in try files.contentsOfDirectory(atPath: staging) {
            try files.moveItem(atPath: staging + "/" + entry, toPath: path + "/" + entry)
        }
        return result
    }
}
