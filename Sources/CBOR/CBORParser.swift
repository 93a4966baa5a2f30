/// Two-phase CBOR parser in the manner of swift-asn1.
///
/// Phase 1 walks the bytes once, without recursion, into a flat pre-order list of nodes. It is
/// where every limit is enforced: depth, item count, and each declared length or count against
/// the bytes that remain. Phase 2 turns the validated nodes into `CBORValue`s; its recursion is
/// bounded by `maxDepth` because phase 1 already refused anything deeper.
public enum CBORParser {
    /// Decodes exactly one item that must span all of `bytes`; leftovers are `trailingData`.
    public static func decode(
        _ bytes: [UInt8],
        limits: CBORLimits = .default,
        rules: CBORRules = .lenient
    ) throws(CBORError) -> CBORValue {
        let input = bytes[...]
        var scanner = Scanner(input: input, limits: limits, rules: rules)
        let nodes = try scanner.scanOneItem()
        guard scanner.position == input.endIndex else {
            throw CBORError(.trailingData, at: scanner.position, "\(input.endIndex - scanner.position) bytes after the item")
        }
        var builder = Builder(input: input, nodes: nodes)
        return try builder.build()
    }
}

/// One item found in phase 1.
struct Node {
    enum Kind {
        case unsigned, negative, byteString, textString, array, map, tag, simple, float
    }
    var kind: Kind
    /// Head argument: the value, length, count or tag number (the raw bits for floats).
    var argument: UInt64
    var isIndefinite: Bool
    var depth: Int
    var start: Int
    /// Where the content of a definite string starts.
    var dataStart: Int
    var end: Int
    var childCount: Int = 0
}

private struct Scanner {
    let input: ArraySlice<UInt8>
    let limits: CBORLimits
    let rules: CBORRules
    var position: Int
    var nodes: [Node] = []

    /// An open container: how many children it still expects (nil while indefinite).
    struct Frame {
        var node: Int
        var remaining: Int?
    }
    var frames: [Frame] = []

    init(input: ArraySlice<UInt8>, limits: CBORLimits, rules: CBORRules) {
        self.input = input
        self.limits = limits
        self.rules = rules
        self.position = input.startIndex
    }

    mutating func scanOneItem() throws(CBORError) -> [Node] {
        repeat {
            guard position < input.endIndex else {
                throw CBORError(.truncated, at: position, "input ended inside an item")
            }
            if input[position] == 0xFF {
                try closeIndefinite()
            } else {
                try scanHead()
            }
            closeCompletedFrames()
        } while !frames.isEmpty
        return nodes
    }

    private mutating func closeIndefinite() throws(CBORError) {
        guard let top = frames.last, top.remaining == nil else {
            throw CBORError(.unexpectedBreak, at: position, "break outside an indefinite-length item")
        }
        let node = nodes[top.node]
        if node.kind == .map, node.childCount % 2 != 0 {
            throw CBORError(.malformedIndefiniteLength, at: position, "indefinite map with a key but no value")
        }
        position += 1
        nodes[top.node].end = position
        frames.removeLast()
    }

    private mutating func closeCompletedFrames() {
        while let top = frames.last, top.remaining == 0 {
            nodes[top.node].end = position
            frames.removeLast()
        }
    }

    private mutating func scanHead() throws(CBORError) {
        let start = position
        let initial = input[position]
        position += 1
        let major = initial >> 5
        let info = initial & 0x1F
        let depth = frames.count
        guard depth <= limits.maxDepth else {
            throw CBORError(.depthExceeded, at: start, "nesting deeper than \(limits.maxDepth)")
        }
        guard nodes.count < limits.maxItems else {
            throw CBORError(.tooManyItems, at: start, "more than \(limits.maxItems) items")
        }

        // Chunks of an indefinite string must be definite strings of the same major type.
        if let top = frames.last, top.remaining == nil {
            let parent = nodes[top.node]
            if parent.kind == .byteString || parent.kind == .textString {
                guard major == majorType(of: parent.kind), info != 31 else {
                    throw CBORError(.malformedIndefiniteLength, at: start, "chunk of the wrong type in an indefinite string")
                }
            }
        }

        var argument: UInt64 = 0
        var isIndefinite = false
        switch info {
        case 0..<24: argument = UInt64(info)
        case 24: argument = try readBigEndian(count: 1)
        case 25: argument = try readBigEndian(count: 2)
        case 26: argument = try readBigEndian(count: 4)
        case 27: argument = try readBigEndian(count: 8)
        case 31 where (2...5).contains(major):
            guard rules.allowsIndefiniteLengths else {
                throw CBORError(.indefiniteLengthRefused, at: start, "indefinite-length item")
            }
            isIndefinite = true
        default:
            throw CBORError(.reservedHeader, at: start, "reserved additional information \(info) for major type \(major)")
        }

        let dataStart = position
        let remainingBytes = input.endIndex - position
        let kind: Node.Kind
        var childSlots: Int? = nil
        switch major {
        case 0: kind = .unsigned
        case 1: kind = .negative
        case 2, 3:
            kind = major == 2 ? .byteString : .textString
            if !isIndefinite {
                guard argument <= UInt64(min(remainingBytes, limits.maxStringLength)) else {
                    throw CBORError(.lengthExceedsInput, at: start, "string of \(argument) bytes declared, \(remainingBytes) remain")
                }
                position += Int(argument)
            }
        case 4, 5:
            kind = major == 4 ? .array : .map
            if !isIndefinite {
                // Every child takes at least one byte: a count beyond the remaining bytes is a lie.
                let perEntry: UInt64 = major == 4 ? 1 : 2
                guard argument <= UInt64(remainingBytes) / perEntry else {
                    throw CBORError(.lengthExceedsInput, at: start, "\(argument) entries declared, \(remainingBytes) bytes remain")
                }
                childSlots = Int(argument) * Int(perEntry)
            }
        case 6:
            kind = .tag
            childSlots = 1
        default:
            switch info {
            case 24:
                guard argument >= 32 else {
                    throw CBORError(.invalidSimpleValue, at: start, "two-byte simple value \(argument) below 32")
                }
                kind = .simple
            case 25, 26, 27: kind = .float
            default: kind = .simple
            }
        }

        let node = Node(
            kind: kind, argument: argument, isIndefinite: isIndefinite, depth: depth,
            start: start, dataStart: dataStart, end: position
        )
        if let top = frames.last {
            nodes[top.node].childCount += 1
            if let remaining = top.remaining { frames[frames.count - 1].remaining = remaining - 1 }
        }
        nodes.append(node)
        if isIndefinite {
            frames.append(Frame(node: nodes.count - 1, remaining: nil))
        } else if let slots = childSlots {
            frames.append(Frame(node: nodes.count - 1, remaining: slots))
        }
    }

    private func majorType(of kind: Node.Kind) -> UInt8 { kind == .byteString ? 2 : 3 }

    private mutating func readBigEndian(count: Int) throws(CBORError) -> UInt64 {
        guard input.endIndex - position >= count else {
            throw CBORError(.truncated, at: position, "head needs \(count) more bytes")
        }
        var value: UInt64 = 0
        for _ in 0..<count {
            value = value << 8 | UInt64(input[position])
            position += 1
        }
        return value
    }
}

private struct Builder {
    let input: ArraySlice<UInt8>
    let nodes: [Node]
    var index = 0

    init(input: ArraySlice<UInt8>, nodes: [Node]) {
        self.input = input
        self.nodes = nodes
    }

    mutating func build() throws(CBORError) -> CBORValue {
        let node = nodes[index]
        index += 1
        let encoded = input[node.start..<node.end]
        let content: CBORValue.Content
        switch node.kind {
        case .unsigned: content = .unsigned(node.argument)
        case .negative: content = .negative(node.argument)
        case .byteString: content = .byteString(try stringBytes(of: node))
        case .textString:
            // Definite text is validated straight from the input, without an intermediate copy.
            let text = node.isIndefinite
                ? String(validating: try stringBytes(of: node), as: UTF8.self)
                : String(validating: input[node.dataStart..<node.end], as: UTF8.self)
            guard let text else {
                throw CBORError(.invalidUTF8, at: node.start, "text string is not UTF-8")
            }
            content = .textString(text)
        case .array:
            var items: [CBORValue] = []
            items.reserveCapacity(node.childCount)
            for _ in 0..<node.childCount { items.append(try build()) }
            content = .array(items)
        case .map:
            let count = node.childCount / 2
            var entries: [CBORValue.MapEntry] = []
            entries.reserveCapacity(count)
            // Small maps (all of a credential's) compare keys directly; large ones hash them.
            var seenKeys = count > 16 ? Set<CBORValue>() : nil
            for _ in 0..<count {
                let keyStart = nodes[index].start
                let key = try build()
                let isDuplicate = seenKeys != nil ? !seenKeys!.insert(key).inserted : entries.contains { $0.key == key }
                guard !isDuplicate else {
                    throw CBORError(.duplicateMapKey, at: keyStart, "map key appears twice")
                }
                entries.append(CBORValue.MapEntry(key: key, value: try build()))
            }
            content = .map(entries)
        case .tag: content = .tagged(node.argument, try build())
        case .simple:
            switch node.argument {
            case 20: content = .bool(false)
            case 21: content = .bool(true)
            case 22: content = .null
            case 23: content = .undefined
            default: content = .simple(UInt8(truncatingIfNeeded: node.argument))
            }
        case .float: content = .float(Self.double(fromBits: node.argument, width: node.end - node.start - 1))
        }
        return CBORValue(content: content, encodedBytes: encoded)
    }

    /// A definite string's bytes, or the concatenated chunks of an indefinite one.
    private mutating func stringBytes(of node: Node) throws(CBORError) -> [UInt8] {
        guard node.isIndefinite else { return Array(input[node.dataStart..<node.end]) }
        var bytes: [UInt8] = []
        for _ in 0..<node.childCount {
            let chunk = nodes[index]
            index += 1
            bytes += input[chunk.dataStart..<chunk.end]
        }
        return bytes
    }

    private static func double(fromBits bits: UInt64, width: Int) -> Double {
        switch width {
        case 2: return Double(Float16(bitPattern: UInt16(truncatingIfNeeded: bits)))
        case 4: return Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
        default: return Double(bitPattern: bits)
        }
    }
}
