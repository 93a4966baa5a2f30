import DaemonSupport
import HealthCredentials
import JSON

/// The status socket's wire form: one JSON object on one line, keys sorted, each key a field name.
///
/// Built and read with the JSON module, so integers are exact (a counter is never a Double on the way
/// through) and `1`, `1.0` and `true` stay three different things.
extension StatusSnapshot {
    /// One line, no trailing newline. Optionals without a value are `null`. Members are written sorted
    /// (the order below is for reading), so the same snapshot always gives the same line.
    public func json() -> String {
        let reasons = failsByReason.map { (VerdictLine.word($0.key), JSONValue.integer($0.value)) }
        let rules = failsByRule.map { ($0.key, JSONValue.integer($0.value)) }
        let byFormat = { (counts: [CredentialFormat: UInt64]) in JSONValue.object(counts.map { ($0.key.rawValue, .integer($0.value)) }) }
        let status: JSONValue = [
            "state": .string(state.rawValue),
            "faults": .array(faults.map { .string($0.rawValue) }),
            "uptimeSeconds": .integer(uptimeSeconds),
            "camera": .string(camera),
            "frames": .integer(frames),
            "framesDropped": .integer(framesDropped),
            "scans": .integer(scans),
            "codesRead": .integer(codesRead),
            "duplicatesSuppressed": .integer(duplicatesSuppressed),
            "passes": .integer(passes),
            "fails": .integer(fails),
            "failsByReason": .object(reasons),
            "failsByRule": .object(rules),
            "decodeErrors": .integer(decodeErrors),
            "passesByFormat": byFormat(passesByFormat),
            "failsByFormat": byFormat(failsByFormat),
            "cameraFaults": .integer(cameraFaults),
            "cameraReconnects": .integer(cameraReconnects),
            "trustSequence": trustSequence.map { .integer($0) } ?? .null,
            "trustAgeSeconds": trustAgeSeconds.map { .integer($0) } ?? .null,
            "trustExpiresInSeconds": trustExpiresInSeconds.map { .integer($0) } ?? .null,
            "trustReloads": .integer(trustReloads),
            "trustFetchLastAttempt": trustFetchLastAttempt.map { .integer($0) } ?? .null,
            "trustFetchLastSuccess": trustFetchLastSuccess.map { .integer($0) } ?? .null,
            "trustFetchOutcome": trustFetchOutcome.map { .string($0) } ?? .null,
            "trustFetchFailures": trustFetchFailures.map { .integer($0) } ?? .null,
            // Swift's spelling (`12.5`, `3.0`); JSON has no infinities, so a non-finite value is null.
            "lastLatencyMilliseconds": Self.latency(lastLatencyMilliseconds),
            "maxLatencyMilliseconds": Self.latency(maxLatencyMilliseconds),
        ]
        return JSONWriter.string(status, memberOrder: .sortedByUTF16)
    }

    private static func latency(_ milliseconds: Double?) -> JSONValue {
        milliseconds.flatMap { JSONNumber(keepingFraction: $0) }.map { .number($0) } ?? .null
    }

    /// Bounds for a reply: deep enough for the status object and what a newer daemon may add to it.
    static let jsonLimits = JSONLimits(maxDepth: 8)

    /// Reads what `json()` wrote, from this or another version of the daemon. Unknown keys are ignored
    /// (a newer daemon may add some), absent ones keep their defaults, but `state` must be there: without
    /// it the reply is not a status. A value of the wrong type is refused, not guessed at. Unknown reason
    /// words count as `.other`; unknown fault words are dropped. `failsByRule` keys that are not rule identifiers,
    /// and identifiers beyond the cap, count under `"other"`.
    public init(json: [UInt8]) throws(DaemonSupportError) {
        let document: JSONValue
        do {
            document = try JSONParser.parse(json, limits: Self.jsonLimits)
        } catch {
            throw StatusFields.failure("not valid JSON at byte \(error.offset): \(error.detail)")
        }
        guard let object = document.object else { throw StatusFields.failure("not a JSON object") }
        let fields = StatusFields(members: object)
        self.init()
        guard let stateWord = try fields.string("state") else { throw StatusFields.failure("no \"state\"") }
        guard let state = State(rawValue: stateWord) else {
            throw StatusFields.failure("unknown state \(DaemonSupportError.quoted(stateWord))")
        }
        self.state = state
        if let words = try fields.strings("faults") {
            faults = Array(Set(words.compactMap(Fault.init(rawValue:)))).sorted()
        }
        if let value = try fields.int("uptimeSeconds") { uptimeSeconds = value }
        if let value = try fields.string("camera") { camera = value }
        if let value = try fields.uint("frames") { frames = value }
        if let value = try fields.uint("framesDropped") { framesDropped = value }
        if let value = try fields.uint("scans") { scans = value }
        if let value = try fields.uint("codesRead") { codesRead = value }
        if let value = try fields.uint("duplicatesSuppressed") { duplicatesSuppressed = value }
        if let value = try fields.uint("passes") { passes = value }
        if let value = try fields.uint("fails") { fails = value }
        if let counts = try fields.counts("failsByReason") {
            for (word, count) in counts {
                let reason = VerdictLine.reason(word: word)
                let (sum, overflow) = failsByReason[reason, default: 0].addingReportingOverflow(count)
                failsByReason[reason] = overflow ? .max : sum
            }
        }
        if let counts = try fields.counts("failsByRule") {
            for (word, count) in counts { countRuleFails(word, count) }
        }
        if let value = try fields.uint("decodeErrors") { decodeErrors = value }
        for (key, field) in [("passesByFormat", \StatusSnapshot.passesByFormat), ("failsByFormat", \StatusSnapshot.failsByFormat)] {
            for (word, count) in try fields.counts(key) ?? [] {
                let format = CredentialFormat(rawValue: word) ?? .unknown
                let (sum, overflow) = self[keyPath: field][format, default: 0].addingReportingOverflow(count)
                self[keyPath: field][format] = overflow ? .max : sum
            }
        }
        if let value = try fields.uint("cameraFaults") { cameraFaults = value }
        if let value = try fields.uint("cameraReconnects") { cameraReconnects = value }
        trustSequence = try fields.uint("trustSequence", nullable: true)
        trustAgeSeconds = try fields.int("trustAgeSeconds", nullable: true)
        trustExpiresInSeconds = try fields.int("trustExpiresInSeconds", nullable: true)
        if let value = try fields.uint("trustReloads") { trustReloads = value }
        trustFetchLastAttempt = try fields.int("trustFetchLastAttempt", nullable: true)
        trustFetchLastSuccess = try fields.int("trustFetchLastSuccess", nullable: true)
        // Only a code gets through, as from the state file: never free text.
        trustFetchOutcome = try fields.string("trustFetchOutcome", nullable: true).flatMap { ImportProgress.isReasonCode($0) ? $0 : nil }
        trustFetchFailures = try fields.uint("trustFetchFailures", nullable: true)
        lastLatencyMilliseconds = try fields.double("lastLatencyMilliseconds", nullable: true)
        maxLatencyMilliseconds = try fields.double("maxLatencyMilliseconds", nullable: true)
    }
}

/// The members of a status reply, read with the reply's type rules: each accessor is nil when the key
/// is absent (or `null` where the field is optional) and refuses any other type.
private struct StatusFields {
    let members: JSONObject

    static func failure(_ detail: String) -> DaemonSupportError {
        DaemonSupportError(.badStatus, "status reply: \(detail)")
    }

    func string(_ key: String, nullable: Bool = false) throws(DaemonSupportError) -> String? {
        guard let value = members[key], !(nullable && value.isNull) else { return nil }
        guard let text = value.string else { throw wrongType(key, "a string") }
        return text
    }

    func strings(_ key: String) throws(DaemonSupportError) -> [String]? {
        guard let value = members[key] else { return nil }
        guard let items = value.array else { throw wrongType(key, "an array of strings") }
        var words: [String] = []
        for item in items {
            guard let word = item.string else { throw wrongType(key, "an array of strings") }
            words.append(word)
        }
        return words
    }

    func counts(_ key: String) throws(DaemonSupportError) -> [(String, UInt64)]? {
        guard let value = members[key] else { return nil }
        guard let entries = value.object else { throw wrongType(key, "an object of counts") }
        var counts: [(String, UInt64)] = []
        for (word, entry) in entries {
            guard let count = entry.uint64 else { throw wrongType("\(key).\(word)", "a non-negative integer") }
            counts.append((word, count))
        }
        return counts
    }

    func uint(_ key: String, nullable: Bool = false) throws(DaemonSupportError) -> UInt64? {
        guard let value = members[key], !(nullable && value.isNull) else { return nil }
        guard let number = value.uint64 else { throw wrongType(key, "a non-negative integer") }
        return number
    }

    func int(_ key: String, nullable: Bool = false) throws(DaemonSupportError) -> Int64? {
        guard let value = members[key], !(nullable && value.isNull) else { return nil }
        guard let number = value.int64 else { throw wrongType(key, "an integer") }
        return number
    }

    func double(_ key: String, nullable: Bool = false) throws(DaemonSupportError) -> Double? {
        guard let value = members[key], !(nullable && value.isNull) else { return nil }
        guard let number = value.number?.double, number.isFinite else { throw wrongType(key, "a number") }
        return number
    }

    private func wrongType(_ key: String, _ expected: String) -> DaemonSupportError {
        Self.failure("\(DaemonSupportError.quoted(key)) is not \(expected)")
    }
}
