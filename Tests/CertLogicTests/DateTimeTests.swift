import CertLogic
import JSON
import Testing

/// Date-time parsing (every format the spec lists), `plusTime` arithmetic (JavaScript's UTC
/// `setUTC…` semantics, which the spec names), `dccDateOfBirth` and date-time comparisons.
@Suite struct DateTimeTests {
    /// Every format in the spec, with the instant it denotes.
    static let formats: [(String, String)] = [
        ("2021", "2021-12-31T00:00:00.000Z"),
        ("2021-06", "2021-06-30T00:00:00.000Z"),
        ("2021-06-01", "2021-06-01T00:00:00.000Z"),
        ("2021-06-01T12:34:56", "2021-06-01T12:34:56.000Z"),
        ("2021-06-01T12:34:56Z", "2021-06-01T12:34:56.000Z"),
        ("2021-06-01T12:34:56+2", "2021-06-01T10:34:56.000Z"),
        ("2021-06-01T12:34:56+02", "2021-06-01T10:34:56.000Z"),
        ("2021-06-01T12:34:56+230", "2021-06-01T10:04:56.000Z"),
        ("2021-06-01T12:34:56+0230", "2021-06-01T10:04:56.000Z"),
        ("2021-06-01T12:34:56+2:30", "2021-06-01T10:04:56.000Z"),
        ("2021-06-01T12:34:56-02:30", "2021-06-01T15:04:56.000Z"),
        ("2021-06-01T12:34:56.7", "2021-06-01T12:34:56.700Z"),
        ("2021-06-01T12:34:56.78Z", "2021-06-01T12:34:56.780Z"),
        ("2021-06-01T12:34:56.1234+1", "2021-06-01T11:34:56.123Z"),
        ("2021-06-01T12:34:56.9999-01", "2021-06-01T13:34:56.999Z"),
        ("2021-06-01T12:34:56.5+130", "2021-06-01T11:04:56.500Z"),
        ("2021-06-01T12:34:56.05+0130", "2021-06-01T11:04:56.050Z"),
        ("2021-06-01T12:34:56.001+1:30", "2021-06-01T11:04:56.001Z"),
        ("2021-06-01T12:34:56.123456789+01:30", "2021-06-01T11:04:56.123Z"),
        // Offsets move the instant across days and years.
        ("2021-06-01T01:00:00+05:00", "2021-05-31T20:00:00.000Z"),
        ("2021-12-31T23:00:00-02:00", "2022-01-01T01:00:00.000Z"),
        ("2020-02-29T23:59:59.999-00:00", "2020-02-29T23:59:59.999Z"),
        ("0000-01-01", "0000-01-01T00:00:00.000Z"),
    ]

    @Test(arguments: formats)
    func parsesEveryFormat(text: String, instant: String) throws {
        #expect(try Evaluation.plusTime(text, 0, "day") == .string(instant))
        for unit in ["hour", "month", "year"] {
            #expect(try Evaluation.plusTime(text, 0, unit) == .string(instant), "amount 0 leaves \(text) as is for \(unit)")
        }
    }

    /// (start, amount, unit, result): the spec's leap-day table, month ends overflowing as JavaScript's do.
    static let offsets: [(String, Int, String, String)] = [
        ("2020-02-29", 1, "day", "2020-03-01T00:00:00.000Z"),
        ("2020-02-29", 1, "month", "2020-03-29T00:00:00.000Z"),
        ("2020-02-29", 1, "year", "2021-03-01T00:00:00.000Z"),
        ("2020-02-29", 4, "year", "2024-02-29T00:00:00.000Z"),
        ("2020-02-29", -4, "year", "2016-02-29T00:00:00.000Z"),
        ("2020-02-29", -1, "year", "2019-03-01T00:00:00.000Z"),
        ("2021-01-31", 1, "month", "2021-03-03T00:00:00.000Z"),
        ("2020-01-31", 1, "month", "2020-03-02T00:00:00.000Z"),
        ("2021-03-31", -1, "month", "2021-03-03T00:00:00.000Z"),
        ("2021-05-31", 1, "month", "2021-07-01T00:00:00.000Z"),
        ("2021-12-15", 1, "month", "2022-01-15T00:00:00.000Z"),
        ("2021-01-15", -13, "month", "2019-12-15T00:00:00.000Z"),
        ("2021-05-31", 12, "month", "2022-05-31T00:00:00.000Z"),
        ("2021-05-31", 1, "year", "2022-05-31T00:00:00.000Z"),
        ("2021-01-31T13:14:15.016Z", 1, "month", "2021-03-03T13:14:15.016Z"),
        ("2021-06-01T23:30:00Z", 1, "hour", "2021-06-02T00:30:00.000Z"),
        ("2021-06-01T23:30:00Z", -48, "hour", "2021-05-30T23:30:00.000Z"),
        ("2021-03-28T00:30:00Z", 24, "hour", "2021-03-29T00:30:00.000Z"),
        ("2020-12-25", 180, "day", "2021-06-23T00:00:00.000Z"),
        ("2021-06-23T00:00:00Z", -180, "day", "2020-12-25T00:00:00.000Z"),
        // Offsets only shift the instant: month arithmetic happens in UTC (JavaScript's setUTCMonth).
        ("2021-02-01T00:30:00+01:00", 1, "month", "2021-03-03T23:30:00.000Z"),
        // Partial dates are rounded up first, then offset.
        ("2004-01", 18, "year", "2022-01-31T00:00:00.000Z"),
        ("2004", 18, "year", "2022-12-31T00:00:00.000Z"),
        ("2003-02", 1, "year", "2004-02-28T00:00:00.000Z"),
        ("2004-02", 1, "month", "2004-03-29T00:00:00.000Z"),
        // Beyond four-digit years, results are written as JavaScript writes them.
        ("0000-01-01", -1, "day", "-000001-12-31T00:00:00.000Z"),
        ("9999-12-31", 1, "day", "+010000-01-01T00:00:00.000Z"),
        ("2021-01-01", 200_000, "year", "+202021-01-01T00:00:00.000Z"),
    ]

    @Test(arguments: offsets)
    func plusTimeOffsets(start: String, amount: Int, unit: String, result: String) throws {
        #expect(try Evaluation.plusTime(start, amount, unit) == .string(result))
    }

    @Test func dayAndHourOffsetsAreExactDurations() throws {
        // 1 day = 24 hours everywhere (no DST), also across leap days and year ends.
        for start in ["2020-02-28T05:00:00Z", "2021-12-31T23:59:59.999Z", "2021-10-31T01:30:00+02:00"] {
            for days in [-400, -1, 1, 31, 366] {
                #expect(try Evaluation.plusTime(start, days, "day") == Evaluation.plusTime(start, days * 24, "hour"))
            }
        }
    }

    /// (DOB, the last day consistent with it).
    static let datesOfBirth: [(String, String)] = [
        ("1990", "1990-12-31T00:00:00.000Z"),
        ("2000-02", "2000-02-29T00:00:00.000Z"),
        ("1900-02", "1900-02-28T00:00:00.000Z"),
        ("2021-02", "2021-02-28T00:00:00.000Z"),
        ("2021-04", "2021-04-30T00:00:00.000Z"),
        ("2021-12", "2021-12-31T00:00:00.000Z"),
        ("1990-05-17", "1990-05-17T00:00:00.000Z"),
        ("0000", "0000-12-31T00:00:00.000Z"),
    ]

    @Test(arguments: datesOfBirth)
    func dateOfBirthIsTheLastConsistentDay(dob: String, instant: String) throws {
        #expect(try Evaluation.dateOfBirth(dob) == .string(instant))
        // plusTime reads YYYY, YYYY-MM and YYYY-MM-DD the same way.
        #expect(try Evaluation.plusTime(dob, 0, "day") == .string(instant))
    }

    @Test func dateTimesCompareAsInstants() throws {
        func holds(_ operation: String, _ a: String, _ b: String) throws -> Bool {
            let expression: JSONValue = [operation: [["plusTime": [["var": "a"], 0, "day"]], ["plusTime": [["var": "b"], 0, "day"]]]]
            return try CertLogicExpression(validating: expression).evaluate(["a": .string(a), "b": .string(b)]) == true
        }
        // The same instant written with different offsets.
        #expect(try holds("not-after", "2021-06-01T12:00:00+02:00", "2021-06-01T10:00:00Z"))
        #expect(try holds("not-before", "2021-06-01T12:00:00+02:00", "2021-06-01T10:00:00Z"))
        #expect(try !holds("before", "2021-06-01T12:00:00+02:00", "2021-06-01T10:00:00Z"))
        #expect(try !holds("after", "2021-06-01T12:00:00+02:00", "2021-06-01T10:00:00Z"))
        // Later in local time, earlier as an instant.
        #expect(try holds("before", "2021-06-01T12:00:00+05:00", "2021-06-01T08:00:00Z"))
        #expect(try holds("after", "2021-06-01T00:00:00.001Z", "2021-06-01"))
        // Ternary form.
        let between = try Evaluation.evaluate(
            #"{"not-after": [{"plusTime": ["2021-01-01", 0, "day"]}, {"plusTime": [{"var": "d"}, 0, "day"]}, "#
                + #"{"plusTime": ["2021-01-01", 1, "year"]}]}"#,
            #"{"d": "2021-12-31T23:59:59Z"}"#)
        #expect(between == true)
    }

    @Test func dateTimesFlowThroughArraysAndReduce() throws {
        #expect(try Evaluation.evaluate(#"[{"plusTime": ["2021-01-01T10:00:00+01:00", 0, "hour"]}]"#) == ["2021-01-01T09:00:00.000Z"])
        let latest = #"{"reduce": [[1, 2], {"plusTime": ["2021-03-04", 0, "day"]}, {"plusTime": ["2021-01-01", 0, "day"]}]}"#
        #expect(try Evaluation.evaluate(#"{"after": [\#(latest), {"plusTime": ["2021-03-03", 0, "day"]}]}"#) == true)
        #expect(try Evaluation.evaluate(#"{"reduce": [[{"dccDateOfBirth": ["1999"]}], {"var": "current"}, 0]}"#) == "1999-12-31T00:00:00.000Z")
    }
}
