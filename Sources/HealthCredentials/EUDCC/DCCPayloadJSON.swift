import CBOR
import JSON

/// The DCC payload as the JSON document business rules read (`payload` in the EU convention).
/// The CBOR has already passed the schema step, so only JSON's types occur; anything else
/// (byte strings, tags, non-text keys) becomes `null` rather than a guess.
public enum DCCPayloadJSON {
    public static func json(_ value: CBORValue) -> JSONValue {
        switch value.content {
        case .unsigned, .negative:
            if let integer = value.int64 { return .integer(integer) }
            return .null
        case .float(let number): return JSONNumber(number).map(JSONValue.number) ?? .null
        case .textString(let text): return .string(text)
        case .bool(let flag): return .bool(flag)
        case .array(let elements): return .array(elements.map(json))
        case .map(let entries):
            var object = JSONObject()
            for entry in entries {
                guard let name = entry.key.string else { continue }
                object[name] = json(entry.value)
            }
            return .object(object)
        case .null, .undefined, .simple, .byteString, .tagged: return .null
        }
    }
}
