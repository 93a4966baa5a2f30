import Foundation
import TrustStore

// Every input is a whole volume image in memory: the boot sector, the FAT, the root directory and the
// bundle's cluster chain are all the fuzzer's. A crash, a sanitizer report or a hang is a finding; bytes
// or a TrustStoreError are both fine.
private func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    _ = try? FATVolume(InMemoryVolume(bytes), name: "fuzz").readBundle()
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
enum FuzzFATVolume {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv) { data, size in fuzzOne(data, size) })
    }
}
