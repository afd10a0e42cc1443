import FeedCore
import FeedHTTP
import FeedYAML
import Foundation

/// One configuration key, described once: its name, its type, its bounds, its default (read from a
/// default section, so the docs cannot disagree with the code) and its doc line, and how a YAML value
/// is read into the section. The tables of `ConfigTable` drive the loader (allowed keys, reading,
/// bounds), `check` (the same loader) and the key tables of config/README.md (`feedwatch check --keys`).
struct ConfigKey<Section>: Sendable {
    let name: String
    let type: String
    /// Bounds as the docs show them (`1–1024`, `1s–5m`), or empty.
    let bounds: String
    let doc: String
    /// The default as the docs show it, from a default section.
    let shows: @Sendable (Section) -> String
    /// Reads the value into the section; `base` is the configuration file's directory (for paths).
    /// Nil for a key its section reads itself (a sub-section, a feed's `url`, `username` with `password`).
    let reads: (@Sendable (inout Section, YAMLValue, _ base: String?) throws(ConfigError) -> Void)?

    /// The row of the key table: `| \`name\` | type | default | bounds: doc |`.
    func row(defaults: Section) -> String {
        let shown = shows(defaults)
        let notes = [bounds, doc].filter { !$0.isEmpty }.joined(separator: "; ")
        return "| `\(name)` | \(type) | \(shown.isEmpty ? "" : "`\(shown)`") | \(notes) |"
    }
}

extension ConfigKey {
    /// A key read by its section's own code, described here for the allowed keys and the docs.
    static func own(_ name: String, _ type: String, default shown: String, _ doc: String) -> ConfigKey {
        ConfigKey(name: name, type: type, bounds: "", doc: doc, shows: { _ in shown }, reads: nil)
    }

    static func int(
        _ name: String, _ kp: any WritableKeyPath<Section, Int> & Sendable, in range: ClosedRange<Int>,
        _ doc: String
    ) -> ConfigKey {
        ConfigKey(
            name: name, type: "int", bounds: "\(range.lowerBound)–\(range.upperBound)", doc: doc,
            shows: { "\($0[keyPath: kp])" }, reads: { s, v, _ throws(ConfigError) in s[keyPath: kp] = try v.int(in: range) })
    }

    static func double(
        _ name: String, _ kp: any WritableKeyPath<Section, Double> & Sendable, in range: ClosedRange<Double>,
        _ doc: String
    ) -> ConfigKey {
        ConfigKey(
            name: name, type: "number", bounds: "\(range.lowerBound)–\(range.upperBound)", doc: doc,
            shows: { "\($0[keyPath: kp])" }, reads: { s, v, _ throws(ConfigError) in s[keyPath: kp] = try v.double(in: range) })
    }

    static func bool(_ name: String, _ kp: any WritableKeyPath<Section, Bool> & Sendable, _ doc: String) -> ConfigKey {
        ConfigKey(
            name: name, type: "bool", bounds: "", doc: doc,
            shows: { "\($0[keyPath: kp])" }, reads: { s, v, _ throws(ConfigError) in s[keyPath: kp] = try v.bool() })
    }

    /// Seconds, written as a duration (`30s`, `10m`, `1h30m`, `7d`).
    static func duration(
        _ name: String, _ kp: any WritableKeyPath<Section, Int> & Sendable, in range: ClosedRange<Int>,
        _ doc: String
    ) -> ConfigKey {
        ConfigKey(
            name: name, type: "duration", bounds: ConfigValues.durationBounds(range), doc: doc,
            shows: { DurationText.format($0[keyPath: kp]) },
            reads: { s, v, _ throws(ConfigError) in s[keyPath: kp] = try ConfigValues.duration(v, in: range) })
    }

    /// A path; a relative one is joined to the configuration file's directory.
    static func path(_ name: String, _ kp: any WritableKeyPath<Section, String> & Sendable, _ doc: String) -> ConfigKey {
        ConfigKey(
            name: name, type: "path", bounds: "", doc: doc, shows: { $0[keyPath: kp] },
            reads: { s, v, base throws(ConfigError) in s[keyPath: kp] = try ConfigValues.path(v, base: base) })
    }

    static func optionalPath(_ name: String, _ kp: any WritableKeyPath<Section, String?> & Sendable, _ doc: String) -> ConfigKey {
        ConfigKey(
            name: name, type: "path or null", bounds: "", doc: doc, shows: { $0[keyPath: kp] ?? "null" },
            reads: { s, v, base throws(ConfigError) in s[keyPath: kp] = try ConfigValues.optionalPath(v, base: base) })
    }

    static func optionalString(_ name: String, _ kp: any WritableKeyPath<Section, String?> & Sendable, _ doc: String) -> ConfigKey
    {
        ConfigKey(
            name: name, type: "string or null", bounds: "", doc: doc, shows: { $0[keyPath: kp] ?? "null" },
            reads: { s, v, _ throws(ConfigError) in s[keyPath: kp] = try ConfigValues.optionalString(v) })
    }

    /// One of the raw values of `E`.
    static func choice<E: RawRepresentable & CaseIterable & Sendable>(
        _ name: String, _ kp: any WritableKeyPath<Section, E> & Sendable, _ doc: String
    ) -> ConfigKey where E.RawValue == String {
        let names = E.allCases.map(\.rawValue)
        return ConfigKey(
            name: name, type: names.map { "`\($0)`" }.joined(separator: " or "), bounds: "", doc: doc,
            shows: { $0[keyPath: kp].rawValue },
            reads: { s, v, _ throws(ConfigError) in
                guard let value = E(rawValue: try v.string()) else {
                    throw v.error("expected \(names.joined(separator: " or "))")
                }
                s[keyPath: kp] = value
            })
    }
}

extension ConfigKey where Section == DaemonConfig.Sink {
    /// A sink's routing filter: a list of strings, each kept with where it was written.
    static func filter(
        _ name: String, _ kp: any WritableKeyPath<Section, [DaemonConfig.Located]> & Sendable, _ doc: String
    ) -> ConfigKey {
        ConfigKey(
            name: name, type: "list of strings", bounds: "", doc: doc, shows: { _ in "all" },
            reads: { s, v, _ throws(ConfigError) in
                s[keyPath: kp] = try v.sequence().map { (item: YAMLValue) throws(ConfigError) -> DaemonConfig.Located in
                    DaemonConfig.Located(value: try item.string().trimming(" "), line: item.line, column: item.column)
                }
            })
    }
}

/// Reading the value types of the configuration: durations, paths, nullable strings, zone offsets.
enum ConfigValues {
    static func duration(_ v: YAMLValue, in range: ClosedRange<Int>) throws(ConfigError) -> Int {
        let text: String
        if let i = v.intValue {
            // A bare number would silently mean seconds to some readers and minutes to others.
            guard i == 0 else { throw v.error("\(i) has no unit: write \(i)s, \(i)m, \(i)h or \(i)d") }
            text = "0"
        } else {
            text = try v.string()
        }
        guard let s = DurationText.seconds(text) else {
            throw v.error("expected a duration such as 30s, 10m, 1h30m or 7d (got '\(text)')")
        }
        guard range.contains(s) else {
            throw v.error(
                "\(text) is out of range \(DurationText.format(range.lowerBound))…\(DurationText.format(range.upperBound))")
        }
        return s
    }

    static func durationBounds(_ range: ClosedRange<Int>) -> String {
        "\(DurationText.format(range.lowerBound))–\(DurationText.format(range.upperBound))"
    }

    /// A path as written, or, when relative, joined to `base` (the configuration file's directory).
    static func path(_ v: YAMLValue, base: String?) throws(ConfigError) -> String {
        let p = try v.string()
        guard !p.isEmpty, !p.utf8.contains(0) else { throw v.error("expected a path") }
        guard !p.hasPrefix("/"), let base else { return p }
        // `config/../var/spool` would print as written in every message: folded to `var/spool`.
        return PathText.normalized(base + "/" + p)
    }

    static func optionalPath(_ v: YAMLValue, base: String?) throws(ConfigError) -> String? {
        if isNull(v) { return nil }
        return try path(v, base: base)
    }

    static func optionalString(_ v: YAMLValue) throws(ConfigError) -> String? {
        if isNull(v) { return nil }
        return try v.string()
    }

    /// A mapping of request headers, as `Name: value` lines; a value with a line break is refused
    /// (it would smuggle another header).
    static func headers(_ v: YAMLValue) throws(ConfigError) -> [String] {
        var out: [String] = []
        for (name, value) in try v.mapping() {
            let header = "\(name): \(try value.string())"
            guard !header.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
                throw value.error("header values cannot contain line breaks")
            }
            guard header.utf8.count <= HeaderValue.configuredLimit else {
                throw value.error(
                    "header \(name) is \(header.utf8.count) bytes; at most \(HeaderValue.configuredLimit) per header line")
            }
            out.append(header)
        }
        return out
    }

    /// A mapping of environment variables: names of letters, digits and `_` (not starting with a digit),
    /// values without NUL.
    static func environment(_ v: YAMLValue) throws(ConfigError) -> [String: String] {
        var out: [String: String] = [:]
        for (name, value) in try v.mapping() {
            let valid =
                name.utf8.first.map { !(0x30...0x39).contains($0) } == true
                && name.utf8.allSatisfy {
                    ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F
                }
            guard valid else { throw value.error("'\(name)' is not an environment variable name (letters, digits and _)") }
            let text = try value.string()
            guard !text.utf8.contains(0) else { throw value.error("an environment value cannot contain NUL") }
            out[name] = text
        }
        return out
    }

    static func isNull(_ v: YAMLValue) -> Bool {
        guard let s = v.scalarText else { return false }
        return s.isEmpty || s == "null" || s == "~"
    }

    /// A sink's `digest:`: `{every: DURATION}` or `{at: "HH:MM", timezone: ZONE}`.
    static func period(_ v: YAMLValue) throws(ConfigError) -> DaemonConfig.Sink.Period {
        let m = try v.fields(allowed: ["every", "at", "timezone"])
        switch (m["every"], m["at"]) {
        case (let every?, nil):
            if let z = m["timezone"] { throw z.error("timezone goes with at:, not every:") }
            return .every(seconds: try duration(every, in: 60...(7 * 86_400)))
        case (nil, let at?):
            return .daily(minuteOfDay: try minuteOfDay(at), zone: try zone(m["timezone"]))
        default:
            throw v.error("a digest is {every: DURATION} or {at: \"HH:MM\", timezone: ZONE}")
        }
    }

    static func quietHours(_ v: YAMLValue) throws(ConfigError) -> DaemonConfig.Sink.QuietHours {
        let m = try v.fields(allowed: ["from", "to", "timezone"])
        guard let from = m["from"], let to = m["to"] else { throw v.error("quiet hours need from: and to: (\"HH:MM\")") }
        let hours = DaemonConfig.Sink.QuietHours(
            from: try minuteOfDay(from), to: try minuteOfDay(to), zone: try zone(m["timezone"]))
        if hours.from == hours.to { throw to.error("quiet hours from and to are the same time") }
        return hours
    }

    static func minuteOfDay(_ v: YAMLValue) throws(ConfigError) -> Int {
        guard let minute = LocalTime.parse(try v.string()) else { throw v.error("expected a time of day, HH:MM (00:00–23:59)") }
        return minute
    }

    /// The zone a time of day is read in: the system's when not given.
    static func zone(_ v: YAMLValue?) throws(ConfigError) -> TimeZone {
        guard let v else { return TimeZone.current }
        guard let zone = LocalTime.zone(try v.string()) else {
            throw v.error("expected an offset such as +03:00 or UTC, or a zone name such as Europe/London")
        }
        return zone
    }

    /// `+03:00`, `-0500`, `+3`, `UTC`.
    static func offset(_ text: String) -> Int? {
        let t = text.trimming(" ")
        if t.uppercased() == "UTC" || t.uppercased() == "GMT" || t == "Z" { return 0 }
        guard let sign = t.first, sign == "+" || sign == "-" else { return nil }
        let digits = t.dropFirst().filter { $0 != ":" }
        guard !digits.isEmpty, digits.count <= 4, let n = Int(digits) else { return nil }
        let (h, m) = digits.count <= 2 ? (n, 0) : (n / 100, n % 100)
        guard h <= 14, m < 60 else { return nil }
        return (sign == "-" ? -1 : 1) * (h * 3600 + m * 60)
    }
}
