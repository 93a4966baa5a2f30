import Foundation
import GateCheckTestSupport
import HealthCredentialsTesting
import Imaging
import QREncoding
import Testing

/// `gatecheck scan` on every PNG of the EU test corpus, checked against zbarimg (QR only) as an
/// independent reader, and against the cases' PREFIX strings.
@Suite(.enabled(if: TestCorpus.isAvailable, "needs the shared test corpus"))
struct ScanCommandCorpusTests {
    /// zbarimg's reading of each file, from one `--xml` run: path → payloads.
    static func zbarimg(_ files: [String]) throws -> [String: [String]] {
        let xml = try runProcess("/usr/bin/zbarimg", ["--xml", "-q", "--nodbus", "-Sdisable", "-Sqrcode.enable"] + files).standardOutput
        var result: [String: [String]] = [:]
        for source in xml.components(separatedBy: "<source href='").dropFirst() {
            guard let end = source.firstIndex(of: "'") else { continue }
            let path = String(source[..<end])
            let payloads = source.components(separatedBy: "<![CDATA[").dropFirst().compactMap { $0.components(separatedBy: "]]>").first }
            result[path] = payloads
        }
        return result
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/zbarimg"), "needs zbarimg (zbar-tools)"))
    func everyReadablePNGDecodesExactly() throws {
        let root = TestCorpus.url("dgc-testdata")
        let files = FileManager.default.enumerator(atPath: root.path)!.compactMap { $0 as? String }
            .filter { $0.lowercased().hasSuffix(".png") }.sorted().map { root.appendingPathComponent($0).path }
            // zbarimg gives up on the whole run at a broken file (the corpus has one, IE/2DCode/Raw/Test.png):
            // keep only files that start like a PNG.
            .filter { (FileManager.default.contents(atPath: $0)?.prefix(4)).map(Array.init) == [0x89, 0x50, 0x4E, 0x47] }
        #expect(files.count > 500)
        let reference = try Self.zbarimg(files)

        let result = try GateCheckCLI.run(["scan", "--json"] + files)
        var ours: [String: [String]] = [:]
        for object in result.jsonObjects {
            guard let input = object["input"] as? String, let payload = object["payload"] as? String else {
                Issue.record("a code without a text payload: \(object)")
                continue
            }
            ours[input, default: []].append(payload)
        }

        // Every image zbarimg reads, gatecheck scan reads to the same bytes, and nothing else.
        let readable = reference.filter { !$0.value.isEmpty }
        #expect(readable.count > 500)
        for (path, payloads) in readable {
            #expect(ours[path] == payloads, "\(path)")
        }
        #expect(Set(ours.keys).subtracting(readable.keys).isEmpty)

        // And what it reads is its case's PREFIX, byte for byte, where the image has a case (EE, MA, MT
        // and NO have images only). Four images hold another credential than their case's PREFIX, as
        // zbarimg confirms (it reads the same bytes as gatecheck scan): corpus inconsistencies.
        let imagesOfOtherCredentials: Set<String> = ["ES/2101", "ES/2102", "ES/2103", "GR/3"]
        var prefixes: [String: String] = [:]  // "<country>/<stem>" -> PREFIX
        for case let name as String in FileManager.default.enumerator(atPath: root.path)! where name.hasSuffix(".json") {
            if let data = try? Data(contentsOf: root.appendingPathComponent(name)),
               let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let prefix = object["PREFIX"] as? String {
                prefixes[Self.key(name)] = prefix
            }
        }
        var compared = 0
        for (path, payloads) in ours {
            let relative = String(path.dropFirst(root.path.count + 1))
            guard let prefix = prefixes[Self.key(relative)], !imagesOfOtherCredentials.contains(Self.key(relative)) else { continue }
            compared += 1
            #expect(payloads == [prefix], "\(relative)")
        }
        #expect(compared > 450)
        print("gatecheck scan: \(ours.count) of \(files.count) PNGs decoded, as zbarimg reads them; \(compared) compared with their case's PREFIX")
    }

    /// The case a file belongs to: its path without the `png`, `2DCode` and `raw` folders and without
    /// the extension ("PL/1.3.0/png/7.png" and "PL/1.3.0/2DCode/raw/7.json" are both "PL/1.3.0/7").
    static func key(_ relativePath: String) -> String {
        var parts = relativePath.split(separator: "/").map(String.init).filter { !["png", "2dcode", "raw"].contains($0.lowercased()) }
        if let last = parts.popLast() { parts.append(last.split(separator: ".").first.map(String.init) ?? last) }
        return parts.joined(separator: "/")
    }
}

/// `gatecheck scan --json` on codes drawn here: text payloads as they are, binary ones in base64.
@Suite struct ScanCommandTests {
    /// A binary PGM (P5) file of the code, which `gatecheck scan` reads like any image.
    static func pgmFile(_ payload: [UInt8], in folder: TemporaryDirectory, name: String) throws -> String {
        let image = try #require(QRCodeImage.image(payload, moduleSize: 4, canvasWidth: 320, canvasHeight: 320))
        var bytes = Array("P5\n\(image.width) \(image.height)\n255\n".utf8)
        for row in 0..<image.height {
            bytes += image.pixels[(row * image.bytesPerRow)..<(row * image.bytesPerRow + image.width)]
        }
        let path = folder.url.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func textAndBinaryPayloadsComeOutExactly() throws {
        let folder = try TemporaryDirectory()
        let text = "HC1:NOT-A-CREDENTIAL/ÄÖÜ"
        let binary: [UInt8] = [0xFF, 0xFE, 0x00, 0x80, 0xC3, 0x28, 0x41]  // not UTF-8
        let textFile = try Self.pgmFile(Array(text.utf8), in: folder, name: "text.pgm")
        let binaryFile = try Self.pgmFile(binary, in: folder, name: "binary.pgm")
        let result = try GateCheckCLI.run(["scan", "--json", textFile, binaryFile])
        #expect(result.status == 0, "\(result.standardError)")
        let objects = result.jsonObjects
        #expect(objects.count == 2)
        #expect(objects.first?["payload"] as? String == text)
        #expect(objects.first?["input"] as? String == textFile)
        #expect((objects.first?["position"] as? [[Int]])?.count == 4)
        #expect(objects.first?["ms"] is Double)
        #expect(objects.last?["payload"] == nil)
        #expect(objects.last?["payloadBase64"] as? String == Data(binary).base64EncodedString())
    }

    @Test func anUnreadableImageIsReportedAndFailsTheRun() throws {
        let folder = try TemporaryDirectory()
        let path = try folder.write("broken.png", "\u{89}PNG not really")
        let result = try GateCheckCLI.run(["scan", path])
        #expect(result.status == 1)
        #expect(result.standardError.contains("broken.png"))
    }
}
