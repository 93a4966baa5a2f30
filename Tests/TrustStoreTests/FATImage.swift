/// A minimal FAT16 or FAT32 image written byte by byte, for the reader's tests: 512-byte sectors and
/// clusters, two FATs, and a root directory (a fixed region on FAT16, cluster 2 onwards on FAT32).
/// Every field is a plain variable, so a test can break exactly one thing.
struct FATImage {
    enum Kind { case fat16, fat32 }

    static let sectorSize = 512
    let kind: Kind
    var bytes: [UInt8]
    let reservedSectors: Int
    let fatSectors: Int
    let rootEntries: Int
    let clusterCount: Int
    private var nextFreeCluster: Int
    private(set) var nextRootSlot = 0

    /// FAT16 needs at least 4,085 clusters to be FAT16 rather than FAT12; FAT32 is told apart by its boot sector.
    init(kind: Kind, clusterCount: Int? = nil) {
        self.kind = kind
        let clusters = clusterCount ?? (kind == .fat16 ? 4_200 : 200)
        self.clusterCount = clusters
        reservedSectors = kind == .fat16 ? 1 : 32
        rootEntries = kind == .fat16 ? 64 : 0
        let entryBytes = kind == .fat16 ? 2 : 4
        fatSectors = ((clusters + 2) * entryBytes + Self.sectorSize - 1) / Self.sectorSize
        let rootSectors = rootEntries * 32 / Self.sectorSize
        let totalSectors = reservedSectors + 2 * fatSectors + rootSectors + clusters
        bytes = Array(repeating: 0, count: totalSectors * Self.sectorSize)
        nextFreeCluster = kind == .fat32 ? 3 : 2

        bytes[0] = 0xEB; bytes[1] = 0x3C; bytes[2] = 0x90
        bytes.replaceSubrange(3..<11, with: Array("GCTEST  ".utf8))
        set(11, 2, Self.sectorSize)
        bytes[13] = 1  // sectors per cluster
        set(14, 2, reservedSectors)
        bytes[16] = 2  // FATs
        set(17, 2, rootEntries)
        set(32, 4, totalSectors)
        bytes[21] = 0xF8
        if kind == .fat16 {
            set(22, 2, fatSectors)
        } else {
            set(36, 4, fatSectors)
            set(44, 4, 2)  // root directory cluster
            setFAT(2, 0x0FFF_FFFF)
        }
        bytes[510] = 0x55; bytes[511] = 0xAA
        setFAT(0, kind == .fat16 ? 0xFFF8 : 0x0FFF_FFF8)
        setFAT(1, kind == .fat16 ? 0xFFFF : 0x0FFF_FFFF)
    }

    var endOfChain: Int { kind == .fat16 ? 0xFFFF : 0x0FFF_FFFF }
    var badCluster: Int { kind == .fat16 ? 0xFFF7 : 0x0FFF_FFF7 }
    var dataOffset: Int { (reservedSectors + 2 * fatSectors + rootEntries * 32 / Self.sectorSize) * Self.sectorSize }
    var rootOffset: Int { kind == .fat16 ? (reservedSectors + 2 * fatSectors) * Self.sectorSize : clusterOffset(2) }

    func clusterOffset(_ cluster: Int) -> Int { dataOffset + (cluster - 2) * Self.sectorSize }

    /// Writes `value` little-endian into `count` bytes at `offset`.
    mutating func set(_ offset: Int, _ count: Int, _ value: Int) {
        for index in 0..<count { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
    }

    /// The FAT entry of `cluster`, in both FATs.
    mutating func setFAT(_ cluster: Int, _ value: Int) {
        let width = kind == .fat16 ? 2 : 4
        for fat in 0..<2 {
            set((reservedSectors + fat * fatSectors) * Self.sectorSize + cluster * width, width, value)
        }
    }

    /// Puts `contents` in fresh consecutive clusters, chained, and returns the first (0 for no contents).
    mutating func allocate(_ contents: [UInt8]) -> Int {
        guard !contents.isEmpty else { return 0 }
        let first = nextFreeCluster
        let clusters = (contents.count + Self.sectorSize - 1) / Self.sectorSize
        for index in 0..<clusters {
            let cluster = first + index
            let chunk = contents[(index * Self.sectorSize)..<min(contents.count, (index + 1) * Self.sectorSize)]
            bytes.replaceSubrange(clusterOffset(cluster)..<clusterOffset(cluster) + chunk.count, with: chunk)
            setFAT(cluster, index == clusters - 1 ? endOfChain : cluster + 1)
        }
        nextFreeCluster += clusters
        return first
    }

    /// A file at the root: its long-name entries (when `longName` is given) and its 8.3 entry. Returns the first cluster.
    @discardableResult
    mutating func addFile(
        longName: String?, shortName: String = "GATECH~1BUN", attributes: UInt8 = 0x20, contents: [UInt8], size: Int? = nil,
        checksumDelta: UInt8 = 0
    ) -> Int {
        let first = allocate(contents)
        let short = Array(shortName.utf8)
        if let longName {
            var units = Array(longName.utf16)
            let parts = (units.count + 12) / 13
            if units.count < parts * 13 { units.append(0) }
            units += Array(repeating: 0xFFFF, count: parts * 13 - units.count)
            var sum: UInt8 = 0
            for byte in short { sum = ((sum & 1) << 7) &+ (sum >> 1) &+ byte }
            for part in stride(from: parts, through: 1, by: -1) {
                var entry = [UInt8](repeating: 0, count: 32)
                entry[0] = UInt8(part) | (part == parts ? 0x40 : 0)
                entry[11] = 0x0F
                entry[13] = sum &+ checksumDelta
                for (index, offset) in [1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30].enumerated() {
                    let unit = units[(part - 1) * 13 + index]
                    entry[offset] = UInt8(unit & 0xFF)
                    entry[offset + 1] = UInt8(unit >> 8)
                }
                addRootEntry(entry)
            }
        }
        var entry = [UInt8](repeating: 0, count: 32)
        entry.replaceSubrange(0..<11, with: short)
        entry[11] = attributes
        entry[20] = UInt8((first >> 16) & 0xFF); entry[21] = UInt8(first >> 24)
        entry[26] = UInt8(first & 0xFF); entry[27] = UInt8((first >> 8) & 0xFF)
        let length = size ?? contents.count
        for index in 0..<4 { entry[28 + index] = UInt8(truncatingIfNeeded: length >> (8 * index)) }
        addRootEntry(entry)
        return first
    }

    /// The next free 32-byte slot of the root directory (on FAT32, within its first cluster).
    mutating func addRootEntry(_ entry: [UInt8]) {
        let offset = rootOffset + nextRootSlot * 32
        bytes.replaceSubrange(offset..<offset + 32, with: entry)
        nextRootSlot += 1
    }
}
