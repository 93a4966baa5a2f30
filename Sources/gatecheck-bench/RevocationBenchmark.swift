import Foundation
import SystemCalls
import SystemPackage
import TrustStore

import Glibc

// Revocation table benchmark (`gatecheck-bench --revocation`): lookup time, probes per lookup and
// the process's resident memory with an empty and with a large memory-mapped table.
//
// The table file is written streaming (never more than 1/64 of it in the heap) from entries that
// can be recomputed from their index, so the benchmark holds no copy of the table while measuring.
// The query and timing buffers are allocated and touched before the first memory reading, so the
// RSS deltas are the table's alone.

/// Writes a table of `entries` uniform random 16-byte entries to a temporary file, maps it and
/// reports lookup times, probes and RSS; deletes the file afterwards.
func runRevocationBenchmark(entries: Int) {
    precondition(entries > 0, "entries must be positive")
    let lookups = 1_000_000
    let directory = FileManager.default.temporaryDirectory.path
    let path = "\(directory)/gatecheck-revocation-\(UUID().uuidString).bin"
    let emptyPath = path + ".empty"
    defer {
        try? Files.remove(path)
        try? Files.remove(emptyPath)
    }

    // Queries: even slots are members (recomputed from a random index), odd slots random hashes.
    var queries = [UInt8](repeating: 0, count: lookups * 16)
    var timings = [UInt32](repeating: 0, count: lookups)
    var sorted = [UInt32](repeating: 0, count: lookups)
    var random = RevocationBenchmarkMix(state: 0x5EED)
    for query in 0..<lookups {
        let (high, low) = query % 2 == 0
            ? revocationBenchmarkEntry(Int(random.next() % UInt64(entries))) : (random.next(), random.next())
        revocationBenchmarkStore(high, low, into: &queries, at: query * 16)
    }

    print("GateCheck revocation table benchmark: \(entries) entries, \(lookups) lookups (half members)")
    let writeStart = ContinuousClock.now
    revocationBenchmarkWriteTable(entries: entries, to: path)
    revocationBenchmarkWriteTable(entries: 0, to: emptyPath)
    print("table file: \(entries * 16 / 1_000_000) MB written in \(ContinuousClock.now - writeStart)")

    let before = revocationBenchmarkMemory()
    revocationBenchmarkPrintMemory("before mapping (query/timing buffers already resident)", before, nil)
    let empty: RevocationTable
    let table: RevocationTable
    do {
        empty = try RevocationTable(mapping: emptyPath, offset: 0, count: 0)
        revocationBenchmarkPrintMemory("empty table mapped", revocationBenchmarkMemory(), before)
        let mapStart = ContinuousClock.now
        table = try RevocationTable(mapping: path, offset: 0, count: entries)
        print("map \(entries) entries: \(ContinuousClock.now - mapStart)")
        revocationBenchmarkPrintMemory("\(entries) entries mapped, no lookups", revocationBenchmarkMemory(), before)
    } catch {
        fatalError("mapping failed: \(error)")
    }
    precondition(!empty.contains([UInt8](repeating: 0, count: 16)))

    // Each lookup is timed alone; the clock pair itself costs about `timerOverhead`.
    var timerOverhead: [UInt32] = (0..<10_000).map { _ in
        let start = revocationBenchmarkNanoseconds()
        return UInt32(clamping: revocationBenchmarkNanoseconds() - start)
    }
    timerOverhead.sort()
    print("clock_gettime pair overhead (median): \(timerOverhead[timerOverhead.count / 2]) ns, included below")

    for pass in ["first pass (cold mapping)", "second pass (same queries again)"] {
        var probes = 0
        var found = [0, 0]
        let passStart = revocationBenchmarkNanoseconds()
        queries.withUnsafeBufferPointer { all in
            for query in 0..<lookups {
                let hash = UnsafeBufferPointer(rebasing: all[(query * 16)..<(query * 16 + 16)])
                let start = revocationBenchmarkNanoseconds()
                let hit = table.contains(hash, probes: &probes)
                timings[query] = UInt32(clamping: revocationBenchmarkNanoseconds() - start)
                if hit { found[query % 2] += 1 }
            }
        }
        let passNanoseconds = revocationBenchmarkNanoseconds() - passStart
        precondition(found[0] == lookups / 2, "a member was not found")
        sorted.withUnsafeMutableBufferPointer { buffer in
            _ = buffer.update(fromContentsOf: timings)
            buffer.sort()
        }
        let mean = Double(timings.reduce(0) { $0 + Int($1) }) / Double(lookups)
        print(pass + ":")
        print(String(
            format: "  lookup median %.0f ns, mean %.0f ns, p99 %.1f µs, max %.1f µs; loop %.0f ns/lookup",
            Double(sorted[lookups / 2]), mean, Double(sorted[lookups * 99 / 100]) / 1000, Double(sorted[lookups - 1]) / 1000,
            Double(passNanoseconds) / Double(lookups)))
        print(String(
            format: "  probes %.2f per lookup; members found %d/%d, non-members found %d/%d",
            Double(probes) / Double(lookups), found[0], lookups / 2, found[1], lookups / 2))
        revocationBenchmarkPrintMemory("  after this pass", revocationBenchmarkMemory(), before)
    }
    do {
        try table.releaseResidentPages()
    } catch {
        fatalError("releaseResidentPages failed: \(error)")
    }
    revocationBenchmarkPrintMemory("after releaseResidentPages()", revocationBenchmarkMemory(), before)
    print("RssAnon is the process's own memory; RssFile is clean page cache the kernel can reclaim.")
}

/// SplitMix64: a bijective mix of a counter, so entry highs are distinct and uniform.
private struct RevocationBenchmarkMix {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Entry `index` of the benchmark table (unsorted order): distinct highs because the mix is a bijection.
private func revocationBenchmarkEntry(_ index: Int) -> (UInt64, UInt64) {
    (RevocationBenchmarkMix.mix(UInt64(index)), RevocationBenchmarkMix.mix(UInt64(index) ^ 0xFFFF_0000_FFFF_0000))
}

private func revocationBenchmarkStore(_ high: UInt64, _ low: UInt64, into bytes: inout [UInt8], at offset: Int) {
    for shift in 0..<8 {
        bytes[offset + shift] = UInt8(truncatingIfNeeded: high >> (56 - 8 * shift))
        bytes[offset + 8 + shift] = UInt8(truncatingIfNeeded: low >> (56 - 8 * shift))
    }
}

/// Writes the sorted table in 64 passes, one per range of the top 6 bits, so only about 1/64 of
/// the entries are ever in memory.
private func revocationBenchmarkWriteTable(entries: Int, to path: String) {
    let descriptor: FileDescriptor
    do {
        descriptor = try Files.open(path, .writeOnly, options: [.create, .exclusiveCreate, .closeOnExec], permissions: .ownerReadWrite)
    } catch {
        preconditionFailure("\(error)")
    }
    defer { SystemCall.close(descriptor) }
    let passes = entries > 0 ? 64 : 0
    for pass in 0..<passes {
        var chunk: [(UInt64, UInt64)] = []
        chunk.reserveCapacity(entries / passes + entries / passes / 8)
        for index in 0..<entries {
            let entry = revocationBenchmarkEntry(index)
            if Int(entry.0 >> 58) == pass { chunk.append(entry) }
        }
        chunk.sort { $0 < $1 }
        var bytes = [UInt8](repeating: 0, count: chunk.count * 16)
        for (position, entry) in chunk.enumerated() {
            revocationBenchmarkStore(entry.0, entry.1, into: &bytes, at: position * 16)
        }
        do {
            try Files.writeAll(descriptor, path, bytes)
        } catch {
            preconditionFailure("\(error)")
        }
    }
}

private func revocationBenchmarkNanoseconds() -> Int {
    var now = timespec()
    precondition(clock_gettime(CLOCK_MONOTONIC, &now) == 0, "clock_gettime: errno \(errno)")
    return now.tv_sec * 1_000_000_000 + now.tv_nsec
}

/// VmRSS, RssAnon and RssFile of this process in MB, from /proc/self/status.
private func revocationBenchmarkMemory() -> (rss: Double, anon: Double, file: Double) {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0, 0) }
    func field(_ name: String) -> Double {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }),
              let kilobytes = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap({ Double($0) })
        else { return 0 }
        return kilobytes / 1024
    }
    return (field("VmRSS"), field("RssAnon"), field("RssFile"))
}

private func revocationBenchmarkPrintMemory(
    _ label: String, _ memory: (rss: Double, anon: Double, file: Double), _ baseline: (rss: Double, anon: Double, file: Double)?
) {
    var line = String(format: "%@: VmRSS %.1f MB (RssAnon %.1f, RssFile %.1f)", label, memory.rss, memory.anon, memory.file)
    if let baseline {
        line += String(format: "; Δ VmRSS %+.1f MB (anon %+.1f, file %+.1f)",
                       memory.rss - baseline.rss, memory.anon - baseline.anon, memory.file - baseline.file)
    }
    print(line)
}
