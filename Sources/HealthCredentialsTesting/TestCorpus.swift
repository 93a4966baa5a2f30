import Foundation

/// The shared public test corpus: `$GATECHECK_CORPUS`, else `../shared/corpus` beside the repository.
/// Tests read it in place (it is never copied into the repository); when it is absent they print a
/// notice and skip, with `.enabled(if: TestCorpus.isAvailable)`.
public enum TestCorpus {
    /// The repository root, found from this file's location.
    public static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static let root: URL? = {
        if let path = ProcessInfo.processInfo.environment["GATECHECK_CORPUS"], !path.isEmpty {
            return FileManager.default.fileExists(atPath: path) ? URL(fileURLWithPath: path) : nil
        }
        let sibling = repository.deletingLastPathComponent().appendingPathComponent("shared/corpus")
        return FileManager.default.fileExists(atPath: sibling.path) ? sibling : nil
    }()

    /// True when the corpus is there; otherwise prints why the tests that need it are skipped.
    public static let isAvailable: Bool = {
        if root == nil {
            print("NOTICE: test corpus not found (set GATECHECK_CORPUS or place it at ../shared/corpus); corpus tests are SKIPPED")
        }
        return root != nil
    }()

    public static func url(_ relativePath: String) -> URL {
        (root ?? URL(fileURLWithPath: "/nonexistent-corpus")).appendingPathComponent(relativePath)
    }

    public static func path(_ relativePath: String) -> String { url(relativePath).path }

    public static func bytes(_ relativePath: String) throws -> [UInt8] {
        Array(try Data(contentsOf: url(relativePath)))
    }

    /// A text file without its trailing newline (the corpus's `.hc1.txt` files end with one).
    public static func text(_ relativePath: String) throws -> String {
        var text = try String(contentsOf: url(relativePath), encoding: .utf8)
        while let last = text.last, last.isNewline { text.removeLast() }
        return text
    }
}
