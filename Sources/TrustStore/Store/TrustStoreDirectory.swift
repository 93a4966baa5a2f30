import AdmissionRules
import FoundationEssentials
import GateCheckCrypto
import SystemPackage

/// The trust store on disk, in the state directory (default `/var/lib/gatecheck`):
///
/// - `trust.bundle`: the installed bundle, a verified copy, replaced only by `rename`;
/// - `trust.delta`: optionally, a delta bundle on that base (added and removed revocation entries, every other
///   section in full), replaced only by `rename`, removed when a full bundle is installed;
/// - `trust.sequence`: the highest sequence ever installed, kept apart so that deleting the bundle
///   does not reopen the door to older ones;
/// - `clock.high-water`: the latest time the device has seen, for trusted time.
///
/// An install copies the offered bundle into the directory first and verifies the copy, so a USB
/// stick that changes under us cannot slip anything past the checks. Every write goes to a
/// temporary file that is fsynced, renamed into place, and made durable with an fsync of the
/// directory: after a crash the store holds the old bundle or the new one, never a mix.
public struct TrustStoreDirectory: Sendable {
    public static let defaultPath = "/var/lib/gatecheck"
    /// The largest bundle file an install accepts.
    public static let maximumBundleSize = BundleLayout.maximumFileSize

    public let path: String

    public init(path: String = TrustStoreDirectory.defaultPath) {
        self.path = path
    }

    public var bundlePath: String { path + "/trust.bundle" }
    public var deltaPath: String { path + "/trust.delta" }
    var sequencePath: String { path + "/trust.sequence" }
    var clockPath: String { path + "/clock.high-water" }
    private static let temporaryPrefix = ".tmp-"

    // MARK: Install

    /// Verifies the bundle at `source` and installs it. Throws, changing nothing, on any problem.
    @discardableResult
    public func install(from source: String, anchors: [Certificate], now: Date) throws(TrustStoreError) -> VerifiedBundle {
        try install(describedAs: source, anchors: anchors, now: now) { (output, temporary) throws(TrustStoreError) in
            try copyFile(source, to: output, targetPath: temporary)
        }
    }

    /// The one install: `writeCopy` writes the offered bundle (from a file, or a stick's FAT volume)
    /// into a new temporary file in the directory; that copy is verified and renamed into place.
    /// `source` names the offer in refusals.
    func install(
        describedAs source: String, anchors: [Certificate], now: Date,
        writeCopy: (_ output: Int32, _ outputPath: String) throws(TrustStoreError) -> Void
    ) throws(TrustStoreError) -> VerifiedBundle {
        try TrustFiles.createDirectory(path)
        // One writer at a time: two imports must not both pass the sequence check.
        let lock = try exclusiveLock()
        defer { TrustFiles.close(lock) }
        removeLeftoverTemporaryFiles()
        let temporary = try copyIntoDirectory(writeCopy)
        var sequenceTemporary: String?
        do {
            let verifier = TrustBundleVerifier(anchors: anchors, minimumSequence: installedSequence(), signerValidityTime: now)
            let bundle = try verifier.verify(path: temporary)
            if let base = bundle.manifest.base { try requireInstalledBase(base, for: temporary) }
            // Every byte is written before anything is renamed: a full partition refuses the import with
            // the installed files untouched (renames need no space).
            let sequence = bundle.manifest.sequence
            sequenceTemporary = (recordedSequence() ?? 0) < sequence ? try writeTemporary(Array("\(sequence)\n".utf8)) : nil
            try TrustFiles.rename(temporary, bundle.manifest.isDelta ? deltaPath : bundlePath)
            try TrustFiles.fsyncDirectory(path)
            if !bundle.manifest.isDelta, TrustFiles.exists(deltaPath) {
                // The old delta names the old base: left behind by a crash, `load` ignores it.
                TrustFiles.removeIfPresent(deltaPath)
                try TrustFiles.fsyncDirectory(path)
            }
            // After the bundle: a crash in between leaves a mark below the bundle, which `load` repairs.
            if let sequenceTemporary {
                try TrustFiles.rename(sequenceTemporary, sequencePath)
                try TrustFiles.fsyncDirectory(path)
            }
            return bundle
        } catch {
            TrustFiles.removeIfPresent(temporary)
            if let sequenceTemporary { TrustFiles.removeIfPresent(sequenceTemporary) }
            // Report the file the technician offered, not our private copy of it.
            throw TrustStoreError(error.code, error.detail.replacing(temporary, with: source))
        }
    }

    /// The sequence a new bundle must exceed: the high-water mark or the installed bundle's or delta's, whichever is highest.
    public func installedSequence() -> UInt64? {
        let marks = [recordedSequence(), installedManifest(bundlePath)?.sequence, installedManifest(deltaPath)?.sequence].compactMap { $0 }
        return marks.max()
    }

    /// A delta installs only on the base it was made from; anything else needs the full bundle.
    private func requireInstalledBase(_ base: BundleManifest.Base, for offered: String) throws(TrustStoreError) {
        let installed = installedManifest(bundlePath)
        guard let fd = try? TrustFiles.openRegularFileForReading(bundlePath) else {
            throw TrustStoreError(.deltaBaseMismatch, "\(offered): a delta of base sequence \(base.sequence), and no full bundle is installed")
        }
        defer { TrustFiles.close(fd) }
        guard (try? TrustBundleInspection.manifestSHA256(fd, path: bundlePath)) == base.sha256 else {
            let have = installed.map { "sequence \($0.sequence)" } ?? "unreadable"
            throw TrustStoreError(
                .deltaBaseMismatch, "\(offered): a delta of base sequence \(base.sequence), but the installed base (\(have)) is another bundle")
        }
    }

    // MARK: Load

    /// The installed trust, verified again (signature, hashes, contents) and with its tables mapped.
    /// The signer's chain is checked at the bundle's issuedAt: a bundle stays usable until its own
    /// notAfter even when the signing certificate expires in between.
    public func load(anchors: [Certificate]) throws(TrustStoreError) -> InstalledTrust {
        guard TrustFiles.exists(bundlePath) else {
            throw TrustStoreError(.notInstalled, "no trust store in \(path)")
        }
        // One open file for the checks and the mapping: an import renaming a new bundle into
        // place meanwhile cannot mix two bundles.
        let fd = try TrustFiles.openRegularFileForReading(bundlePath)
        defer { TrustFiles.close(fd) }
        let verifier = TrustBundleVerifier(anchors: anchors, minimumSequence: nil, signerValidityTime: nil)
        let base = try verifier.verify(fileDescriptor: fd, path: bundlePath)
        guard !base.manifest.isDelta else { throw TrustStoreError(.malformed, "\(bundlePath) is a delta bundle, not a full one") }

        // The delta, if any, applies only to the base it names; one that names another (left by a crash between
        // installing a full bundle and removing the old delta, or by hand) is ignored and the base's trust used.
        var delta: InstalledTrust.Source?
        var ignoredDelta: String?
        let deltaFD = try openIfPresent(deltaPath)
        defer { if let deltaFD { TrustFiles.close(deltaFD) } }
        if let deltaFD {
            let bundle = try verifier.verify(fileDescriptor: deltaFD, path: deltaPath)
            let baseDigest = try TrustBundleInspection.manifestSHA256(fd, path: bundlePath)
            if let named = bundle.manifest.base, named.sha256 == baseDigest {
                delta = InstalledTrust.Source(bundle: bundle, fd: deltaFD, path: deltaPath)
            } else {
                let named = bundle.manifest.base.map { "base sequence \($0.sequence)" } ?? "no base"
                ignoredDelta = "\(deltaPath) (sequence \(bundle.manifest.sequence), \(named)) does not apply to the installed "
                    + "base (sequence \(base.manifest.sequence)): ignored, the base's trust is used"
            }
        }
        let sequence = (delta?.bundle ?? base).manifest.sequence
        if (recordedSequence() ?? 0) < sequence, let lock = try? exclusiveLock() {
            defer { TrustFiles.close(lock) }
            try? raiseRecordedSequence(to: sequence)
        }
        return try InstalledTrust(base: .init(bundle: base, fd: fd, path: bundlePath), delta: delta, ignoredDelta: ignoredDelta)
    }

    /// The file opened for reading, or nil when there is none (an import may remove it meanwhile).
    private func openIfPresent(_ file: String) throws(TrustStoreError) -> Int32? {
        guard TrustFiles.exists(file) else { return nil }
        do {
            return try TrustFiles.openRegularFileForReading(file)
        } catch {
            if !TrustFiles.exists(file) { return nil }
            throw error
        }
    }

    /// Copies the installed bundle to `destination` (a new file; an existing one is not overwritten), and the
    /// installed delta, if any, to `destination.delta`. Returns the delta's path, nil without a delta.
    @discardableResult
    public func export(to destination: String) throws(TrustStoreError) -> String? {
        // Base first, as `load` does: an import in between gives the old base alone or with a delta of it; a delta
        // of a newer base would be refused by the importing device (`delta-base-mismatch`), never misapplied.
        let source = try TrustFiles.openRegularFileForReading(bundlePath)
        defer { TrustFiles.close(source) }
        let delta = try openIfPresent(deltaPath)
        defer { if let delta { TrustFiles.close(delta) } }
        try copy(source, bundlePath, toNewFile: destination)
        guard let delta else { return nil }
        try copy(delta, deltaPath, toNewFile: destination + ".delta")
        return destination + ".delta"
    }

    private func copy(_ source: Int32, _ sourcePath: String, toNewFile destination: String) throws(TrustStoreError) {
        let target = try TrustFiles.createFile(destination, permissions: [.ownerReadWrite, .groupRead, .otherRead])
        defer { TrustFiles.close(target) }
        try copy(from: source, sourcePath: sourcePath, to: target, targetPath: destination, limit: BundleLayout.maximumFileSize)
        try TrustFiles.fsyncFile(target, destination)
    }

    // MARK: Clock high-water mark

    /// The latest time recorded as seen.
    public func clockHighWater() -> Date? {
        guard let text = try? String(contentsOfFile: clockPath, encoding: .utf8),
              let seconds = Double(text.trimmingWhitespace())
        else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    /// Records `now` when it is later than the mark by more than `granularity` (limits writes to flash).
    public func recordClock(_ now: Date, granularity: TimeInterval = 60) throws(TrustStoreError) {
        if let mark = clockHighWater(), now.timeIntervalSince(mark) < granularity { return }
        try TrustFiles.createDirectory(path)
        let lock = try exclusiveLock()
        defer { TrustFiles.close(lock) }
        if let mark = clockHighWater(), now <= mark { return }  // only forward, even when racing
        try writeAtomically(clockPath, Array("\(Int64(now.timeIntervalSince1970))\n".utf8))
    }

    // MARK: Files

    /// Never lowers the mark: it only ever moves up.
    private func raiseRecordedSequence(to sequence: UInt64) throws(TrustStoreError) {
        guard (recordedSequence() ?? 0) < sequence else { return }
        try writeAtomically(sequencePath, Array("\(sequence)\n".utf8))
    }

    /// An exclusive `flock` on `.lock` in the state directory, held by every writer.
    private func exclusiveLock() throws(TrustStoreError) -> Int32 {
        let lockPath = path + "/.lock"
        return try TrustFiles.lock(lockPath)
    }

    private func recordedSequence() -> UInt64? {
        guard let text = try? String(contentsOfFile: sequencePath, encoding: .utf8) else { return nil }
        return UInt64(text.trimmingWhitespace())
    }

    /// An installed file's manifest, read without the full checks (our own file).
    private func installedManifest(_ file: String) -> BundleManifest? {
        try? TrustBundleInspection.manifest(path: file)
    }

    private func temporaryPath() -> String {
        path + "/" + Self.temporaryPrefix + "\(ProcessInfo.processInfo.processIdentifier)-\(UInt64.random(in: 0...UInt64.max))"
    }

    private func removeLeftoverTemporaryFiles() {
        for name in TrustFiles.listDirectory(path) where name.hasPrefix(Self.temporaryPrefix) {
            TrustFiles.removeIfPresent(path + "/" + name)
        }
    }

    /// Runs `writeCopy` on a new temporary file in the store directory and fsyncs it. Returns its path.
    private func copyIntoDirectory(
        _ writeCopy: (_ output: Int32, _ outputPath: String) throws(TrustStoreError) -> Void
    ) throws(TrustStoreError) -> String {
        let temporary = temporaryPath()
        let output = try TrustFiles.createFile(temporary, permissions: [.ownerReadWrite, .groupRead])
        do {
            defer { TrustFiles.close(output) }
            try writeCopy(output, temporary)
            try TrustFiles.fsyncFile(output, temporary)
        } catch {
            TrustFiles.removeIfPresent(temporary)
            throw error
        }
        return temporary
    }

    /// Copies `source` (no symlink anywhere in its path, never a device or FIFO, never past the size cap) to `output`.
    private func copyFile(_ source: String, to output: Int32, targetPath: String) throws(TrustStoreError) {
        let input = try TrustFiles.openRegularFileWithoutSymlinks(source)
        defer { TrustFiles.close(input) }
        let size = try TrustFiles.fileSize(input, source)
        guard size <= BundleLayout.maximumFileSize else {
            throw TrustStoreError(.tooLarge, "\(source): \(size) bytes exceeds the bundle limit of \(BundleLayout.maximumFileSize)")
        }
        try copy(from: input, sourcePath: source, to: output, targetPath: targetPath, limit: BundleLayout.maximumFileSize)
    }

    private func copy(from input: Int32, sourcePath: String, to output: Int32, targetPath: String, limit: Int) throws(TrustStoreError) {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var total = 0
        while true {
            let got = try TrustFiles.readSome(input, sourcePath, into: &buffer)
            if got == 0 { return }
            total += got
            guard total <= limit else { throw TrustStoreError(.tooLarge, "\(sourcePath) grew beyond \(limit) bytes while being read") }
            try TrustFiles.writeAll(output, targetPath, buffer[0..<got])
        }
    }

    /// temp file + fsync + rename + fsync of the directory.
    private func writeAtomically(_ destination: String, _ bytes: [UInt8]) throws(TrustStoreError) {
        let temporary = try writeTemporary(bytes)
        do {
            try TrustFiles.rename(temporary, destination)
            try TrustFiles.fsyncDirectory(path)
        } catch {
            TrustFiles.removeIfPresent(temporary)
            throw error
        }
    }

    /// `bytes` in a new fsynced temporary file in the store directory (removed again on failure). Returns its path.
    private func writeTemporary(_ bytes: [UInt8]) throws(TrustStoreError) -> String {
        try copyIntoDirectory { (fd, temporary) throws(TrustStoreError) in try TrustFiles.writeAll(fd, temporary, bytes[...]) }
    }
}
