/// The members of a JSON object in document order. Names are unique: the parser refuses
/// duplicates, and building one from code keeps the last value given for a name.
public struct JSONObject: Sendable, Hashable, Sequence {
    public private(set) var names: [String]
    public private(set) var values: [JSONValue]

    public init() {
        names = []
        values = []
    }

    public init(_ members: [(String, JSONValue)]) {
        self.init()
        names.reserveCapacity(members.count)
        values.reserveCapacity(members.count)
        var positions: [String: Int] = [:]
        for (name, value) in members {
            if let index = positions[name] {
                values[index] = value
            } else {
                positions[name] = names.count
                names.append(name)
                values.append(value)
            }
        }
    }

    /// Members the parser has already checked for duplicates.
    init(uniqueNames names: [String], values: [JSONValue]) {
        self.names = names
        self.values = values
    }

    public var count: Int { names.count }
    public var isEmpty: Bool { names.isEmpty }

    /// Linear lookup: the objects GateCheck reads are small, and order matters more than hashing.
    /// Names match byte for byte (as JSON compares them), not by Unicode canonical equivalence.
    public subscript(name: String) -> JSONValue? {
        get {
            guard let index = index(of: name) else { return nil }
            return values[index]
        }
        set {
            if let index = index(of: name) {
                if let newValue {
                    values[index] = newValue
                } else {
                    names.remove(at: index)
                    values.remove(at: index)
                }
            } else if let newValue {
                names.append(name)
                values.append(newValue)
            }
        }
    }

    private func index(of name: String) -> Int? {
        names.firstIndex { $0.utf8.elementsEqual(name.utf8) }
    }

    public func makeIterator() -> some IteratorProtocol<(name: String, value: JSONValue)> {
        zip(names, values).lazy.map { (name: $0.0, value: $0.1) }.makeIterator()
    }

    // Two objects are equal when they hold the same members, in any order (RFC 8259 §4).
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (name, value) in zip(lhs.names, lhs.values) where rhs[name] != value { return false }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        // Order-independent: combine each member's hash commutatively.
        var sum = 0
        for (name, value) in zip(names, values) {
            var member = Hasher()
            member.combine(name)
            member.combine(value)
            sum &+= member.finalize()
        }
        hasher.combine(sum)
    }
}
