import Foundation
import GateCheckCrypto
import GateCheckTestSupport
import HealthCredentialsTesting
import Testing
import TrustStore

import Glibc

@Suite("Revocation tables")
struct RevocationTableTests {
    // MARK: Lookup

    @Test("members found, non-members and neighbours not", arguments: [0, 1, 2, 1000, 100_000])
    func lookup(count: Int) throws {
        var generator = SplitMix64(seed: 0xD0C0_0000 + UInt64(count))
        let hashes = (0..<count).map { _ in randomHash(&generator) }
        let bytes = try RevocationTableBuilder.build(hashes)
        #expect(bytes.count == count * 16)
        let members = Set(hashes)

        try withTemporaryDirectory { directory in
            let path = directory + "/table.bin"
            try write(bytes, to: path)
            let inMemory = try RevocationTable(bytes: bytes)
            let mapped = try RevocationTable(mapping: path, offset: 0, count: count, verifySorted: true)
            for table in [inMemory, mapped] {
                #expect(table.count == count)
                var probes = 0
                #expect(hashes.filter { !table.contains($0, probes: &probes) }.isEmpty)
                if count >= 1000 {
                    // Uniform hashes: interpolation should land within a few entries.
                    #expect(Double(probes) / Double(count) < 4, "average probes \(Double(probes) / Double(count))")
                }
                let outsiders = (0..<10_000).map { _ in randomHash(&generator) }.filter { !members.contains($0) }
                #expect(outsiders.count > 9_990)
                #expect(outsiders.filter { table.contains($0) }.isEmpty)
                let neighbours = hashes.prefix(2_000).flatMap { [adjusted($0, by: 1), adjusted($0, by: -1)] }
                    .filter { !members.contains($0) }
                #expect(neighbours.filter { table.contains($0) }.isEmpty)
                if let first = bytes.first(16), let last = bytes.last(16) {
                    #expect(table.contains(first) && table.contains(last))
                    #expect(!table.contains([UInt8](repeating: 0, count: 16)) || members.contains(Array(repeating: 0, count: 16)))
                    #expect(!table.contains([UInt8](repeating: 0xFF, count: 16)) || members.contains(Array(repeating: 0xFF, count: 16)))
                }
            }
        }
    }

    @Test("skewed and equal-prefix keys fall back to binary search and stay correct")
    func nonUniformKeys() throws {
        var generator = SplitMix64(seed: 7)
        // Keys crowded near zero with a few huge ones: interpolation guesses badly.
        let skewed = (0..<5_000).map { index -> [UInt8] in
            let high: UInt64 = index % 500 == 0 ? UInt64.max - UInt64(index) : UInt64(index) * UInt64(index)
            return bigEndian(high) + bigEndian(generator.next())
        }
        // All entries share the first 8 bytes: no slope at all.
        let samePrefix = (0..<5_000).map { _ in bigEndian(0x1234) + bigEndian(generator.next()) }
        for hashes in [skewed, samePrefix] {
            let table = try RevocationTable(bytes: try RevocationTableBuilder.build(hashes))
            var probes = 0
            #expect(hashes.allSatisfy { table.contains($0, probes: &probes) })
            // Bounded: at most the interpolation steps plus a binary search per lookup.
            #expect(probes <= hashes.count * (8 + 14))
            let members = Set(hashes)
            let neighbours = hashes.flatMap { [adjusted($0, by: 1), adjusted($0, by: -1)] }.filter { !members.contains($0) }
            #expect(!neighbours.isEmpty)
            #expect(neighbours.allSatisfy { !table.contains($0) })
        }
    }

    @Test("only exactly 16 bytes can match; any collection works")
    func hashShapes() throws {
        let hash = Array(0..<16).map(UInt8.init)
        let table = try RevocationTable(bytes: try RevocationTableBuilder.build([hash]))
        #expect(table.contains(hash))
        #expect(table.contains(([0xAA] + hash + [0xBB])[1..<17]))
        #expect(table.contains(hash.lazy.map { $0 }))
        #expect(!table.contains(Array(hash.prefix(15))))
        #expect(!table.contains(hash + [0]))
        #expect(!table.contains([UInt8]()))
    }

    // MARK: Building and validation

    @Test func duplicatesAreRemoved() throws {
        let a = [UInt8](repeating: 1, count: 16)
        let b = [UInt8](repeating: 2, count: 16)
        let bytes = try RevocationTableBuilder.build([b, a, b, a, a])
        #expect(bytes == a + b)
        #expect(try RevocationTable(bytes: bytes).count == 2)
    }

    @Test("hashes and tables of the wrong length are rejected", arguments: [0, 1, 15, 17, 32])
    func wrongLengths(length: Int) {
        let good = [UInt8](repeating: 3, count: 16)
        expectError(.badEntryLength) {
            try RevocationTableBuilder.build([good, [UInt8](repeating: 4, count: length)])
        }
        if length % 16 != 0 {
            expectError(.badEntryLength) {
                try RevocationTable(bytes: good + [UInt8](repeating: 4, count: length))
            }
        }
    }

    @Test("unsorted or duplicated entries fail validation")
    func unsorted() throws {
        var generator = SplitMix64(seed: 11)
        var bytes = try RevocationTableBuilder.build((0..<100).map { _ in randomHash(&generator) })
        var swapped = bytes
        swapped.replaceSubrange(16 * 40..<16 * 42, with: bytes[16 * 41..<16 * 42] + bytes[16 * 40..<16 * 41])
        var duplicated = bytes
        duplicated.replaceSubrange(16 * 99..<16 * 100, with: bytes[16 * 98..<16 * 99])
        for broken in [swapped, duplicated] {
            expectError(.notSorted) { try RevocationTable(bytes: broken) }
            try withTemporaryDirectory { directory in
                let path = directory + "/broken.bin"
                try write(broken, to: path)
                expectError(.notSorted) {
                    try RevocationTable(mapping: path, offset: 0, count: 100, verifySorted: true)
                }
                // Loading without the check is allowed (the check ran at install time); validateSorted still catches it.
                let unchecked = try RevocationTable(mapping: path, offset: 0, count: 100)
                expectError(.notSorted) { try unchecked.validateSorted() }
            }
        }
        bytes = try RevocationTableBuilder.build([])
        try RevocationTable(bytes: bytes).validateSorted()
    }

    // MARK: Mapping

    @Test("a table behind a header at an unaligned offset, and beyond the first page", arguments: [37, 4096 + 37])
    func unalignedOffset(header: Int) throws {
        var generator = SplitMix64(seed: 37)
        let hashes = (0..<1000).map { _ in randomHash(&generator) }
        let table = try RevocationTableBuilder.build(hashes)
        try withTemporaryDirectory { directory in
            let path = directory + "/with-header.bin"
            try write([UInt8](repeating: 0xEE, count: header) + table + [0xEE, 0xEE, 0xEE], to: path)
            let mapped = try RevocationTable(mapping: path, offset: header, count: 1000, verifySorted: true)
            #expect(hashes.allSatisfy { mapped.contains($0) })
            #expect(!mapped.contains([UInt8](repeating: 0xEE, count: 16)))
            try mapped.releaseResidentPages()
            #expect(hashes.allSatisfy { mapped.contains($0) })
            // One entry short of the trailer: the region must fit in the file.
            expectError(.outOfRange) {
                try RevocationTable(mapping: path, offset: header, count: 1001)
            }
        }
    }

    @Test func emptyRegionsMap() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/empty.bin"
            try write([], to: path)
            let empty = try RevocationTable(mapping: path, offset: 0, count: 0, verifySorted: true)
            #expect(empty.count == 0)
            #expect(!empty.contains([UInt8](repeating: 0, count: 16)))
            try empty.releaseResidentPages()
            expectError(.outOfRange) {
                try RevocationTable(mapping: path, offset: 1, count: 0)
            }
        }
    }

    @Test("regions outside the file or with impossible sizes are refused")
    func outOfRange() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/table.bin"
            try write(try RevocationTableBuilder.build([[UInt8](repeating: 9, count: 16)]), to: path)
            for (offset, count) in [(0, 2), (1, 1), (16, 1), (-1, 1), (0, -1), (0, Int.max / 8), (Int.max, 1)] {
                expectError(.outOfRange, "offset \(offset) count \(count)") {
                    try RevocationTable(mapping: path, offset: offset, count: count)
                }
            }
        }
    }

    @Test("symlinks, directories, FIFOs and missing files are refused")
    func unsafePaths() throws {
        try withTemporaryDirectory { directory in
            let target = directory + "/table.bin"
            try write(try RevocationTableBuilder.build([[UInt8](repeating: 9, count: 16)]), to: target)
            let link = directory + "/link.bin"
            #expect(symlink(target, link) == 0)
            expectError(.unreadable) {
                try RevocationTable(mapping: link, offset: 0, count: 1)
            }
            // A symlink above the last component is followed, like the trust store's `current` link.
            let linkedDirectory = directory + "/current"
            #expect(symlink(directory, linkedDirectory) == 0)
            #expect(try RevocationTable(mapping: linkedDirectory + "/table.bin", offset: 0, count: 1).count == 1)

            let fifo = directory + "/fifo"
            #expect(mkfifo(fifo, 0o600) == 0)
            expectError(.notARegularFile) {
                try RevocationTable(mapping: fifo, offset: 0, count: 0)
            }
            expectError(.notARegularFile) {
                try RevocationTable(mapping: directory, offset: 0, count: 0)
            }
            expectError(.unreadable) {
                try RevocationTable(mapping: directory + "/missing.bin", offset: 0, count: 0)
            }
        }
    }

    @Test func concurrentLookups() async throws {
        var generator = SplitMix64(seed: 99)
        let hashes = (0..<10_000).map { _ in randomHash(&generator) }
        let table = try RevocationTable(bytes: try RevocationTableBuilder.build(hashes))
        let found = await withTaskGroup(of: Int.self) { group in
            for part in 0..<4 {
                group.addTask { hashes[(part * 2_500)..<((part + 1) * 2_500)].filter { table.contains($0) }.count }
            }
            return await group.reduce(0, +)
        }
        #expect(found == 10_000)
    }

    // MARK: Hashes

    @Test func revocationHashes() {
        #expect(RevocationHash.uci("abc") == [UInt8](hex: "ba7816bf8f01cfea414140de5dae2223"))
        let uci = "URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B"
        #expect(RevocationHash.uci(uci) == Array(Digest.sha256(Array(uci.utf8)).prefix(16)))
        #expect(RevocationHash.countryCodeUCI(country: "AT", uci: uci) == Array(Digest.sha256(Array(("AT" + uci).utf8)).prefix(16)))
        #expect(RevocationHash.countryCodeUCI(country: "AT", uci: uci) != RevocationHash.uci(uci))
        let r = [UInt8](repeating: 0x11, count: 32)
        let s = [UInt8](repeating: 0x22, count: 32)
        // ECDSA: only r counts, so a different s gives the same hash.
        #expect(RevocationHash.signature(r + s, algorithmIsECDSA: true) == Array(Digest.sha256(r).prefix(16)))
        #expect(RevocationHash.signature(r + r, algorithmIsECDSA: true) == RevocationHash.signature(r + s, algorithmIsECDSA: true))
        // RSA: the whole signature.
        let rsa = (0..<256).map { UInt8($0) }
        #expect(RevocationHash.signature(rsa, algorithmIsECDSA: false) == Array(Digest.sha256(rsa).prefix(16)))
        #expect(RevocationHash.uci("").count == 16)
    }
}

// MARK: Helpers

private func randomHash(_ generator: inout SplitMix64) -> [UInt8] {
    bigEndian(generator.next()) + bigEndian(generator.next())
}

private func bigEndian(_ value: UInt64) -> [UInt8] {
    (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
}

/// The hash with its last byte moved by `delta`, wrapping.
private func adjusted(_ hash: [UInt8], by delta: Int8) -> [UInt8] {
    var copy = hash
    copy[15] = delta > 0 ? copy[15] &+ UInt8(delta) : copy[15] &- UInt8(-delta)
    return copy
}

private func write(_ bytes: [UInt8], to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

extension [UInt8] {
    fileprivate func first(_ length: Int) -> [UInt8]? { count >= length ? Array(prefix(length)) : nil }
    fileprivate func last(_ length: Int) -> [UInt8]? { count >= length ? Array(suffix(length)) : nil }
}

/// Expects `body` to throw a `RevocationTableError` with `code` (the detail text is not part of the contract).
private func expectError(
    _ code: RevocationTableError.Code, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Any
) {
    let error = #expect(throws: RevocationTableError.self, comment, sourceLocation: sourceLocation) { _ = try body() }
    #expect(error?.code == code, comment, sourceLocation: sourceLocation)
}
