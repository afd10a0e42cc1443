/// A UTC instant to the second. Feed dates are only ever compared and printed, so seconds since the
/// Unix epoch are enough, and plain integer arithmetic keeps date handling out of Foundation's slow paths.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var secondsSinceEpoch: Int64

    public init(secondsSinceEpoch: Int64) { self.secondsSinceEpoch = secondsSinceEpoch }

    /// From civil UTC fields; nil when a field is out of range. `offsetSeconds` is the zone's offset east of UTC.
    public init?(
        year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0,
        offsetSeconds: Int = 0
    ) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= Timestamp.daysIn(month: month, year: year),
            (0...24).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        let days = Timestamp.daysFromCivil(year: year, month: month, day: day)
        // A leap second (:60) folds into the next second, as feedparser does.
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        self.secondsSinceEpoch = seconds
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.secondsSinceEpoch < b.secondsSinceEpoch }

    /// `2025-06-26T08:22:00Z`
    public var iso8601: String {
        let (y, mo, d, h, mi, s) = civil
        if (0...9999).contains(y) {
            // The common case in twenty bytes: every entry of `parse` and every alert writes one.
            return String(unsafeUninitializedCapacity: 20) { out in
                var o = 0
                func put(_ v: Int, _ width: Int) {
                    var div = 1
                    for _ in 1..<width { div *= 10 }
                    var v = v
                    while div > 0 {
                        out[o] = UInt8(truncatingIfNeeded: 0x30 + v / div)
                        v %= div
                        div /= 10
                        o += 1
                    }
                }
                func mark(_ c: UInt8) {
                    out[o] = c
                    o += 1
                }
                put(y, 4)
                mark(0x2D)
                put(mo, 2)
                mark(0x2D)
                put(d, 2)
                mark(0x54)
                put(h, 2)
                mark(0x3A)
                put(mi, 2)
                mark(0x3A)
                put(s, 2)
                mark(0x5A)
                return o
            }
        }
        func pad(_ v: Int, _ w: Int) -> String {
            let t = String(v)
            return t.count >= w ? t : String(repeating: "0", count: w - t.count) + t
        }
        return "\(pad(y, 4))-\(pad(mo, 2))-\(pad(d, 2))T\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2))Z"
    }

    public var description: String { iso8601 }

    /// Civil UTC fields (year, month, day, hour, minute, second).
    public var civil: (Int, Int, Int, Int, Int, Int) {
        // Floor division, so instants before 1970 land on the right day.
        let s = secondsSinceEpoch
        let days = s >= 0 ? s / 86_400 : (s - 86_399) / 86_400
        let rem = Int(s - days * 86_400)
        let (y, m, d) = Timestamp.civilFromDays(days)
        return (y, m, d, rem / 3600, rem % 3600 / 60, rem % 60)
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days: exact for the proleptic Gregorian calendar.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int64) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }
}
