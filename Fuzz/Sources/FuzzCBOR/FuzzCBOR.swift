import CBOR
import FuzzDriver

// CBOR alone, without the HC1 layers around it: every input is decoded under the lenient rules the verifier uses,
// under the strict ones (no indefinite lengths), and with tight limits so that the limit checks are reached often.
// A value, or a CBORError, are both fine; what is decoded is hashed, which walks the whole value.
private let tight = CBORLimits(maxDepth: 4, maxItems: 16, maxStringLength: 64)

@main
enum FuzzCBOR {
    static func main() {
        FuzzDriver.run { bytes in
            if let value = try? CBORParser.decode(bytes) {
                _ = value.hashValue
            }
            _ = try? CBORParser.decode(bytes, rules: CBORRules(allowsIndefiniteLengths: false))
            _ = try? CBORParser.decode(bytes, limits: tight)
        }
    }
}
