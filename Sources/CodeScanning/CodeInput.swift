import Imaging
import JSON
import SystemCalls
import SystemPackage

/// A payload taken from one command-line input, with a label saying where it came from.
public struct CodeInput: Sendable {
    public let label: String
    public let content: Content

    public enum Content: Sendable {
        case payload([UInt8])
        /// A text line too long to be a QR payload.
        case tooLong(byteCount: Int)
        /// An image that holds no readable QR code.
        case noCode
        case unreadable(CodeScanningError)
    }
}

/// Turns command-line inputs into payloads: an image file (every QR code zbar finds in it), a
/// text file (one payload per line, unless the whole file is one JSON document: an ICAO seal as its issuer
/// publishes it, pretty-printed over many lines) or `-` (payloads on standard input, one per line).
public enum CodeInputs {
    public static func read(_ input: String, scanner: QRScanner) -> [CodeInput] {
        if input == "-" { return lines(fileDescriptor: 0, label: "-") }

        let descriptor: FileDescriptor
        do {
            descriptor = try Files.openRegularFile(input)
        } catch where error.call == "open" {
            return [CodeInput(label: input, content: .unreadable(.unreadableFile("\(input): cannot open: \(error.reasonText)")))]
        } catch {
            return [CodeInput(label: input, content: .unreadable(.unreadableFile("\(input): not a regular file")))]
        }
        defer { SystemCall.close(descriptor) }
        let fd = descriptor.rawValue
        // Back to the start afterwards: the text path reads the lines from the first byte.
        let magic = (try? Files.read(descriptor, input, upTo: 8)) ?? []
        try? Files.rewind(descriptor, input)
        if !magic.isEmpty, looksLikeImage(magic) {
            do {
                let codes = scanner.scan(try ImageFile.load(contentsOf: input))
                guard !codes.isEmpty else { return [CodeInput(label: input, content: .noCode)] }
                return codes.map { CodeInput(label: input, content: .payload($0.payload)) }
            } catch {
                return [CodeInput(label: input, content: .unreadable(CodeScanningError(error)))]
            }
        }
        if magic.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "{"),
            let document = try? Files.readToEnd(descriptor, input, limit: PayloadLineReader.defaultMaximumLineLength),
            (try? JSONParser.parse(document, limits: JSONLimits(maxBytes: PayloadLineReader.defaultMaximumLineLength))) != nil
        {
            return [CodeInput(label: input, content: .payload(document))]
        }
        try? Files.rewind(descriptor, input)
        return lines(fileDescriptor: fd, label: input)
    }

    private static func lines(fileDescriptor: Int32, label: String) -> [CodeInput] {
        var reader = PayloadLineReader(fileDescriptor: fileDescriptor)
        var inputs: [CodeInput] = []
        do {
            while let line = try reader.next() {
                switch line {
                case .payload(let bytes): inputs.append(CodeInput(label: label, content: .payload(bytes)))
                case .tooLong(let count): inputs.append(CodeInput(label: label, content: .tooLong(byteCount: count)))
                }
            }
        } catch {
            inputs.append(CodeInput(label: label, content: .unreadable(error)))
        }
        return inputs
    }

    /// PNG, JPEG and PGM signatures (the formats `ImageFile` decodes).
    static func looksLikeImage(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) || bytes.starts(with: [0xFF, 0xD8, 0xFF])
            || (bytes.count >= 3 && bytes[0] == UInt8(ascii: "P") && (bytes[1] == UInt8(ascii: "5") || bytes[1] == UInt8(ascii: "2"))
                && [0x20, 0x09, 0x0A, 0x0D].contains(bytes[2]))
    }
}
