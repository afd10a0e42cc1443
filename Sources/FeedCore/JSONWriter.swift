/// A small, fast JSON writer that keeps keys in the order they are written (the `parse` and alert
/// contracts list keys in a fixed order, and scripts diff our output line by line). It writes UTF-8
/// bytes: appending to a `String` cost a uniqueness check and a capacity check per piece, a sixth of
/// `feedwatch classify`.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = [false]

    public init() { bytes.reserveCapacity(1024) }

    /// Room for `count` bytes in all, when the caller knows roughly how long the output will be (a feed
    /// of long summaries otherwise grows the buffer, copying it, a dozen times).
    public mutating func reserveCapacity(_ count: Int) { bytes.reserveCapacity(count) }

    /// The text written so far.
    public var output: String { String(decoding: bytes, as: UTF8.self) }

    public mutating func beginObject() {
        separate()
        bytes.append(0x7B)
        needsComma.append(false)
    }
    public mutating func endObject() {
        bytes.append(0x7D)
        needsComma.removeLast()
    }
    public mutating func beginArray() {
        separate()
        bytes.append(0x5B)
        needsComma.append(false)
    }
    public mutating func endArray() {
        bytes.append(0x5D)
        needsComma.removeLast()
    }

    /// Writes `"key":`; the next value written belongs to it.
    public mutating func key(_ k: String) {
        separate()
        JSONWriter.appendQuoted(k, to: &bytes)
        bytes.append(0x3A)
        needsComma[needsComma.count - 1] = false
        pendingKey = true
    }

    private var pendingKey = false

    public mutating func string(_ v: String?) {
        separate()
        if let v { JSONWriter.appendQuoted(v, to: &bytes) } else { append("null") }
    }

    /// `"key":value`, the common pair, in one call.
    public mutating func field(_ key: String, _ value: String?) {
        self.key(key)
        string(value)
    }

    public mutating func field(_ key: String, _ value: Int) {
        self.key(key)
        int(value)
    }

    public mutating func field(_ key: String, _ value: Bool) {
        self.key(key)
        bool(value)
    }

    /// A number written as `number` writes it (`4.0`, `0.125`).
    public mutating func field(_ key: String, number value: Double) {
        self.key(key)
        number(value)
    }

    /// A value that is JSON already (an alert file's object, spliced into a digest unchanged).
    public mutating func raw(_ json: some Collection<UInt8>) {
        separate()
        bytes.append(contentsOf: json)
    }

    public mutating func bool(_ v: Bool) {
        separate()
        append(v ? "true" : "false")
    }
    public mutating func int(_ v: Int) {
        separate()
        append(String(v))
    }
    public mutating func null() {
        separate()
        append("null")
    }

    /// A finite number with up to 4 decimals and no trailing zeros beyond one (`4.0`, `3.5`, `0.125`).
    public mutating func number(_ v: Double) {
        separate()
        guard v.isFinite, abs(v) < 1e14 else {
            append(v.isFinite ? String(v) : "null")
            return
        }
        let scaled = Int((abs(v) * 10_000).rounded())
        if v < 0, scaled != 0 { bytes.append(0x2D) }
        appendDigits(scaled / 10_000)
        bytes.append(0x2E)
        // Four decimals, trailing zeros dropped but one kept: integer arithmetic, no string surgery.
        var frac = scaled % 10_000
        var digits = 4
        while digits > 1, frac % 10 == 0 {
            frac /= 10
            digits -= 1
        }
        var divisor = 1
        for _ in 1..<digits { divisor *= 10 }
        while divisor > 0 {
            bytes.append(UInt8(48 + frac / divisor % 10))
            divisor /= 10
        }
    }

    private mutating func appendDigits(_ n: Int) {
        if n >= 10 { appendDigits(n / 10) }
        bytes.append(UInt8(48 + n % 10))
    }

    private mutating func append(_ s: String) { bytes.append(contentsOf: s.utf8) }

    private mutating func separate() {
        if pendingKey {
            pendingKey = false
            needsComma[needsComma.count - 1] = true
            return
        }
        if needsComma[needsComma.count - 1] { bytes.append(0x2C) }
        needsComma[needsComma.count - 1] = true
    }

    /// JSON string escaping. U+2028/U+2029 are escaped too, so a line never breaks in a JS reader.
    /// Works on UTF-8 bytes: everything that needs escaping is ASCII, or U+2028/U+2029 (E2 80 A8/A9), so
    /// plain runs are copied whole.
    /// `s` as a JSON string literal, quotes included.
    public static func quoted(_ s: String) -> String {
        var out: [UInt8] = []
        appendQuoted(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { appendQuoted(utf8: $0, to: &out) }
    }

    /// Whether one of the eight bytes of `w` may need escaping: a quote, a backslash, a control character
    /// or 0xE2 (the lead byte of U+2028/U+2029). Exact per byte (no carry crosses bytes), so a word
    /// of ordinary text, ASCII or Arabic, is passed over at once.
    @inline(__always)
    static func mayNeedEscape(_ w: UInt64) -> Bool {
        (ByteWord.controls(w) | ByteWord.equal(w, 0x22) | ByteWord.equal(w, 0x5C) | ByteWord.equal(w, 0xE2)) != 0
    }

    private static func appendQuoted(utf8 b: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(0x22)
        var plainStart = 0
        var i = 0
        while i < b.count {
            if i + 8 <= b.count, !mayNeedEscape(UnsafeRawPointer(b.baseAddress! + i).loadUnaligned(as: UInt64.self)) {
                i += 8  // eight bytes copied as they are (with the run, below)
                continue
            }
            let c = b[i]
            var width = 1
            let esc: StaticString?
            switch c {
            case 0x22: esc = "\\\""
            case 0x5C: esc = "\\\\"
            case 0x0A: esc = "\\n"
            case 0x0D: esc = "\\r"
            case 0x09: esc = "\\t"
            case 0xE2:
                if i + 2 < b.count, b[i + 1] == 0x80, b[i + 2] == 0xA8 || b[i + 2] == 0xA9 {
                    esc = b[i + 2] == 0xA8 ? "\\u2028" : "\\u2029"
                    width = 3
                } else {
                    esc = nil
                }
            default:
                esc = nil
            }
            if let esc {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[plainStart..<i]))
                out.append(contentsOf: UnsafeBufferPointer(start: esc.utf8Start, count: esc.utf8CodeUnitCount))
                i += width
                plainStart = i
            } else if c < 0x20 {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[plainStart..<i]))
                let hex = Array("0123456789abcdef".utf8)  // rare: control characters only
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 0xF)]])  // \u00XX
                i += 1
                plainStart = i
            } else {
                i += 1
            }
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: b[plainStart..<b.count]))
        out.append(0x22)
    }
}
