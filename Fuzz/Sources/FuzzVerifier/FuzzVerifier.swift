import Foundation
import HealthCredentials

// Every input is tried three ways: as a QR payload, as COSE bytes after the HC1 layers, and
// with the HC1 prefix added, so the fuzzer reaches Base45, zlib, CBOR, COSE, CWT and the schema.
// A crash, a sanitizer report or a hang is a finding; any verdict is fine.
private let verifier = HC1Verifier(trustList: .empty)
private let context = VerificationContext(now: Date(timeIntervalSince1970: 1_660_000_000))
private let prefix = Array("HC1:".utf8)

private func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    _ = verifier.verify(payload: bytes, in: context)
    _ = verifier.verify(coseBytes: bytes, in: context)
    _ = verifier.verify(payload: prefix + bytes, in: context)
    return 0
}

// libFuzzer's driver, entered from our own main (SwiftPM names the executable's entry point).
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@main
enum FuzzVerifier {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv) { data, size in fuzzOne(data, size) })
    }
}
