/// The stored form of a fingerprint: a few hundred bytes, little-endian, versioned. Decoding checks
/// every length, so a damaged row is skipped, never trusted. Version 2 added the series, ordinal,
/// quarter and half facts; a version 1 row (stored before) still decodes, without them.
extension StoryFingerprint {
    static let version: UInt8 = 2

    public var encoded: [UInt8] {
        var out: [UInt8] = [Self.version, script.rawValue]
        let title = self.title.prefix(255)
        let summary = self.summary.prefix(255)
        let numbers = facts.numbers.prefix(255)
        out += [UInt8(title.count), UInt8(summary.count), UInt8(numbers.count), facts.directions, facts.weekdays]
        append(facts.months, 2, to: &out)
        append(facts.series, 4, to: &out)
        append(facts.ordinals, 4, to: &out)
        out += [facts.quarters, facts.halves]
        for v in title { append(v, 4, to: &out) }
        for v in summary { append(v, 4, to: &out) }
        for v in numbers { append(v, 8, to: &out) }
        return out
    }

    public init?(encoded b: [UInt8]) {
        guard b.count >= 9, b[0] == 1 || b[0] == Self.version, let script = Script(rawValue: b[1]) else { return nil }
        let header = b[0] == 1 ? 9 : 19
        let (t, s, n) = (Int(b[2]), Int(b[3]), Int(b[4]))
        guard b.count == header + 4 * t + 4 * s + 8 * n else { return nil }
        var i = 7
        func read(_ width: Int) -> UInt64 {
            var v: UInt64 = 0
            for k in 0..<width { v |= UInt64(b[i + k]) << (8 * k) }
            i += width
            return v
        }
        var facts = StoryFacts(directions: b[5], weekdays: b[6], months: UInt16(read(2)))
        if header == 19 {
            facts.series = UInt32(read(4))
            facts.ordinals = UInt32(read(4))
            (facts.quarters, facts.halves) = (b[17], b[18])
            i = 19
        }
        let title = (0..<t).map { _ in UInt32(read(4)) }
        let summary = (0..<s).map { _ in UInt32(read(4)) }
        facts.numbers = (0..<n).map { _ in read(8) }
        self.init(script: script, title: title, summary: summary, facts: facts)
    }

    private func append(_ v: some FixedWidthInteger, _ width: Int, to out: inout [UInt8]) {
        for k in 0..<width { out.append(UInt8(truncatingIfNeeded: v >> (8 * k))) }
    }
}
