/// Bytes of a volume read at absolute offsets: a stick's block device, or memory (tests, the fuzzer).
public protocol VolumeBytes {
    /// How many bytes the volume holds.
    var byteCount: Int { get }
    /// Exactly `count` bytes at `offset`. `FATVolume` never asks for bytes past `byteCount`.
    func read(offset: Int, count: Int) throws(TrustStoreError) -> [UInt8]
}

/// A volume image held in memory.
public struct InMemoryVolume: VolumeBytes, Sendable {
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var byteCount: Int { bytes.count }

    public func read(offset: Int, count: Int) throws(TrustStoreError) -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= bytes.count, count <= bytes.count - offset else {
            throw TrustStoreError(.badVolume, "a read of \(count) bytes at \(offset) is past the image's \(bytes.count) bytes")
        }
        return Array(bytes[offset..<offset + count])
    }
}

/// A FAT12, FAT16 or FAT32 volume, read in user space as hostile input: the kernel's filesystem drivers never
/// see the stick. Only the root directory is read, and only one file in it: `RemovableVolume.bundleFileName`,
/// found by its long name (the 8.3 alias differs between tools, so it is not matched).
///
/// Every boot-sector field is checked before use, every cluster number against the volume, every chain
/// against the length its file needs; arithmetic is on `Int` (64 bits) over operands of at most 32 bits
/// times at most 4,096, so no product can overflow.
public struct FATVolume<Bytes: VolumeBytes> {
    public enum Kind: String, Sendable {
        case fat12 = "FAT12", fat16 = "FAT16", fat32 = "FAT32"
    }

    /// A directory entry's file: its first cluster and its size in bytes.
    public struct File: Hashable, Sendable {
        public let firstCluster: Int
        public let size: Int
    }

    /// Clusters above this are refused: a cluster is read into memory whole.
    public static var maximumClusterSize: Int { 256 * 1024 }
    /// FAT's own limit on a directory's entries; a root directory that goes on is refused.
    public static var maximumDirectoryEntries: Int { 65_536 }

    public let kind: Kind
    private let bytes: Bytes
    private let name: String
    private let bytesPerSector: Int
    private let clusterSize: Int
    private let clusterCount: Int  // data clusters, numbered 2 ..< clusterCount + 2
    private let fatOffset: Int  // the FAT in use
    private let dataOffset: Int
    private let rootOffset: Int  // FAT12/16: the fixed root directory
    private let rootSize: Int
    private let rootCluster: Int  // FAT32

    /// Reads and checks the boot sector. `name` (the device path) is used in refusals.
    public init(_ bytes: Bytes, name: String) throws(TrustStoreError) {
        self.bytes = bytes
        self.name = name
        func refuse(_ what: String) -> TrustStoreError { TrustStoreError(.badVolume, "\(name): \(what)") }
        guard bytes.byteCount >= 512 else { throw refuse("\(bytes.byteCount) bytes is smaller than a boot sector") }
        let boot = try bytes.read(offset: 0, count: 512)
        guard boot[0] == 0xEB || boot[0] == 0xE9 else {
            if Self.looksLikePartitionTable(boot) {
                throw refuse("sector 0 is a partition table (MBR), not a FAT boot sector: give the partition, e.g. /dev/sda1")
            }
            throw refuse("sector 0 is not a FAT boot sector (no jump instruction)")
        }
        guard boot[510] == 0x55, boot[511] == 0xAA else { throw refuse("the boot sector has no 55 AA signature") }

        let bytesPerSector = Self.littleEndian(boot, 11, 2)
        guard [512, 1024, 2048, 4096].contains(bytesPerSector) else { throw refuse("\(bytesPerSector) bytes per sector (512…4096, a power of two)") }
        let sectorsPerCluster = Int(boot[13])
        guard sectorsPerCluster > 0, sectorsPerCluster & (sectorsPerCluster - 1) == 0 else {
            throw refuse("\(sectorsPerCluster) sectors per cluster (a power of two)")
        }
        let clusterSize = bytesPerSector * sectorsPerCluster
        guard clusterSize <= Self.maximumClusterSize else { throw refuse("\(clusterSize)-byte clusters (at most \(Self.maximumClusterSize))") }
        let reservedSectors = Self.littleEndian(boot, 14, 2)
        guard reservedSectors > 0 else { throw refuse("no reserved sectors") }
        let fatCount = Int(boot[16])
        guard (1...2).contains(fatCount) else { throw refuse("\(fatCount) FATs (1 or 2)") }
        let rootEntries = Self.littleEndian(boot, 17, 2)
        let totalSectors = Self.littleEndian(boot, 19, 2) != 0 ? Self.littleEndian(boot, 19, 2) : Self.littleEndian(boot, 32, 4)
        guard totalSectors > 0 else { throw refuse("zero sectors") }
        // Like Linux: a zero 16-bit FAT size means FAT32; FAT12 or FAT16 then follows from the cluster count.
        let isFAT32 = Self.littleEndian(boot, 22, 2) == 0
        let fatSectors = isFAT32 ? Self.littleEndian(boot, 36, 4) : Self.littleEndian(boot, 22, 2)
        guard fatSectors > 0 else { throw refuse("a zero-size FAT") }
        var activeFAT = 0
        if isFAT32 {
            guard rootEntries == 0 else { throw refuse("a FAT32 boot sector with \(rootEntries) fixed root entries") }
            guard Self.littleEndian(boot, 42, 2) == 0 else { throw refuse("FAT32 version \(Self.littleEndian(boot, 42, 2)) (only 0)") }
            let flags = Self.littleEndian(boot, 40, 2)
            if flags & 0x80 != 0 { activeFAT = flags & 0x0F }  // mirroring off: one FAT is in use
            guard activeFAT < fatCount else { throw refuse("active FAT \(activeFAT) of \(fatCount)") }
        } else {
            guard rootEntries > 0 else { throw refuse("a FAT12/16 boot sector with no root directory entries") }
        }

        guard totalSectors * bytesPerSector <= bytes.byteCount else {
            throw refuse("\(totalSectors) sectors of \(bytesPerSector) bytes reach past the device's \(bytes.byteCount) bytes")
        }
        let rootSectors = (rootEntries * 32 + bytesPerSector - 1) / bytesPerSector
        let metadataSectors = reservedSectors + fatCount * fatSectors + rootSectors
        guard metadataSectors < totalSectors else { throw refuse("the FATs and the root directory leave no room for data") }
        let clusterCount = (totalSectors - metadataSectors) / sectorsPerCluster
        guard clusterCount > 0 else { throw refuse("no whole data cluster") }

        let kind: Kind = isFAT32 ? .fat32 : clusterCount < 4085 ? .fat12 : .fat16
        let largestCount = switch kind {
        case .fat12: 4084
        case .fat16: 65524
        case .fat32: 0x0FFF_FFF5  // cluster numbers stay below the bad-cluster mark
        }
        guard clusterCount <= largestCount else { throw refuse("\(clusterCount) clusters is too many for \(kind.rawValue)") }
        let fatEntries = fatSectors * bytesPerSector * 8 / Self.entryBits(kind)
        guard fatEntries >= clusterCount + 2 else {
            throw refuse("a FAT of \(fatSectors) sectors cannot hold \(clusterCount) clusters")
        }

        self.kind = kind
        self.bytesPerSector = bytesPerSector
        self.clusterSize = clusterSize
        self.clusterCount = clusterCount
        self.fatOffset = (reservedSectors + activeFAT * fatSectors) * bytesPerSector
        self.rootOffset = (reservedSectors + fatCount * fatSectors) * bytesPerSector
        self.rootSize = rootEntries * 32
        self.dataOffset = metadataSectors * bytesPerSector
        self.rootCluster = isFAT32 ? Self.littleEndian(boot, 44, 4) : 0
        if isFAT32, !isCluster(rootCluster) {
            throw refuse("root directory cluster \(rootCluster) is outside 2…\(clusterCount + 1)")
        }
    }

    // MARK: The bundle

    /// The root directory's one plain file named `RemovableVolume.bundleFileName`.
    public func bundleFile() throws(TrustStoreError) -> File {
        let target = Array(RemovableVolume.bundleFileName.utf16)
        var found: File?
        var longName = LongNameAssembly()
        try forEachRootEntry { (entry) throws(TrustStoreError) in
            guard entry[0] != 0xE5 else { longName = LongNameAssembly(); return }  // deleted
            let attributes = entry[11]
            if attributes & 0x3F == 0x0F {
                longName.add(entry)
                return
            }
            let name = longName.name(forShortEntry: entry)
            longName = LongNameAssembly()
            guard name == target else { return }
            guard attributes & 0x18 == 0 else {
                throw TrustStoreError(.unsafeFile, "\(self.name): \(RemovableVolume.bundleFileName) is a directory or volume label, not a plain file")
            }
            guard found == nil else {
                throw TrustStoreError(.badVolume, "\(self.name): two root entries are named \(RemovableVolume.bundleFileName)")
            }
            let high = kind == .fat32 ? Self.littleEndian(entry, 20, 2) << 16 : 0
            found = File(firstCluster: high | Self.littleEndian(entry, 26, 2), size: Self.littleEndian(entry, 28, 4))
        }
        guard let found else {
            throw TrustStoreError(.noBundle, "\(name): no plain file named \(RemovableVolume.bundleFileName) in the root directory")
        }
        guard found.size <= BundleLayout.maximumFileSize else {
            throw TrustStoreError(.tooLarge, "\(name): \(found.size) bytes exceeds the bundle limit of \(BundleLayout.maximumFileSize)")
        }
        return found
    }

    /// Hands `file`'s bytes to `sink`, one cluster at a time, following its chain exactly as far as its size needs.
    public func read(_ file: File, into sink: (ArraySlice<UInt8>) throws(TrustStoreError) -> Void) throws(TrustStoreError) {
        let needed = file.size / clusterSize + (file.size % clusterSize == 0 ? 0 : 1)
        guard needed <= clusterCount else {
            throw refuse("the bundle's \(file.size) bytes do not fit in the volume's \(clusterCount) clusters of \(clusterSize) bytes")
        }
        guard file.size > 0 else {
            guard file.firstCluster == 0 else { throw refuse("an empty bundle starts at cluster \(file.firstCluster)") }
            return
        }
        guard isCluster(file.firstCluster) else { throw refuse("the bundle starts at cluster \(file.firstCluster), outside 2…\(clusterCount + 1)") }
        var table = TableReader()
        var cluster = file.firstCluster
        var remaining = file.size
        for index in 1...needed {
            let count = min(remaining, clusterSize)
            try sink(try bytes.read(offset: clusterOffset(cluster), count: count)[...])
            remaining -= count
            let next = try link(after: cluster, &table)
            if index == needed {
                guard next == nil else { throw refuse("the bundle's cluster chain runs past the \(needed) clusters its size needs (a loop?)") }
            } else {
                guard let next else { throw refuse("the bundle's cluster chain ends after \(index) of the \(needed) clusters its size needs") }
                cluster = next
            }
        }
    }

    /// The bundle's bytes: `bundleFile()` read whole (tests and the fuzzer; an import streams `read`).
    public func readBundle() throws(TrustStoreError) -> [UInt8] {
        var contents: [UInt8] = []
        try read(try bundleFile()) { (chunk) throws(TrustStoreError) in contents += chunk }
        return contents
    }

    // MARK: Directory

    /// Every 32-byte root entry up to the end marker: the fixed region (FAT12/16) or the cluster chain (FAT32),
    /// which may not loop or go beyond FAT's 65,536 entries.
    private func forEachRootEntry(_ body: ([UInt8]) throws(TrustStoreError) -> Void) throws(TrustStoreError) {
        func scan(_ region: [UInt8]) throws(TrustStoreError) -> Bool {
            for start in stride(from: 0, to: region.count - 31, by: 32) {
                if region[start] == 0 { return false }
                try body(Array(region[start..<start + 32]))
            }
            return true
        }
        guard kind == .fat32 else {
            _ = try scan(try bytes.read(offset: rootOffset, count: rootSize))
            return
        }
        let limit = Self.maximumDirectoryEntries * 32 / clusterSize + 1
        var table = TableReader()
        var visited: Set<Int> = []
        var cluster = rootCluster
        while try scan(try bytes.read(offset: clusterOffset(cluster), count: clusterSize)) {
            visited.insert(cluster)
            guard let next = try link(after: cluster, &table) else { return }
            guard !visited.contains(next) else { throw refuse("the root directory's cluster chain loops back to cluster \(next)") }
            guard visited.count < limit else { throw refuse("the root directory never ends (over \(Self.maximumDirectoryEntries) entries)") }
            cluster = next
        }
    }

    /// Long-name entries gathered for the short entry after them: in order, with one checksum, complete.
    private struct LongNameAssembly {
        private var units: [UInt16] = []
        private var nextOrdinal = 0  // counts down to 0, when the name is complete
        private var checksum: UInt8 = 0
        private var broken = true

        mutating func add(_ entry: [UInt8]) {
            let ordinal = Int(entry[0] & 0x1F)
            if entry[0] & 0x40 != 0 {  // the last part, stored first
                units = Array(repeating: 0xFFFF, count: ordinal * 13)
                nextOrdinal = ordinal
                checksum = entry[13]
                broken = !(1...20).contains(ordinal)
            }
            // ordinal ≥ 1: once the name is complete (nextOrdinal 0), a further part numbered 0 must not index before it.
            guard !broken, ordinal >= 1, ordinal == nextOrdinal, entry[13] == checksum, entry[12] == 0, entry[26] == 0,
                entry[27] == 0
            else {
                broken = true
                return
            }
            let base = (ordinal - 1) * 13
            for (index, offset) in [1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30].enumerated() {
                units[base + index] = UInt16(entry[offset]) | UInt16(entry[offset + 1]) << 8
            }
            nextOrdinal -= 1
        }

        /// The long name when it is complete and its checksum is the short entry's; nil otherwise.
        func name(forShortEntry entry: [UInt8]) -> [UInt16]? {
            guard !broken, nextOrdinal == 0, !units.isEmpty else { return nil }
            var sum: UInt8 = 0
            for byte in entry[0..<11] { sum = ((sum & 1) << 7) &+ (sum >> 1) &+ byte }  // FAT's rotate-and-add, mod 256
            guard sum == checksum else { return nil }
            return Array(units.prefix { $0 != 0 })
        }
    }

    // MARK: FAT

    /// One FAT sector kept between lookups: a chain usually stays within a sector.
    private struct TableReader {
        var sector = -1
        var bytes: [UInt8] = []
    }

    /// The cluster after `cluster`, or nil at the end of its chain. A free, bad, reserved or out-of-range link is refused.
    private func link(after cluster: Int, _ table: inout TableReader) throws(TrustStoreError) -> Int? {
        let bits = Self.entryBits(kind)
        let offset = fatOffset + cluster * bits / 8
        var value = 0
        for index in 0..<(bits == 12 ? 2 : bits / 8) {
            value |= Int(try tableByte(at: offset + index, &table)) << (8 * index)
        }
        switch kind {
        case .fat12: value = cluster & 1 == 1 ? value >> 4 : value & 0xFFF
        case .fat16: break
        case .fat32: value &= 0x0FFF_FFFF
        }
        let bad = (1 << min(bits, 28)) - 9  // 0xFF7, 0xFFF7, 0x0FFFFFF7
        if value > bad { return nil }
        if value == bad { throw refuse("cluster \(cluster) links to a cluster marked bad") }
        if value == 0 { throw refuse("cluster \(cluster) is marked free but lies in a chain") }
        guard isCluster(value) else { throw refuse("cluster \(cluster) links to \(value), outside 2…\(clusterCount + 1)") }
        return value
    }

    private func tableByte(at offset: Int, _ table: inout TableReader) throws(TrustStoreError) -> UInt8 {
        let sector = offset / bytesPerSector
        if sector != table.sector {
            table.bytes = try bytes.read(offset: sector * bytesPerSector, count: bytesPerSector)
            table.sector = sector
        }
        return table.bytes[offset % bytesPerSector]
    }

    // MARK: Helpers

    private func isCluster(_ number: Int) -> Bool { number >= 2 && number < clusterCount + 2 }

    private func clusterOffset(_ cluster: Int) -> Int { dataOffset + (cluster - 2) * clusterSize }

    private func refuse(_ what: String) -> TrustStoreError { TrustStoreError(.badVolume, "\(name): \(what)") }

    private static func entryBits(_ kind: Kind) -> Int {
        switch kind {
        case .fat12: 12
        case .fat16: 16
        case .fat32: 32
        }
    }

    /// `count` (2 or 4) bytes at `offset` of a buffer whose size the caller fixed, little-endian.
    private static func littleEndian(_ buffer: [UInt8], _ offset: Int, _ count: Int) -> Int {
        (0..<count).reduce(0) { $0 | Int(buffer[offset + $1]) << (8 * $1) }
    }

    /// Sector 0 of a whole disk: 55 AA and four partition entries with plausible boot flags, one of them used.
    private static func looksLikePartitionTable(_ sector: [UInt8]) -> Bool {
        guard sector[510] == 0x55, sector[511] == 0xAA else { return false }
        let entries = (0..<4).map { 446 + 16 * $0 }
        return entries.allSatisfy { sector[$0] == 0 || sector[$0] == 0x80 } && entries.contains { sector[$0 + 4] != 0 }
    }
}
