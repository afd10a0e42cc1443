/// A small, fast JSON writer that keeps keys in the order they are written (the `parse` and alert
/// contracts list keys in a fixed order, and scripts diff our output line by line).
public struct JSONWriter {
    public private(set) var output: String = ""
    private var needsComma: [Bool] = [false]

    public init() { output.reserveCapacity(1024) }

    public mutating func beginObject() { separate(); output.append("{"); needsComma.append(false) }
    public mutating func endObject() { output.append("}"); needsComma.removeLast() }
    public mutating func beginArray() { separate(); output.append("["); needsComma.append(false) }
    public mutating func endArray() { output.append("]"); needsComma.removeLast() }

    /// Writes `"key":`; the next value written belongs to it.
    public mutating func key(_ k: String) {
        separate()
        JSONWriter.appendQuoted(k, to: &output)
        output.append(":")
        needsComma[needsComma.count - 1] = false
        pendingKey = true
    }

    private var pendingKey = false

    public mutating func string(_ v: String?) {
        separate()
        if let v { JSONWriter.appendQuoted(v, to: &output) } else { output.append("null") }
    }

    public mutating func bool(_ v: Bool) { separate(); output.append(v ? "true" : "false") }
    public mutating func int(_ v: Int) { separate(); output.append(String(v)) }
    public mutating func null() { separate(); output.append("null") }

    /// A finite number with up to 4 decimals and no trailing zeros beyond one (`4.0`, `3.5`, `0.125`).
    public mutating func number(_ v: Double) {
        separate()
        guard v.isFinite, abs(v) < 1e14 else { output.append(v.isFinite ? String(v) : "null"); return }
        let scaled = Int((abs(v) * 10_000).rounded())
        if v < 0, scaled != 0 { output.append("-") }
        output.append(String(scaled / 10_000))
        output.append(".")
        // Four decimals, trailing zeros dropped but one kept: integer arithmetic, no string surgery.
        var frac = scaled % 10_000
        var digits = 4
        while digits > 1, frac % 10 == 0 { frac /= 10; digits -= 1 }
        var divisor = 1
        for _ in 1..<digits { divisor *= 10 }
        while divisor > 0 {
            output.unicodeScalars.append(Unicode.Scalar(UInt8(48 + frac / divisor % 10)))
            divisor /= 10
        }
    }

    private mutating func separate() {
        if pendingKey { pendingKey = false; needsComma[needsComma.count - 1] = true; return }
        if needsComma[needsComma.count - 1] { output.append(",") }
        needsComma[needsComma.count - 1] = true
    }

    /// JSON string escaping. U+2028/U+2029 are escaped too, so a line never breaks in a JS reader.
    /// Works on UTF-8 bytes: everything that needs escaping is ASCII, or U+2028/U+2029 (E2 80 A8/A9), so
    /// plain runs are copied whole and every cut is on a scalar boundary.
    public static func appendQuoted(_ s: String, to out: inout String) {
        out.append("\"")
        let bytes = s.utf8
        var plainStart = bytes.startIndex
        var idx = plainStart
        while idx != bytes.endIndex {
            let b = bytes[idx]
            var width = 1
            let esc: String?
            switch b {
            case 0x22: esc = "\\\""
            case 0x5C: esc = "\\\\"
            case 0x0A: esc = "\\n"
            case 0x0D: esc = "\\r"
            case 0x09: esc = "\\t"
            case 0xE2:
                let n1 = bytes.index(after: idx)
                let n2 = n1 == bytes.endIndex ? n1 : bytes.index(after: n1)
                if n2 != bytes.endIndex, bytes[n1] == 0x80, bytes[n2] == 0xA8 || bytes[n2] == 0xA9 {
                    esc = bytes[n2] == 0xA8 ? "\\u2028" : "\\u2029"
                    width = 3
                } else {
                    esc = nil
                }
            default:
                if b < 0x20 {
                    let hex = String(b, radix: 16)
                    esc = "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    esc = nil
                }
            }
            if let esc {
                out.append(contentsOf: s[plainStart..<idx])
                out.append(esc)
                idx = bytes.index(idx, offsetBy: width)
                plainStart = idx
            } else {
                idx = bytes.index(after: idx)
            }
        }
        out.append(contentsOf: s[plainStart..<bytes.endIndex])
        out.append("\"")
    }
}
