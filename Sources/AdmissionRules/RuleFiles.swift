import JSON

/// Rules, value sets and rule tests from folders on disk (a USB stick, a checkout of the EU's
/// rule test data), read with bounded sizes and counts and without following symbolic links below
/// the path given. Any unreadable or invalid file fails the whole call: a partial rule set could admit
/// what the full one refuses.
public enum RuleFiles {
    /// Bounds on what one call reads.
    public struct Limits: Sendable, Hashable {
        /// Largest file read (rules are a few KiB; the EU value sets under 10 KiB).
        public var maxFileBytes: Int
        /// Most folder entries visited in one walk.
        public var maxEntries: Int
        /// Deepest folder nesting below the given path.
        public var maxDepth: Int

        public init(maxFileBytes: Int = 1 << 20, maxEntries: Int = 20_000, maxDepth: Int = 16) {
            self.maxFileBytes = maxFileBytes
            self.maxEntries = maxEntries
            self.maxDepth = maxDepth
        }

        public static let `default` = Limits()
    }

    /// The file name that marks a rule folder.
    public static let ruleFileName = "rule.json"

    /// The rules at `path`: a rule file, or every `rule.json` in the folder tree below it, in path order.
    public static func rules(at path: String, limits: Limits = .default) throws(AdmissionRulesError) -> [ValidationRule] {
        let reader = BoundedFileReader(maxFileBytes: limits.maxFileBytes)
        if try reader.kind(of: path, followLinks: true) == .file {
            return [try rule(at: path, reader: reader, followLinks: true)]
        }
        var rules: [ValidationRule] = []
        for folder in try ruleFolders(at: path, reader: reader, limits: limits) {
            rules.append(try rule(at: folder + "/" + ruleFileName, reader: reader, followLinks: false))
        }
        return rules
    }

    /// The value sets in the file at `path`, or in `valueSets.json` when `path` is a folder.
    public static func valueSets(at path: String, limits: Limits = .default) throws(AdmissionRulesError) -> ValueSets {
        let reader = BoundedFileReader(maxFileBytes: limits.maxFileBytes)
        let isFolder = try reader.kind(of: path, followLinks: true) == .directory
        let file = isFolder ? path + "/valueSets.json" : path
        do {
            return try ValueSets(json: json(at: file, reader: reader, followLinks: !isFolder))
        } catch {
            throw error.code == .invalidValueSets ? error.within(file) : error
        }
    }

    /// One JSON document from a file, with the same bounds (for `gatecheck rules eval`).
    public static func json(at path: String, limits: Limits = .default) throws(AdmissionRulesError) -> JSONValue {
        try json(at: path, reader: BoundedFileReader(maxFileBytes: limits.maxFileBytes), followLinks: true)
    }

    /// Every folder at or below `path` holding a `rule.json`, with the `*.json` files of its `tests`
    /// folder (none when it has no such folder), sorted by folder path and test file name.
    public static func ruleTests(at path: String, limits: Limits = .default) throws(AdmissionRulesError) -> [RuleTestCase] {
        let reader = BoundedFileReader(maxFileBytes: limits.maxFileBytes)
        var cases: [RuleTestCase] = []
        for folder in try ruleFolders(at: path, reader: reader, limits: limits) {
            let ruleFile = folder + "/" + ruleFileName
            let rule = try rule(at: ruleFile, reader: reader, followLinks: false)
            var tests: [RuleTestCase.Entry] = []
            let testsFolder = folder + "/tests"
            if (try? reader.kind(of: testsFolder, followLinks: false)) == .directory {
                for name in try reader.list(testsFolder) where name.hasSuffix(".json") && !name.hasPrefix(".") {
                    let file = testsFolder + "/" + name
                    do {
                        tests.append(RuleTestCase.Entry(file: file, test: try RuleTest(json: json(at: file, reader: reader, followLinks: false))))
                    } catch {
                        throw error.code == .invalidTest ? error.within(file) : error
                    }
                }
            }
            cases.append(RuleTestCase(rule: rule, ruleFile: ruleFile, tests: tests))
        }
        return cases
    }

    /// Runs every case's tests (see `RuleTestCase.run`), in order.
    public static func run(_ cases: [RuleTestCase], evaluator: RuleEvaluator = RuleEvaluator(checksSchemaVersion: false)) -> [RuleTestResult] {
        cases.flatMap { $0.run(evaluator: evaluator) }
    }

    // MARK: - Walking and reading

    private static func rule(at file: String, reader: BoundedFileReader, followLinks: Bool) throws(AdmissionRulesError) -> ValidationRule {
        let value = try json(at: file, reader: reader, followLinks: followLinks)
        do {
            return try ValidationRule(json: value)
        } catch {
            throw error.within(file)
        }
    }

    private static func json(at file: String, reader: BoundedFileReader, followLinks: Bool) throws(AdmissionRulesError) -> JSONValue {
        let bytes = try reader.read(file, followLinks: followLinks)
        do {
            return try JSONParser.parse(bytes, limits: JSONLimits(maxBytes: reader.maxFileBytes))
        } catch {
            throw AdmissionRulesError(.invalidJSON, "\(file): \(error)")
        }
    }

    /// Folders at or below `root` that hold a regular `rule.json`, sorted by path. Entries whose names
    /// start with `.` are skipped (`.git` and the like); a symbolic link anywhere below is an error.
    private static func ruleFolders(at root: String, reader: BoundedFileReader, limits: Limits) throws(AdmissionRulesError) -> [String] {
        guard try reader.kind(of: root, followLinks: true) == .directory else {
            throw AdmissionRulesError(.unreadableFile, "\(root): not a rule file or folder")
        }
        var found: [String] = []
        var pending: [(path: String, depth: Int)] = [(trimmed(root), 0)]
        var visited = 0
        while let (folder, depth) = pending.popLast() {
            for name in try reader.list(folder) where !name.hasPrefix(".") {
                visited += 1
                guard visited <= limits.maxEntries else {
                    throw AdmissionRulesError(.tooManyFiles, "\(root): more than \(limits.maxEntries) entries")
                }
                let path = folder + "/" + name
                switch try reader.kind(of: path, followLinks: false) {
                case .symbolicLink:
                    throw AdmissionRulesError(.unreadableFile, "\(path): a symbolic link")
                case .directory:
                    guard depth < limits.maxDepth else {
                        throw AdmissionRulesError(.tooManyFiles, "\(path): nested deeper than \(limits.maxDepth) folders")
                    }
                    pending.append((path, depth + 1))
                case .file where name == ruleFileName:
                    found.append(folder)
                case .file, .other:
                    continue
                }
            }
        }
        return found.sorted()
    }

    /// `path` without trailing slashes (but `/` stays `/`).
    private static func trimmed(_ path: String) -> String {
        var path = path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path
    }
}
