import FuzzDriver
import TrustStore

// Every input is a whole volume image in memory: the boot sector, the FAT, the root directory and the
// bundle's cluster chain are all the fuzzer's. Bytes or a TrustStoreError are both fine.
@main
enum FuzzFATVolume {
    static func main() {
        FuzzDriver.run { bytes in
            _ = try? FATVolume(InMemoryVolume(bytes), name: "fuzz").readBundle()
        }
    }
}
