/// Durations as configuration writes them: `30s`, `10m`, `2h`, `7d`, or `0`.
public enum DurationText {
    /// Seconds, or nil when `text` is not a duration.
    public static func seconds(_ text: String) -> Int? {
        let t = text.trimming(" ")
        if t == "0" { return 0 }
        guard let unit = t.last, let n = Int(t.dropLast()), n >= 0 else { return nil }
        switch unit {
        case "s": return n
        case "m": return n.multipliedReportingOverflow(by: 60).overflow ? nil : n * 60
        case "h": return n.multipliedReportingOverflow(by: 3600).overflow ? nil : n * 3600
        case "d": return n.multipliedReportingOverflow(by: 86_400).overflow ? nil : n * 86_400
        default: return nil
        }
    }

    /// `90` → `1m30s`, `3600` → `1h`.
    public static func format(_ seconds: Int) -> String {
        if seconds == 0 { return "0" }
        var s = seconds, out = ""
        for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] where s >= size {
            out += "\(s / size)\(unit)"
            s %= size
        }
        return out
    }
}

extension StringProtocol {
    /// Without the leading and trailing characters that appear in `set`.
    public func trimming(_ set: String) -> String {
        let chars = Set(set)
        var s = Substring(self)
        while let f = s.first, chars.contains(f) { s.removeFirst() }
        while let l = s.last, chars.contains(l) { s.removeLast() }
        return String(s)
    }
}
