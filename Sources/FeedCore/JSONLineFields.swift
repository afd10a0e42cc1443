/// Reads the top-level string and number fields of one JSON object (a line of JSON Lines), skipping
/// every other value: what `feedwatch classify` needs from `{"id", "title", "summary", …}` without
/// building a document tree. Returns nil for anything that is not one well-formed JSON object, so the
/// caller can report the line (or hand it to a full parser).
public enum JSONLineFields: Sendable {
    public enum Value: Equatable, Sendable {
        case string(String)
        /// The number as written (`7`, `-1.5e3`).
        case number(String)
        case other
    }

    public static func parse(_ line: String, wanted: Set<String>) -> [String: Value]? {
        var copy = line
        return copy.withUTF8 { parse($0, wanted: wanted) }
    }

    /// The same, on the line's bytes (without its newline): invalid UTF-8 in a string becomes U+FFFD.
    public static func parse(_ line: UnsafeBufferPointer<UInt8>, wanted: Set<String>) -> [String: Value]? {
        var p = Parser(b: line)
        return p.object(wanted: wanted)
    }

    private struct Parser {
        let b: UnsafeBufferPointer<UInt8>
        var i = 0

        mutating func object(wanted: Set<String>) -> [String: Value]? {
            var out: [String: Value] = [:]
            skipSpace()
            guard take(0x7B) else { return nil }  // {
            skipSpace()
            if take(0x7D) { return end() ? out : nil }
            while true {
                skipSpace()
                guard let key = string() else { return nil }
                skipSpace()
                guard take(0x3A) else { return nil }  // :
                skipSpace()
                guard i < b.count else { return nil }
                if wanted.contains(key) {
                    switch b[i] {
                    case 0x22:
                        guard let s = string() else { return nil }
                        out[key] = .string(s)
                    case 0x2D, 0x30...0x39:
                        let start = i
                        guard skipValue() else { return nil }
                        out[key] = .number(String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self))
                    default:
                        guard skipValue() else { return nil }
                        out[key] = .other
                    }
                } else {
                    guard skipValue() else { return nil }
                }
                skipSpace()
                if take(0x2C) { continue }  // ,
                guard take(0x7D) else { return nil }
                return end() ? out : nil
            }
        }

        /// Only whitespace may follow the object.
        mutating func end() -> Bool {
            skipSpace()
            return i == b.count
        }

        mutating func take(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }

        mutating func skipSpace() {
            while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
        }

        /// A JSON string at `i`, unescaped. Plain runs are copied whole; escapes include `\uXXXX` with
        /// surrogate pairs (a lone surrogate becomes U+FFFD, as JSON parsers commonly do).
        mutating func string() -> String? {
            guard take(0x22) else { return nil }
            var out: [UInt8] = []
            var run = i
            while i < b.count {
                let c = b[i]
                if c == 0x22 {
                    defer { i += 1 }
                    // Without escapes the string is one plain run: decoded in place, no copy.
                    if out.isEmpty { return String(decoding: UnsafeBufferPointer(rebasing: b[run..<i]), as: UTF8.self) }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: b[run..<i]))
                    return String(decoding: out, as: UTF8.self)
                }
                if c < 0x20 { return nil }
                if c != 0x5C {
                    i += 1
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[run..<i]))
                i += 1
                guard i < b.count else { return nil }
                let e = b[i]
                i += 1
                switch e {
                case 0x22, 0x5C, 0x2F: out.append(e)
                case 0x62: out.append(0x08)
                case 0x66: out.append(0x0C)
                case 0x6E: out.append(0x0A)
                case 0x72: out.append(0x0D)
                case 0x74: out.append(0x09)
                case 0x75:
                    guard var u = hex4() else { return nil }
                    if (0xD800...0xDBFF).contains(u), i + 1 < b.count, b[i] == 0x5C, b[i + 1] == 0x75 {
                        let mark = i
                        i += 2
                        if let low = hex4(), (0xDC00...0xDFFF).contains(low) {
                            u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            i = mark
                        }
                    }
                    let scalar = Unicode.Scalar(u) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    return nil
                }
                run = i
            }
            return nil
        }

        mutating func hex4() -> UInt32? {
            guard i + 4 <= b.count else { return nil }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = b[i]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                default: return nil
                }
                v = v << 4 | d
                i += 1
            }
            return v
        }

        /// Skips any JSON value, nested ones included, checking its shape (iteratively, with a stack of
        /// the closers expected: no recursion on hostile depth).
        mutating func skipValue() -> Bool {
            var closers: [UInt8] = []
            while true {
                // A value.
                skipSpace()
                guard i < b.count else { return false }
                switch b[i] {
                case 0x22:
                    guard skipString() else { return false }
                case 0x7B, 0x5B:
                    let closer: UInt8 = b[i] == 0x7B ? 0x7D : 0x5D
                    i += 1
                    skipSpace()
                    if take(closer) { break }
                    closers.append(closer)
                    if closer == 0x7D, !memberKey() { return false }
                    continue
                default:
                    let start = i
                    while i < b.count,
                        !(b[i] == 0x2C || b[i] == 0x7D || b[i] == 0x5D || b[i] == 0x20 || b[i] == 0x09
                            || b[i] == 0x0A || b[i] == 0x0D)
                    { i += 1 }
                    let word = UnsafeBufferPointer(rebasing: b[start..<i])
                    guard
                        word.elementsEqual("true".utf8) || word.elementsEqual("false".utf8)
                            || word.elementsEqual("null".utf8)
                            || isNumber(String(decoding: word, as: UTF8.self))
                    else { return false }
                }
                // After a value: close containers, or move to the next element.
                while true {
                    guard let closer = closers.last else { return true }
                    skipSpace()
                    if take(closer) {
                        closers.removeLast()
                        continue
                    }
                    guard take(0x2C) else { return false }
                    if closer == 0x7D, !memberKey() { return false }
                    break
                }
            }
        }

        /// A JSON string at `i`, checked as `string()` checks it but not built: the fields nobody asked
        /// for are most of a line.
        mutating func skipString() -> Bool {
            guard take(0x22) else { return false }
            while i < b.count {
                let c = b[i]
                i += 1
                if c == 0x22 { return true }
                if c < 0x20 { return false }
                guard c == 0x5C else { continue }
                guard i < b.count else { return false }
                let e = b[i]
                i += 1
                switch e {
                case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: continue
                case 0x75: guard hex4() != nil else { return false }
                default: return false
                }
            }
            return false
        }

        /// `"key":` inside an object being skipped.
        mutating func memberKey() -> Bool {
            skipSpace()
            guard skipString() else { return false }
            skipSpace()
            return take(0x3A)
        }

        func isNumber(_ w: String) -> Bool {
            guard let first = w.utf8.first, first == 0x2D || (0x30...0x39).contains(first) else { return false }
            return Double(w) != nil
        }
    }
}
