import FuzzDriver
import JSON

// JSON alone: the package's only JSON parser (manifests, rules, value sets, issuers). Every input is parsed with the
// default limits, with a byte-order mark allowed, and with tight limits; what parses is written back out.
private let tight = JSONLimits(maxBytes: 4096, maxDepth: 4, maxItems: 32, maxStringLength: 64)

@main
enum FuzzJSON {
    static func main() {
        FuzzDriver.run { bytes in
            if let value = try? JSONParser.parse(bytes) {
                _ = JSONWriter.prettyBytes(value, memberOrder: .sortedByUTF16)
            }
            _ = try? JSONParser.parse(skippingByteOrderMark: bytes)
            _ = try? JSONParser.parse(bytes, limits: tight)
        }
    }
}
