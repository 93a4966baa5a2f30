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
