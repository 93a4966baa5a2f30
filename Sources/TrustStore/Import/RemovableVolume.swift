import FoundationEssentials
import GateCheckCrypto

/// A USB stick holding a trust bundle, read as hostile input and never mounted.
///
/// The block device is opened read-only and its FAT volume read in user space by `FATVolume`, so no kernel
/// filesystem driver parses what anyone can craft, and the import needs no capability. Only the bundle
/// file at the volume's root is read; its bytes go into the store's temporary copy, which is verified and
/// installed exactly as a bundle file is. Nothing is ever written to the stick.
public enum RemovableVolume {
    /// The one file read from a stick: at the root of the volume, this exact long name.
    public static let bundleFileName = "gatecheck-trust.bundle"

    /// Reads the bundle from the FAT volume on `device` into `store`, which verifies and installs it.
    @discardableResult
    public static func install(
        fromDevice device: String, into store: TrustStoreDirectory, anchors: [Certificate], now: Date
    ) throws(TrustStoreError) -> VerifiedBundle {
        try store.install(describedAs: device, anchors: anchors, now: now) { (output, outputPath) throws(TrustStoreError) in
            let stick = try BlockDeviceVolume(path: device)
            defer { stick.close() }
            let volume = try FATVolume(stick, name: device)
            try volume.read(try volume.bundleFile()) { (chunk) throws(TrustStoreError) in
                try TrustFiles.writeAll(output, outputPath, chunk)
            }
        }
    }
}

/// A block device opened read-only through the system-call layer (pread, retried on EINTR).
struct BlockDeviceVolume: VolumeBytes {
    let path: String
    let byteCount: Int
    private let descriptor: Int32

    init(path: String) throws(TrustStoreError) {
        descriptor = try TrustFiles.openBlockDevice(path)
        do {
            byteCount = try TrustFiles.deviceSize(descriptor, path)
        } catch {
            TrustFiles.close(descriptor)
            throw error
        }
        self.path = path
    }

    func read(offset: Int, count: Int) throws(TrustStoreError) -> [UInt8] {
        try TrustFiles.read(descriptor, path, offset: offset, count: count)
    }

    func close() {
        TrustFiles.close(descriptor)
    }
}
