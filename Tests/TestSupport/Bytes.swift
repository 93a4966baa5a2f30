import Foundation

extension Array where Element == UInt8 {
    /// Bytes from hexadecimal text with two digits per byte (the text must be well-formed).
    public init(hex: String) {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        self = bytes
    }

    /// Lower-case hexadecimal, two digits per byte.
    public var hex: String { map { String(format: "%02x", $0) }.joined() }
}
