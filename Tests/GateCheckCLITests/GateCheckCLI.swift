import Foundation
import GateCheckTestSupport

/// Runs the built `gatecheck` binary, as other tools will.
enum GateCheckCLI {
    typealias Result = ProcessResult

    /// The binary sits beside the test bundle in the build folder.
    static let executable: String = builtExecutable("gatecheck") ?? repositoryRoot + "/.build/debug/gatecheck"

    static func run(_ arguments: [String], standardInput: URL? = nil) throws -> Result {
        try runProcess(executable, arguments, standardInput: standardInput)
    }
}

extension ProcessResult {
    var jsonObjects: [[String: Any]] {
        lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }
}
