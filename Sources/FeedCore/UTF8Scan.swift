/// One pass over a document's bytes that answers the two questions asked of every feed: is it valid
/// UTF-8, and does it carry C0 control characters XML forbids. Eight bytes at a time while the text is
/// ASCII, which most feeds mostly are; no copy, no String.
public enum UTF8Scan: Sendable {
    public struct Result: Sendable, Equatable {
        public var valid: Bool
        /// Bytes below U+0020 other than tab, LF and CR.
        public var controlCharacters: Int
    }

    public static func scan(_ p: UnsafeBufferPointer<UInt8>) -> Result {
        var valid = true
        var controls = 0
        let n = p.count
        guard let base = p.baseAddress else { return Result(valid: true, controlCharacters: 0) }
        var i = 0
        while i < n {
            if i + 8 <= n {
                let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if w & 0x8080_8080_8080_8080 == 0 {
                    // Eight ASCII bytes: count the controls among them at once. Tab, LF and CR are
                    // allowed, and indented XML has one in almost every word.
                    i += 8
                    controls += Self.controls(inASCII: w)
                    continue
                }
            }
            let c = p[i]
            if c < 0x80 {
                if c < 0x20, c != 0x09, c != 0x0A, c != 0x0D { controls += 1 }
                i += 1
                continue
            }
            // Two-byte characters (Arabic, accented Latin) without the general path's loop.
            if c >= 0xC2, c <= 0xDF, i + 1 < n, p[i + 1] & 0xC0 == 0x80 {
                i += 2
                continue
            }
            let need: Int
            switch c {
            case 0xC2...0xDF: need = 1
            case 0xE0...0xEF: need = 2
            case 0xF0...0xF4: need = 3
            default:
                valid = false
                i += 1
                continue
            }
            guard i + need < n else {
                valid = false
                break
            }
            var ok = true
            for k in 1...need where p[i + k] & 0xC0 != 0x80 { ok = false }
            if ok, need == 2 {
                // No overlongs (E0 80..9F) and no surrogates (ED A0..BF).
                if c == 0xE0, p[i + 1] < 0xA0 { ok = false }
                if c == 0xED, p[i + 1] > 0x9F { ok = false }
            } else if ok, need == 3 {
                if c == 0xF0, p[i + 1] < 0x90 { ok = false }
                if c == 0xF4, p[i + 1] > 0x8F { ok = false }
            }
            if !ok {
                valid = false
                i += 1
                continue
            }
            i += need + 1
        }
        return Result(valid: valid, controlCharacters: controls)
    }

    /// The bytes of `w` (eight ASCII bytes) below 0x20 other than tab, LF and CR. Exact per byte: with
    /// the high bits clear, neither sum below carries into the next byte.
    @inline(__always)
    static func controls(inASCII w: UInt64) -> Int {
        let below20 = ByteWord.controls(w)
        guard below20 != 0 else { return 0 }
        let allowed = ByteWord.equal(w, 0x09) | ByteWord.equal(w, 0x0A) | ByteWord.equal(w, 0x0D)
        return (below20 & ~allowed).nonzeroBitCount
    }

    public static func scan(_ bytes: [UInt8]) -> Result { bytes.withUnsafeBufferPointer { scan($0) } }

    public static func isValid(_ bytes: [UInt8]) -> Bool { scan(bytes).valid }
}
