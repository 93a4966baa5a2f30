/// Codable over the package's one JSON: encodes an `Encodable` value into a `JSONValue`, which
/// `JSONWriter` then writes (members as encoded, or sorted where bytes are compared or signed).
///
/// Members keep the order the type encodes them in; a nil optional encoded with `encodeIfPresent`
/// (what synthesized conformances do) is left out. Non-finite floating-point values cannot be JSON and
/// fail with `EncodingError.invalidValue`.
public struct JSONValueEncoder: Sendable {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let root = Node()
        try SingleValueContainer(node: root, codingPath: []).encode(value)
        guard let result = root.resolved() else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "\(T.self) encoded nothing"))
        }
        return result
    }
}

/// One value under construction; containers share nodes, so nested containers can fill them later.
private final class Node {
    enum Content {
        case empty
        case value(JSONValue)
        case object([(name: String, node: Node)])
        case array([Node])
    }

    var content: Content = .empty

    func resolved() -> JSONValue? {
        switch content {
        case .empty: nil
        case .value(let value): value
        case .object(let members): .object(JSONObject(members.map { ($0.name, $0.node.resolved() ?? .object(JSONObject())) }))
        case .array(let nodes): .array(nodes.map { $0.resolved() ?? .object(JSONObject()) })
        }
    }

    /// The child for `name`, replacing an earlier one of the same name (the last encode wins).
    func member(_ name: String) -> Node {
        var members: [(name: String, node: Node)] = []
        if case .object(let existing) = content { members = existing }
        let child = Node()
        if let index = members.firstIndex(where: { $0.name == name }) {
            members[index].node = child
        } else {
            members.append((name, child))
        }
        content = .object(members)
        return child
    }

    func makeObject() {
        if case .object = content { return }
        content = .object([])
    }

    func appendElement() -> Node {
        var nodes: [Node] = []
        if case .array(let existing) = content { nodes = existing }
        let child = Node()
        nodes.append(child)
        content = .array(nodes)
        return child
    }

    func makeArray() {
        if case .array = content { return }
        content = .array([])
    }

    var elementCount: Int {
        if case .array(let nodes) = content { return nodes.count }
        return 0
    }
}

private struct ValueEncoder: Encoder {
    let node: Node
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(KeyedContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return UnkeyedContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueContainer(node: node, codingPath: codingPath)
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: Node
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws {
        node.member(key.stringValue).content = .value(.null)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try SingleValueContainer(node: node.member(key.stringValue), codingPath: codingPath + [key]).encode(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        ValueEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        ValueEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        ValueEncoder(node: node.member("super"), codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        ValueEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key])
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]

    var count: Int { node.elementCount }

    private var indexPath: [any CodingKey] { codingPath + [ArrayIndexKey(intValue: count)] }

    mutating func encodeNil() throws {
        node.appendElement().content = .value(.null)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let path = indexPath
        try SingleValueContainer(node: node.appendElement(), codingPath: path).encode(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = indexPath
        return ValueEncoder(node: node.appendElement(), codingPath: path).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = indexPath
        return ValueEncoder(node: node.appendElement(), codingPath: path).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let path = indexPath
        return ValueEncoder(node: node.appendElement(), codingPath: path)
    }
}

/// Non-mutating (the node is shared), so a temporary container can encode into a child node.
private struct SingleValueContainer: SingleValueEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]

    func encodeNil() throws { node.content = .value(.null) }
    func encode(_ value: Bool) throws { node.content = .value(.bool(value)) }
    func encode(_ value: String) throws { node.content = .value(.string(value)) }

    func encode(_ value: Double) throws {
        guard let number = JSONNumber(value) else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "\(value) is not a JSON number"))
        }
        node.content = .value(.number(number))
    }

    func encode(_ value: Float) throws { try encode(Double(value)) }
    func encode(_ value: Int) throws { node.content = .value(.integer(value)) }
    func encode(_ value: Int8) throws { node.content = .value(.integer(Int64(value))) }
    func encode(_ value: Int16) throws { node.content = .value(.integer(Int64(value))) }
    func encode(_ value: Int32) throws { node.content = .value(.integer(Int64(value))) }
    func encode(_ value: Int64) throws { node.content = .value(.integer(value)) }
    func encode(_ value: UInt) throws { node.content = .value(.integer(UInt64(value))) }
    func encode(_ value: UInt8) throws { node.content = .value(.integer(UInt64(value))) }
    func encode(_ value: UInt16) throws { node.content = .value(.integer(UInt64(value))) }
    func encode(_ value: UInt32) throws { node.content = .value(.integer(UInt64(value))) }
    func encode(_ value: UInt64) throws { node.content = .value(.integer(value)) }

    func encode<T: Encodable>(_ value: T) throws {
        switch value {
        case let value as Bool: try encode(value)
        case let value as String: try encode(value)
        case let value as Double: try encode(value)
        case let value as Float: try encode(value)
        case let value as Int: try encode(value)
        case let value as Int64: try encode(value)
        case let value as UInt64: try encode(value)
        default: try value.encode(to: ValueEncoder(node: node, codingPath: codingPath))
        }
    }
}
