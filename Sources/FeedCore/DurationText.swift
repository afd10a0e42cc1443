/// Durations as configuration writes them: `30s`, `10m`, `2h`, `7d`, or `0`.
public enum DurationText: Sendable {
    /// Seconds, or nil when `text` is not a duration: `0`, or one or more `<number><unit>` parts with
    /// units d, h, m, s in that order, each at most once (`30s`, `10m`, `1h30m`, `2d12h`), the way
    /// `format` writes them. A bare number other than 0 has no unit and is refused.
    public static func seconds(_ text: String) -> Int? {
        let t = text.trimming(" ")
        if t == "0" { return 0 }
        let sizes: [(Character, Int)] = [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)]
        var total = 0
        var next = 0  // index into `sizes` of the smallest unit still allowed
        var digits = ""
        for c in t {
            if c.isASCII, c.isNumber {
                digits.append(c)
                continue
            }
            guard !digits.isEmpty, let n = Int(digits),
                let k = sizes[next...].firstIndex(where: { $0.0 == c })
            else { return nil }
            let (part, o1) = n.multipliedReportingOverflow(by: sizes[k].1)
            let (sum, o2) = total.addingReportingOverflow(part)
            guard !o1, !o2 else { return nil }
            total = sum
            next = k + 1
            digits = ""
        }
        return digits.isEmpty && next > 0 ? total : nil
    }

    /// `90` → `1m30s`, `3600` → `1h`.
    public static func format(_ seconds: Int) -> String {
        if seconds == 0 { return "0" }
        var s = seconds
        var out = ""
        for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] where s >= size {
            out += "\(s / size)\(unit)"
            s %= size
        }
        return out
    }
}

extension StringProtocol {
    /// Without the leading and trailing characters that appear in `set`.
    /// Compared scalar by scalar (so "\r\n" in `set` is two characters, and a lone "\n" goes too): this
    /// runs for every feed URL of a configuration and every response header kept, where a Set of
    /// Characters built per call and grapheme breaking cost more than the rest.
    public func trimming(_ set: String) -> String {
        let u = unicodeScalars
        var start = u.startIndex
        var end = u.endIndex
        func trimmed(_ c: Unicode.Scalar) -> Bool { set.unicodeScalars.contains(c) }
        while start < end, trimmed(u[start]) { start = u.index(after: start) }
        while start < end {
            let last = u.index(before: end)
            guard trimmed(u[last]) else { break }
            end = last
        }
        return String(self[start..<end])
    }
}
