import Glibc
import Foundation
import GateCheckCrypto
import GateCheckTestSupport
import HealthCredentials
import HealthCredentialsTesting
import Testing
@testable import TrustStore

/// Issue 3 §7: every rejection leaves the installed store byte-identical (names and bytes, no
/// leftover temporary files).
@Suite("Bundle rejections leave the store untouched")
struct BundleRejectionTests {
    /// A state directory holding a good bundle of sequence 5, and a "USB stick" folder beside it.
    final class Installed {
        let temporary: TemporaryDirectory
        let store: TrustStoreDirectory
        let stick: String
        let goodBytes: [UInt8]

        init(sequence: UInt64 = 5) throws {
            temporary = try TemporaryDirectory("rejection")
            store = TrustStoreDirectory(path: temporary.file("state"))
            stick = try temporary.directory("stick")
            goodBytes = try TSFixture.bundle(sequence: sequence)
            let good = stick + "/good.bundle"
            try TSDirectory.write(goodBytes, to: good)
            try store.install(from: good, anchors: TSPKI.shared.anchors, now: Date())
            #expect(store.installedSequence() == sequence)
        }

        @discardableResult
        func offer(_ name: String, _ bytes: [UInt8]) throws -> String {
            let path = stick + "/" + name
            try TSDirectory.write(bytes, to: path)
            return path
        }

        /// Attempts the import of `path`, expects `code`, and checks the state directory did not change.
        @discardableResult
        func expectRefusal(
            _ path: String, _ code: TrustStoreError.Code, _ comment: String = "",
            sourceLocation: SourceLocation = #_sourceLocation
        ) throws -> TrustStoreError? {
            let before = try TSDirectory.snapshot(store.path)
            #expect(before["trust.sequence"] != nil, "the fixture has an installed store", sourceLocation: sourceLocation)
            let error = expectTrustStoreError(code, comment, sourceLocation: sourceLocation) {
                try store.install(from: path, anchors: TSPKI.shared.anchors, now: Date())
            }
            let after = try TSDirectory.snapshot(store.path)
            #expect(Set(after.keys) == Set(before.keys), "files changed: \(before.keys.sorted()) -> \(after.keys.sorted()) \(comment)",
                    sourceLocation: sourceLocation)
            #expect(after == before, "the store is not byte-identical after a refused import \(comment)", sourceLocation: sourceLocation)
            return error
        }
    }

    @Test("tampered manifest: bad-signature")
    func tamperedManifest() throws {
        let fixture = try Installed()
        for fraction in [0.0, 0.3, 0.5, 0.99] {
            let bad = TSFixture.flippingByte(in: .manifest, of: try TSFixture.bundle(sequence: 6), at: fraction)
            try fixture.expectRefusal(try fixture.offer("manifest.bundle", bad), .badSignature, "byte at \(fraction)")
        }
    }

    @Test("tampered manifest with a higher sequence (still signed as 6): bad-signature")
    func manifestSequenceRewritten() throws {
        let fixture = try Installed()
        let good = try TSFixture.bundle(sequence: 6)
        let entry = try #require(TSFixture.entry(good, .manifest))
        var manifest = String(decoding: good[entry.offset..<(entry.offset + entry.length)], as: UTF8.self)
        manifest = manifest.replacingOccurrences(of: "\"sequence\" : 6", with: "\"sequence\" : 9")
        try #require(manifest.utf8.count == entry.length && manifest.contains("\"sequence\" : 9"))
        var bad = good
        bad.replaceSubrange(entry.offset..<(entry.offset + entry.length), with: Array(manifest.utf8))
        try fixture.expectRefusal(try fixture.offer("sequence.bundle", bad), .badSignature)
    }

    @Test("tampered signature value: bad-signature")
    func tamperedSignature() throws {
        let fixture = try Installed()
        let good = try TSFixture.bundle(sequence: 6)
        // The last bytes of the CMS are the ECDSA signature value.
        let bad = TSFixture.flippingByte(in: .signature, of: good, at: 0.999)
        try fixture.expectRefusal(try fixture.offer("signature.bundle", bad), .badSignature)
    }

    @Test("tampered payload file: hash-mismatch", arguments: [BundleSection.signers, .revokedUCI, .revokedCountryUCI, .revokedSignature])
    func tamperedPayload(section: BundleSection) throws {
        let fixture = try Installed()
        for fraction in [0.0, 0.5, 0.999] {
            let bad = TSFixture.flippingByte(in: section, of: try TSFixture.bundle(sequence: 6), at: fraction)
            try fixture.expectRefusal(try fixture.offer("payload.bundle", bad), .hashMismatch, "\(section) at \(fraction)")
        }
    }

    @Test("truncated bundle: malformed at every kind of cut point")
    func truncated() throws {
        let fixture = try Installed()
        let good = try TSFixture.bundle(sequence: 6)
        let entries = TSFixture.entries(good)
        let signers = try #require(TSFixture.entry(good, .signers))
        let cuts = [
            0, 1, 10, 15, 16,
            16 + 48 + 20,  // mid-table
            16 + 48 * entries.count - 1,  // table minus a byte
            16 + 48 * entries.count,  // table only
            entries[0].offset + entries[0].length / 2,  // mid-manifest
            signers.offset + signers.length / 2,  // mid-section
            good.count / 2, good.count - 17, good.count - 1,  // last byte missing
        ]
        for cut in cuts {
            let error = try fixture.expectRefusal(try fixture.offer("truncated.bundle", Array(good.prefix(cut))), .malformed, "cut at \(cut)")
            #expect(error?.code != .tooLarge)
        }
    }

    @Test("bytes appended after the last section: malformed")
    func appended() throws {
        let fixture = try Installed()
        let good = try TSFixture.bundle(sequence: 6)
        for extra in [[UInt8](repeating: 0, count: 1), [UInt8](repeating: 0, count: 16), Array("HELLO".utf8)] {
            try fixture.expectRefusal(try fixture.offer("appended.bundle", good + extra), .malformed, "\(extra.count) extra bytes")
        }
    }

    @Test("signed by a leaf of an unrelated root: unknown-signer")
    func wrongSigner() throws {
        let fixture = try Installed()
        try fixture.expectRefusal(try fixture.offer("stranger.bundle", try TSFixture.bundle(sequence: 6, signer: .stranger)), .unknownSigner)
    }

    @Test("no anchors at all: unknown-signer")
    func noAnchors() throws {
        let fixture = try Installed()
        let path = try fixture.offer("good6.bundle", try TSFixture.bundle(sequence: 6))
        let before = try TSDirectory.snapshot(fixture.store.path)
        expectTrustStoreError(.unknownSigner) { try fixture.store.install(from: path, anchors: [], now: Date()) }
        #expect(try TSDirectory.snapshot(fixture.store.path) == before)
    }

    @Test("signer certificate expired: signer-expired")
    func expiredSigner() throws {
        let fixture = try Installed()
        try fixture.expectRefusal(try fixture.offer("expired.bundle", try TSFixture.bundle(sequence: 6, signer: .expired)), .signerExpired)
    }

    @Test("a good signer at an import time before its notBefore: signer-expired")
    func signerNotYetValid() throws {
        let fixture = try Installed()
        let path = try fixture.offer("good6.bundle", try TSFixture.bundle(sequence: 6))
        let before = try TSDirectory.snapshot(fixture.store.path)
        expectTrustStoreError(.signerExpired) {
            try fixture.store.install(from: path, anchors: TSPKI.shared.anchors, now: TSPKI.validFrom.addingTimeInterval(-86_400))
        }
        #expect(try TSDirectory.snapshot(fixture.store.path) == before)
    }

    @Test("rollback: equal and lower sequence", arguments: [UInt64(5), 4, 1, 0])
    func rollback(sequence: UInt64) throws {
        let fixture = try Installed()
        try fixture.expectRefusal(try fixture.offer("old.bundle", try TSFixture.bundle(sequence: sequence)), .rollback, "sequence \(sequence)")
    }

    @Test("replaying the very bundle that is installed: rollback")
    func replay() throws {
        let fixture = try Installed()
        try fixture.expectRefusal(try fixture.offer("same.bundle", fixture.goodBytes), .rollback)
    }

    @Test("rollback after trust.bundle is deleted: the high-water mark survives")
    func rollbackAfterWipe() throws {
        let fixture = try Installed()
        try FileManager.default.removeItem(atPath: fixture.store.bundlePath)
        #expect(fixture.store.installedSequence() == 5)
        expectTrustStoreError(.notInstalled) { _ = try fixture.store.load(anchors: TSPKI.shared.anchors) }
        for sequence: UInt64 in [5, 4, 1] {
            try fixture.expectRefusal(try fixture.offer("old.bundle", try TSFixture.bundle(sequence: sequence)), .rollback, "sequence \(sequence)")
        }
        // And a newer one still installs.
        try fixture.store.install(from: try fixture.offer("new.bundle", try TSFixture.bundle(sequence: 6)), anchors: TSPKI.shared.anchors, now: Date())
        #expect(fixture.store.installedSequence() == 6)
    }

    @Test("oversized: a sparse file above the 1 GiB limit is refused before it is read")
    func oversizedFile() throws {
        let fixture = try Installed()
        let path = fixture.stick + "/huge.bundle"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(fd >= 0)
        // A real bundle header, then holes up to the limit plus one byte.
        let good = try TSFixture.bundle(sequence: 6)
        _ = good.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
        #expect(ftruncate(fd, off_t(BundleLayout.maximumFileSize + 1)) == 0)
        close(fd)
        let started = Date()
        try fixture.expectRefusal(path, .tooLarge)
        #expect(Date().timeIntervalSince(started) < 5, "the size cap must be checked before reading")
    }

    @Test("oversized: a header declaring a section larger than its cap", arguments: [BundleSection.manifest, .signature, .signers, .revokedUCI])
    func oversizedSection(section: BundleSection) throws {
        let fixture = try Installed()
        var bad = try TSFixture.bundle(sequence: 6)
        let entry = try #require(TSFixture.entry(bad, section))
        TSFixture.writeUInt64(UInt64(section.maximumLength) + 1, into: &bad, at: entry.entryOffset + 32)
        try fixture.expectRefusal(try fixture.offer("section.bundle", bad), .tooLarge, "\(section)")
        // A huge length (would overflow offset + length) is refused too, not trapped on.
        TSFixture.writeUInt64(UInt64.max, into: &bad, at: entry.entryOffset + 32)
        try fixture.expectRefusal(try fixture.offer("section.bundle", bad), .tooLarge, "\(section) UInt64.max")
    }

    @Test("a section offset pointing elsewhere or far past the end: malformed")
    func badOffsets() throws {
        let fixture = try Installed()
        let good = try TSFixture.bundle(sequence: 6)
        let entry = try #require(TSFixture.entry(good, .signers))
        for offset in [UInt64(0), UInt64(entry.offset + 16), UInt64(Int.max), UInt64.max] {
            var bad = good
            TSFixture.writeUInt64(offset, into: &bad, at: entry.entryOffset + 24)
            try fixture.expectRefusal(try fixture.offer("offset.bundle", bad), .malformed, "offset \(offset)")
        }
    }

    @Test("not a bundle: wrong magic, version, section count, unknown section name: malformed")
    func badHeader() throws {
        let fixture = try Installed()
        let good = try TSFixture.bundle(sequence: 6)
        var mutations: [(String, [UInt8])] = []
        var magic = good; magic[0] = UInt8(ascii: "X"); mutations.append(("magic", magic))
        var version = good; version[11] = 2; mutations.append(("version", version))
        var zero = good; zero[15] = 0; mutations.append(("zero sections", zero))
        var many = good; many[15] = 17; mutations.append(("17 sections", many))
        var name = good; name[16] = UInt8(ascii: "X"); mutations.append(("section name", name))
        var reserved = good; reserved[16 + 40] = 1; mutations.append(("reserved bytes", reserved))
        mutations.append(("text file", Array("HC1:this is not a bundle\n".utf8)))
        for (label, bytes) in mutations {
            try fixture.expectRefusal(try fixture.offer("header.bundle", bytes), .malformed, label)
        }
    }

    @Test("symlinked bundle: unsafe-file")
    func symlinkedBundle() throws {
        let fixture = try Installed()
        let target = try fixture.offer("good6.bundle", try TSFixture.bundle(sequence: 6))
        let link = fixture.stick + "/link.bundle"
        try #require(symlink(target, link) == 0)
        try fixture.expectRefusal(link, .unsafeFile)
        // A relative link too.
        let relative = fixture.stick + "/relative.bundle"
        try #require(symlink("good6.bundle", relative) == 0)
        try fixture.expectRefusal(relative, .unsafeFile)
        // The target itself installs: the refusal was about the link.
        try fixture.store.install(from: target, anchors: TSPKI.shared.anchors, now: Date())
        #expect(fixture.store.installedSequence() == 6)
    }

    @Test("bundle inside a directory symlink: unsafe-file")
    func bundleInsideDirectorySymlink() throws {
        let fixture = try Installed()
        let real = try fixture.temporary.directory("real-dir")
        try TSDirectory.write(try TSFixture.bundle(sequence: 6), to: real + "/good6.bundle")
        let link = fixture.temporary.file("dir-link")
        try #require(symlink(real, link) == 0)
        try fixture.expectRefusal(link + "/good6.bundle", .unsafeFile)
        // Deeper: a link in the middle of the path.
        try FileManager.default.createDirectory(atPath: real + "/sub", withIntermediateDirectories: true)
        try TSDirectory.write(try TSFixture.bundle(sequence: 6), to: real + "/sub/good6.bundle")
        try fixture.expectRefusal(link + "/sub/good6.bundle", .unsafeFile)
        // The real path installs.
        try fixture.store.install(from: real + "/good6.bundle", anchors: TSPKI.shared.anchors, now: Date())
        #expect(fixture.store.installedSequence() == 6)
    }

    @Test("'..' in the path: unsafe-file")
    func dotDot() throws {
        let fixture = try Installed()
        try fixture.offer("good6.bundle", try TSFixture.bundle(sequence: 6))
        try fixture.expectRefusal(fixture.stick + "/../stick/good6.bundle", .unsafeFile)
    }

    @Test("a directory given as the bundle: unsafe-file")
    func directoryAsBundle() throws {
        let fixture = try Installed()
        let directory = try fixture.temporary.directory("stick/dir.bundle")
        try fixture.expectRefusal(directory, .unsafeFile)
    }

    @Test("a character device given as the bundle: unsafe-file")
    func deviceAsBundle() throws {
        let fixture = try Installed()
        try fixture.expectRefusal("/dev/null", .unsafeFile)
        try fixture.expectRefusal("/dev/zero", .unsafeFile)
    }

    @Test("a FIFO given as the bundle: unsafe-file, without hanging")
    func fifoAsBundle() throws {
        let fixture = try Installed()
        let fifo = fixture.stick + "/fifo.bundle"
        try #require(mkfifo(fifo, 0o644) == 0)
        let before = try TSDirectory.snapshot(fixture.store.path)
        let store = fixture.store
        let anchors = TSPKI.shared.anchors
        let done = DispatchSemaphore(value: 0)
        let outcome = Shared<String?>(nil)
        Thread.detachNewThread {
            do {
                try store.install(from: fifo, anchors: anchors, now: Date())
                outcome.withLock { $0 = "installed" }
            } catch let error as TrustStoreError {
                outcome.withLock { $0 = error.code.description }
            } catch {
                outcome.withLock { $0 = "\(error)" }
            }
            done.signal()
        }
        let finished = done.wait(timeout: .now() + 10) == .success
        if !finished {
            // Unblock the import so the test process can finish: open the FIFO for writing and close it.
            let writer = open(fifo, O_WRONLY | O_NONBLOCK)
            if writer >= 0 { close(writer) }
            _ = done.wait(timeout: .now() + 10)
        }
        #expect(finished, "installing from a FIFO hung")
        #expect(outcome.withLock { $0 } == TrustStoreError.Code.unsafeFile.description)
        #expect(try TSDirectory.snapshot(fixture.store.path) == before)
    }

    @Test("an extra section not listed in the manifest: hash-mismatch")
    func extraSection() throws {
        let fixture = try Installed()
        let sections = TSFixture.sections(try TSFixture.bundle(sequence: 6))
        for extra in [BundleSection.rules, .valueSets] {
            let bad = BundleLayout.encode(sections + [(extra, Array("{}".utf8))])
            try fixture.expectRefusal(try fixture.offer("extra.bundle", bad), .hashMismatch, "extra \(extra)")
            // An empty extra section too.
            let empty = BundleLayout.encode(sections + [(extra, [])])
            try fixture.expectRefusal(try fixture.offer("extra.bundle", empty), .hashMismatch, "empty extra \(extra)")
        }
    }

    @Test("a manifest file missing from the sections: hash-mismatch", arguments: [BundleSection.signers, .revokedUCI, .revokedSignature])
    func missingSection(section: BundleSection) throws {
        let fixture = try Installed()
        let sections = TSFixture.sections(try TSFixture.bundle(sequence: 6)).filter { $0.0 != section }
        try fixture.expectRefusal(try fixture.offer("missing.bundle", BundleLayout.encode(sections)), .hashMismatch, "without \(section)")
    }

    @Test("sections swapped between two validly signed bundles: hash-mismatch")
    func sectionsSwapped() throws {
        let fixture = try Installed()
        let first = TSFixture.sections(try TSFixture.bundle(sequence: 6, seed: 1))
        let second = TSFixture.sections(try TSFixture.bundle(sequence: 7, seed: 2))
        let mixed = first.map { section, bytes in
            section == .revokedCountryUCI ? (section, second.first { $0.0 == section }!.1) : (section, bytes)
        }
        try fixture.expectRefusal(try fixture.offer("mixed.bundle", BundleLayout.encode(mixed)), .hashMismatch)
    }

    @Test("no manifest or no signature section: malformed")
    func missingManifestOrSignature() throws {
        let fixture = try Installed()
        let sections = TSFixture.sections(try TSFixture.bundle(sequence: 6))
        for dropped in [BundleSection.manifest, .signature] {
            try fixture.expectRefusal(
                try fixture.offer("bare.bundle", BundleLayout.encode(sections.filter { $0.0 != dropped })), .malformed, "without \(dropped)")
        }
    }

    @Test("signed contents that do not parse: bad-contents")
    func badContents() throws {
        let fixture = try Installed()
        // An unsorted revocation table and a signers section of the wrong shape, each properly listed and signed.
        var generator = SplitMix64(seed: 99)
        let hashes = (0..<8).map { _ in TSFixture.randomHash16(&generator) }.sorted { $0.lexicographicallyPrecedes($1) }
        let unsorted = Array(hashes.reversed().joined())
        let cases: [(String, [(BundleSection, [UInt8])])] = [
            ("unsorted table", [(.signers, SignerRecords(TSFixture.issuers.map(\.signer)).encoded()), (.revokedUCI, unsorted)]),
            ("ragged table", [(.revokedUCI, Array(hashes.joined()) + [1, 2, 3])]),
            ("signers not JSON", [(.signers, Array("not json".utf8))]),
            ("signer certificate garbage", [(.signers, Array(#"{"signers":[{"kid":"AAAAAAAAAAA=","certificate":"AAAA"}]}"#.utf8))]),
        ]
        for (label, sections) in cases {
            let bytes = try Self.signed(sections, sequence: 6)
            try fixture.expectRefusal(try fixture.offer("contents.bundle", bytes), .badContents, label)
        }
    }

    @Test("a properly signed manifest that is not valid (notAfter before issuedAt, wrong format): malformed")
    func invalidManifest() throws {
        let fixture = try Installed()
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let backwards = try Self.signed([], sequence: 6, issuedAt: now, notAfter: now.addingTimeInterval(-1))
        try fixture.expectRefusal(try fixture.offer("backwards.bundle", backwards), .malformed, "notAfter before issuedAt")
        let future = try Self.signed([], sequence: 6, format: 2)
        try fixture.expectRefusal(try fixture.offer("format.bundle", future), .malformed, "format 2")
    }

    /// A bundle of arbitrary sections with a correct manifest and signature (via the internal encoders).
    static func signed(
        _ sections: [(BundleSection, [UInt8])], sequence: UInt64, issuedAt: Date? = nil, notAfter: Date? = nil, format: Int = BundleManifest.currentFormat,
        base: BundleManifest.Base? = nil
    ) throws -> [UInt8] {
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down) - 3_600)
        let manifest = BundleManifest(
            format: format, sequence: sequence, issuedAt: issuedAt ?? now, notAfter: notAfter ?? now.addingTimeInterval(30 * 86_400),
            producer: "gatecheck-tests",
            files: sections.map { BundleManifest.File(name: $0.0.rawValue, length: $0.1.count, sha256: TrustBundleBuilder.hex(Digest.sha256($0.1))) },
            base: base
        ).encoded()
        let pki = TSPKI.shared
        let signature = try CMSSignature.sign(manifest, key: pki.signingKey, certificate: pki.signingCertificate)
        return BundleLayout.encode([(.manifest, manifest), (.signature, signature)] + sections)
    }
}
