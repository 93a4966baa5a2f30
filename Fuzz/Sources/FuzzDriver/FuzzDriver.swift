import Foundation

/// The one entry into libFuzzer's driver for every harness: `run` hands each input to `body` as bytes.
/// A crash, a sanitizer report or a hang is a finding; whatever `body` returns or throws is not.
public enum FuzzDriver {
    public static func run(_ body: @escaping ([UInt8]) -> Void) -> Never {
        target = body
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv) { data, size in
            target?(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
            return 0
        })
    }
}

// The C callback cannot capture, so the harness's body waits here; set once, before the driver starts.
nonisolated(unsafe) private var target: (([UInt8]) -> Void)?

// libFuzzer's driver, entered from the harness's own main (SwiftPM names the executable's entry point).
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// For harnesses whose parser reads files: one scratch file (in /dev/shm when there is one), rewritten with each
/// input and removed at exit.
public final class ScratchFile: Sendable {
    public let fileDescriptor: Int32
    public let path: String

    public init(prefix: String) {
        let directory = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        var template = Array("\(directory)/\(prefix)-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { fatalError("mkstemp failed: \(errno)") }
        fileDescriptor = fd
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        scratchPaths.append(path)
        if scratchPaths.count == 1 { atexit { scratchPaths.forEach { unlink($0) } } }
    }

    /// Makes the file hold exactly `bytes`.
    public func write(_ bytes: [UInt8]) {
        guard ftruncate(fileDescriptor, 0) == 0 else { fatalError("ftruncate failed: \(errno)") }
        let written = bytes.withUnsafeBytes { pwrite(fileDescriptor, $0.baseAddress, $0.count, 0) }
        guard written == bytes.count else { fatalError("pwrite wrote \(written) of \(bytes.count) bytes") }
    }
}

// atexit's handler cannot capture either.
nonisolated(unsafe) private var scratchPaths: [String] = []
