import Testing

@testable import DaemonSupport

/// The TOML subset: what parses, to what, and the one-line errors for what does not.
@Suite("TOML subset parser")
struct TOMLParserTests {
    func parse(_ text: String) throws(DaemonSupportError) -> TOMLDocument {
        try TOMLParser.parse(Array(text.utf8), file: "t.conf")
    }

    func failure(_ text: String) -> String? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func valuesOfEveryType() throws {
        let document = try parse(
            """
            # comment
            s = "a\\"b\\\\c\\nd\\te\\u00e9\\U0001F600"  # trailing comment
            i = -1_000_000
            z = 0
            p = +7
            f = 3.25e-1
            g = 1e3
            t = true
            n = false
            strings = ["x", "y",]
            ints = [
              1,  # one
              2,
            ]
            empty = []

            [a.b]
            k = 1
            [a]
            j = 2
            """
        )
        let root = try #require(document.tables[""])
        #expect(root.entries["s"]?.value == .string("a\"b\\c\nd\teé😀"))
        #expect(root.entries["s"]?.line == 2)
        #expect(root.entries["i"]?.value == .integer(-1_000_000))
        #expect(root.entries["z"]?.value == .integer(0))
        #expect(root.entries["p"]?.value == .integer(7))
        #expect(root.entries["f"]?.value == .float(0.325))
        #expect(root.entries["g"]?.value == .float(1000))
        #expect(root.entries["t"]?.value == .boolean(true))
        #expect(root.entries["n"]?.value == .boolean(false))
        #expect(root.entries["strings"]?.value == .array([.string("x"), .string("y")]))
        #expect(root.entries["ints"]?.value == .array([.integer(1), .integer(2)]))
        #expect(root.entries["ints"]?.line == 11)
        #expect(root.entries["empty"]?.value == .array([]))
        #expect(document.tables["a.b"]?.entries["k"]?.value == .integer(1))
        #expect(document.tables["a"]?.entries["j"]?.value == .integer(2))
        #expect(document.tables["a"]?.line == 19)
    }

    @Test func crlfLineEndings() throws {
        let document = try parse("a = 1\r\n\r\nb = \"x\"\r\n")
        #expect(document.tables[""]?.entries["b"]?.line == 3)
    }

    @Test(arguments: [
        ("k = \"abc", "t.conf:1: key \"k\": unterminated string"),
        ("k = 'abc'", "t.conf:1: key \"k\": literal strings ('…') are not supported; use \"…\""),
        ("k = \"\"\"x\"\"\"", "t.conf:1: key \"k\": multi-line strings (\"\"\") are not supported"),
        ("k = \"\\q\"", "t.conf:1: key \"k\": unknown escape \"\\q\" in a string"),
        ("k = \"\\u12\"", "t.conf:1: key \"k\": \\u needs 4 hex digits"),
        ("k = \"\\uD800\"", "t.conf:1: key \"k\": \\u escape is not a Unicode scalar value"),
        ("k = 012", "t.conf:1: key \"k\": leading zeros are not allowed in an integer"),
        ("k = 1__0", "t.conf:1: key \"k\": \"1__0\" is not a value; strings need double quotes"),
        ("k = 99999999999999999999", "t.conf:1: key \"k\": integer 99999999999999999999 does not fit in 64 bits"),
        ("k = 2024-01-01", "t.conf:1: key \"k\": dates and times are not supported"),
        ("k = hello", "t.conf:1: key \"k\": \"hello\" is not a value; strings need double quotes"),
        ("k =", "t.conf:1: key \"k\": missing value after \"=\""),
        ("k = 1 2", "t.conf:1: unexpected \"2\" after the value; one key = value per line"),
        ("k = [1, \"a\"]", "t.conf:1: key \"k\": array mixes an integer and a string"),
        ("k = [[1]]", "t.conf:1: key \"k\": nested arrays are not supported"),
        ("k = [true]", "t.conf:1: key \"k\": arrays hold only strings or integers, not a boolean"),
        ("k = [1,\n2", "t.conf:2: key \"k\": unterminated array"),
        ("k = {a = 1}", "t.conf:1: key \"k\": inline tables are not supported; use a [table] header"),
        ("a.b = 1", "t.conf:1: key \"a\": dotted keys are not supported; put the key under a [table] header"),
        ("\"k\" = 1", "t.conf:1: quoted keys are not supported; use letters, digits, \"_\" and \"-\""),
        ("k 1", "t.conf:1: key \"k\": expected \"=\" after the key"),
        ("[[x]]", "t.conf:1: arrays of tables ([[…]]) are not supported"),
        ("[x", "t.conf:1: expected \"]\" to close the table header"),
        ("k = 1\nk = 2", "t.conf:2: key \"k\": defined twice (first on line 1)"),
        ("[t]\n[t]", "t.conf:2: table \"t\": defined twice (first on line 1)"),
        ("[t]\nk = 1\n[t.k]", "t.conf:3: key \"t.k\": is already a key (line 2) and cannot also be a table"),
        ("k = \"a\u{01}b\"", "t.conf:1: key \"k\": control character in a string; write it as an escape"),
    ])
    func errors(text: String, expected: String) {
        #expect(failure(text) == expected)
    }

    @Test func invalidUTF8IsRefused() {
        #expect(throws: DaemonSupportError.unreadableFile) {
            try TOMLParser.parse([0x6B, 0x20, 0x3D, 0x20, 0x22, 0xFF, 0x22], file: "t.conf")
        }
    }
}

extension DaemonSupportError {
    static let unreadableFile = DaemonSupportError(.unreadableFile, "")
}
