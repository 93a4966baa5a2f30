import Foundation

/// The repository's top-level folder.
public let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// A built executable of this package: beside the test bundle (or up to three folders above it), else, with
/// `orInDebugBuild`, in the repository's `.build/debug`; nil when it is in neither.
public func builtExecutable(_ name: String, orInDebugBuild: Bool = true) -> String? {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = directory.appendingPathComponent(name).path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        directory = directory.deletingLastPathComponent()
    }
    guard orInDebugBuild else { return nil }
    let fallback = repositoryRoot + "/.build/debug/" + name
    return FileManager.default.isExecutableFile(atPath: fallback) ? fallback : nil
}

/// How a process ended and what it wrote.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let standardOutput: String
    public let standardError: String

    /// The standard output's non-empty lines.
    public var lines: [String] { standardOutput.split(separator: "\n").map(String.init) }
}

/// Runs `executable` to completion and returns its status, output and error, both read fully (at the same
/// time, so neither pipe can fill up and stall the child). `environment` nil: this process's environment.
public func runProcess(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil, standardInput: URL? = nil
) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    if let standardInput { process.standardInput = try FileHandle(forReadingFrom: standardInput) }
    try process.run()
    let errorReader = error.fileHandleForReading
    let errorData = Shared(Data())
    let errorRead = DispatchGroup()
    DispatchQueue.global().async(group: errorRead) {
        let data = errorReader.readDataToEndOfFile()
        errorData.withLock { $0 = data }
    }
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    errorRead.wait()
    process.waitUntilExit()
    return ProcessResult(
        status: process.terminationStatus,
        standardOutput: String(decoding: outputData, as: UTF8.self),
        standardError: String(decoding: errorData.value, as: UTF8.self)
    )
}
