import Foundation

/// Where the shared public test corpus lives: `$GATECHECK_CORPUS`, else `../shared/corpus` beside the repository.
/// It is read in place and never copied into the repository.
enum Corpus {
    static let root: URL? = {
        if let path = ProcessInfo.processInfo.environment["GATECHECK_CORPUS"], !path.isEmpty {
            return FileManager.default.fileExists(atPath: path) ? URL(fileURLWithPath: path) : nil
        }
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let sibling = repository.deletingLastPathComponent().appendingPathComponent("shared/corpus")
        return FileManager.default.fileExists(atPath: sibling.path) ? sibling : nil
    }()

    static var isAvailable: Bool {
        if root == nil {
            print("NOTICE: test corpus not found (set GATECHECK_CORPUS or place it at ../shared/corpus); corpus tests are SKIPPED")
        }
        return root != nil
    }

    static func url(_ relativePath: String) -> URL {
        root!.appendingPathComponent(relativePath)
    }

    /// The repository's own files (deviation list and the like).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
