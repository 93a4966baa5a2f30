import HealthCredentials

/// Prometheus text exposition format 0.0.4, for node_exporter's textfile collector.
///
/// Every enum case gets a sample (0 or 1) rather than only the current one, so a dashboard sees a
/// state end instead of a series going stale. Latency is in seconds, Prometheus' base unit.
extension StatusSnapshot {
    /// The whole exposition, ending in a newline.
    public func prometheusText() -> String {
        var text = PrometheusText()

        text.family("gatecheck_state", .gauge, "1 for the gate's current state, 0 for the others.")
        for candidate in State.allCases {
            text.sample("gatecheck_state", ["state": candidate.rawValue], candidate == state ? "1" : "0")
        }
        text.family("gatecheck_fault", .gauge, "1 while the fault is present, 0 otherwise.")
        for fault in Fault.allCases {
            text.sample("gatecheck_fault", ["fault": fault.rawValue], faults.contains(fault) ? "1" : "0")
        }
        text.family("gatecheck_camera_info", .gauge, "The configured camera device; always 1.")
        text.sample("gatecheck_camera_info", ["camera": camera], "1")
        text.family("gatecheck_uptime_seconds", .gauge, "Seconds since the daemon started.")
        text.sample("gatecheck_uptime_seconds", String(uptimeSeconds))

        text.counter("gatecheck_frames_total", "Frames captured.", frames)
        text.counter("gatecheck_frames_dropped_total", "Frames dropped because the scanner was busy.", framesDropped)
        text.counter("gatecheck_scans_total", "Frames scanned for codes.", scans)
        text.counter("gatecheck_codes_read_total", "Codes found, before de-duplication.", codesRead)
        text.counter("gatecheck_duplicates_suppressed_total", "Codes ignored as repeats of one just decided.", duplicatesSuppressed)

        text.family("gatecheck_verdicts_total", .counter, "Verdicts by outcome.")
        text.sample("gatecheck_verdicts_total", ["verdict": "pass"], String(passes))
        text.sample("gatecheck_verdicts_total", ["verdict": "fail"], String(fails))
        text.family("gatecheck_fails_total", .counter, "Failed verdicts by reason code; only reasons that occurred.")
        for (reason, count) in failsByReason.map({ (VerdictLine.word($0.key), $0.value) }).sorted(by: { $0.0 < $1.0 }) {
            text.sample("gatecheck_fails_total", ["reason": reason], String(count))
        }
        text.family(
            "gatecheck_rule_fails_total", .counter,
            "Failed verdicts by admission rule that failed or errored; only such rules, at most \(Self.maximumRuleKeys), the rest as \(Self.otherRulesKey).")
        for (rule, count) in failsByRule.sorted(by: { $0.key < $1.key }) {
            text.sample("gatecheck_rule_fails_total", ["rule": rule], String(count))
        }
        text.counter("gatecheck_decode_errors_total", "Failed verdicts caused by an unreadable or foreign code.", decodeErrors)
        text.family("gatecheck_format_verdicts_total", .counter, "Verdicts by credential format and outcome; only formats that occurred.")
        for (verdict, counts) in [("pass", passesByFormat), ("fail", failsByFormat)] {
            for (format, count) in counts.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                text.sample("gatecheck_format_verdicts_total", ["format": format.rawValue, "verdict": verdict], String(count))
            }
        }

        text.counter("gatecheck_camera_faults_total", "Times the camera was lost or stalled.", cameraFaults)
        text.counter("gatecheck_camera_reconnects_total", "Times frames flowed again after a camera fault.", cameraReconnects)

        // Without an installed bundle these have no value; an absent series says so better than a 0.
        if let trustSequence {
            text.family("gatecheck_trust_sequence", .gauge, "Sequence number of the installed trust bundle.")
            text.sample("gatecheck_trust_sequence", String(trustSequence))
        }
        if let trustAgeSeconds {
            text.family("gatecheck_trust_age_seconds", .gauge, "Seconds since the installed trust bundle was issued.")
            text.sample("gatecheck_trust_age_seconds", String(trustAgeSeconds))
        }
        if let trustExpiresInSeconds {
            text.family(
                "gatecheck_trust_expires_in_seconds", .gauge,
                "Seconds until the installed trust bundle goes stale; negative once it has.")
            text.sample("gatecheck_trust_expires_in_seconds", String(trustExpiresInSeconds))
        }
        text.counter("gatecheck_trust_reloads_total", "Successful trust loads since start.", trustReloads)

        // `gatecheck trust fetch`: absent until a fetch has run. Only the last outcome has a sample, since the
        // failure codes are an open set; the file is rewritten whole, so the previous outcome's series ends.
        if let trustFetchLastAttempt {
            text.family("gatecheck_trust_fetch_last_attempt_timestamp_seconds", .gauge, "When the last trust fetch ran (Unix time).")
            text.sample("gatecheck_trust_fetch_last_attempt_timestamp_seconds", String(trustFetchLastAttempt))
        }
        if let trustFetchLastSuccess {
            text.family(
                "gatecheck_trust_fetch_last_success_timestamp_seconds", .gauge, "When a trust fetch last left the newest bundle installed (Unix time).")
            text.sample("gatecheck_trust_fetch_last_success_timestamp_seconds", String(trustFetchLastSuccess))
        }
        if let trustFetchFailures {
            text.family("gatecheck_trust_fetch_failures", .gauge, "Failed trust fetches since the last successful one.")
            text.sample("gatecheck_trust_fetch_failures", String(trustFetchFailures))
        }
        if let trustFetchOutcome {
            text.family("gatecheck_trust_fetch_outcome", .gauge, "1 for the last trust fetch's outcome: installed, current, not-modified or a reason code.")
            text.sample("gatecheck_trust_fetch_outcome", ["outcome": trustFetchOutcome], "1")
        }

        if let lastLatencyMilliseconds {
            text.family("gatecheck_latency_last_seconds", .gauge, "Capture-to-decision time of the latest verdict.")
            text.sample("gatecheck_latency_last_seconds", PrometheusText.value(lastLatencyMilliseconds / 1000))
        }
        if let maxLatencyMilliseconds {
            text.family("gatecheck_latency_max_seconds", .gauge, "Longest capture-to-decision time since start.")
            text.sample("gatecheck_latency_max_seconds", PrometheusText.value(maxLatencyMilliseconds / 1000))
        }
        return text.output
    }
}

/// Builds exposition text line by line.
struct PrometheusText {
    enum Kind: String {
        case counter, gauge
    }

    private(set) var output = ""

    mutating func family(_ name: String, _ kind: Kind, _ help: String) {
        output += "# HELP \(name) \(Self.escapedHelp(help))\n# TYPE \(name) \(kind.rawValue)\n"
    }

    /// A counter family with its one unlabelled sample.
    mutating func counter(_ name: String, _ help: String, _ value: UInt64) {
        family(name, .counter, help)
        sample(name, String(value))
    }

    mutating func sample(_ name: String, _ value: String) {
        sample(name, [:], value)
    }

    /// Labels in key order, so the text is the same for the same snapshot.
    mutating func sample(_ name: String, _ labels: [String: String], _ value: String) {
        output += name
        if !labels.isEmpty {
            let pairs = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(Self.escapedLabelValue($0.value))\"" }
            output += "{" + pairs.joined(separator: ",") + "}"
        }
        output += " \(value)\n"
    }

    /// Backslash, double quote and newline are the only escapes a label value has.
    static func escapedLabelValue(_ value: String) -> String { escaped(value, quote: true) }

    /// HELP text escapes backslash and newline (a quote is literal there).
    static func escapedHelp(_ text: String) -> String { escaped(text, quote: false) }

    private static func escaped(_ text: String, quote: Bool) -> String {
        var out = ""
        for character in text.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\"" where quote: out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// Go's ParseFloat spellings for the values Swift would print as `inf` or `nan`.
    static func value(_ number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number < 0 ? "-Inf" : "+Inf" }
        return "\(number)"
    }
}
