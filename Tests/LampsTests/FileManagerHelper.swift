import Foundation

/// Small file operations the tests need beyond the fake tree.
enum FileManagerHelper {
    static func remove(_ path: String) throws {
        try FileManager.default.removeItem(atPath: path)
    }
}
