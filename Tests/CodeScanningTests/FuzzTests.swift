import CodeScanning
import GateCheckTestSupport
import HealthCredentialsTesting
import Imaging
import Testing

/// Deterministic mutation fuzzing of the decoders and the scanner: whatever the bytes, no crash, and only
/// decoding errors come back.
@Suite("Mutation fuzzing", .enabled(if: TestCorpus.isAvailable, "shared corpus not found; see the NOTICE above"))
struct FuzzTests {
    private static let iterations = 2_000

    /// One random mutation: byte flips, truncation, runs of 0x00/0xFF, insertion or deletion.
    private static func mutate(_ original: [UInt8], using generator: inout SplitMix64) -> [UInt8] {
        var bytes = original
        let rounds = Int.random(in: 1...3, using: &generator)
        for _ in 0..<rounds where !bytes.isEmpty {
            let position = Int.random(in: 0..<bytes.count, using: &generator)
            switch generator.next() % 5 {
            case 0:
                for _ in 0..<Int.random(in: 1...16, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(
                        in: 0...255, using: &generator)
                }
            case 1:
                bytes.removeSubrange(position...)
            case 2:
                let end = min(bytes.count, position + Int.random(in: 1...64, using: &generator))
                let fill: UInt8 = generator.next() % 2 == 0 ? 0x00 : 0xFF
                bytes.replaceSubrange(position..<end, with: repeatElement(fill, count: end - position))
            case 3:
                let insert = (0..<Int.random(in: 1...32, using: &generator)).map { _ in
                    UInt8.random(in: 0...255, using: &generator)
                }
                bytes.insert(contentsOf: insert, at: position)
            default:
                let end = min(bytes.count, position + Int.random(in: 1...256, using: &generator))
                bytes.removeSubrange(position..<end)
            }
        }
        return bytes
    }

    /// The VN sample is a JPEG (despite its name); libjpeg decodes most damaged JPEGs. The MK sample is a real
    /// PNG: its chunk CRCs are repaired after mutation so the damage reaches libpng's inflate and filters rather
    /// than the checksum test, but almost any change to a deflate stream is still fatal, so few decode.
    @Test(arguments: [
        (TestCorpus.vietnameseSample, UInt64(0x00C0_FFEE), false, 500),
        (TestCorpus.spuriousI25Sample, UInt64(0x0BAD_5EED), true, 5),
    ])
    func mutatedImagesNeverCrash(sample: String, seed: UInt64, fixChecksums: Bool, minimumDecoded: Int) throws {
        let original = try TestCorpus.bytes(sample)
        let scanner = try QRScanner()
        var generator = SplitMix64(seed: seed)
        var decoded = 0
        var scannedCodes = 0
        for _ in 0..<Self.iterations {
            var bytes = Self.mutate(original, using: &generator)
            if fixChecksums {
                bytes = HandBuiltImages.fixingPNGChecksums(bytes)
            }
            do {
                let image = try ImageFile.decode(bytes)
                decoded += 1
                scannedCodes += scanner.scan(image).count
            } catch {
                #expect([.corruptImage, .unsupportedImageFormat, .imageTooLarge].contains(error.code), "\(error)")
            }
        }
        print("fuzz \(sample): \(decoded)/\(Self.iterations) mutations decoded, \(scannedCodes) codes found")
        // Sanity: the loop must actually reach the scanner, or it tests nothing.
        #expect(decoded >= minimumDecoded)
    }
}
