/// Light stemming on normalized scalars, returning the kept range (no copying).
/// Arabic: Lucene's light10 (Larkey, Ballesteros & Connell): at most one prefix of ال وال بال كال فال لل و,
/// then the suffixes ها ان ات ون ين يه ه ي repeatedly (ة and ية never occur after normalization).
/// English: plural and third-person -s (ies → y), nothing more, so names and short words stay intact.
enum Stemmer {
    // Normalized Arabic letters.
    static let alef: UInt32 = 0x0627, lam: UInt32 = 0x0644, waw: UInt32 = 0x0648, beh: UInt32 = 0x0628
    static let kaf: UInt32 = 0x0643, feh: UInt32 = 0x0641, heh: UInt32 = 0x0647, yeh: UInt32 = 0x064A
    static let noon: UInt32 = 0x0646, teh: UInt32 = 0x062A

    static let prefixes: [[UInt32]] = [
        [alef, lam], [waw, alef, lam], [beh, alef, lam], [kaf, alef, lam], [feh, alef, lam], [lam, lam], [waw],
    ]
    static let suffixes: [[UInt32]] = [
        [heh, alef], [alef, noon], [alef, teh], [waw, noon], [yeh, noon], [yeh, heh], [heh], [yeh],
    ]

    static func arabic(_ s: [UInt32], _ range: Range<Int>) -> Range<Int> {
        var lo = range.lowerBound
        var hi = range.upperBound
        // Prefixes in light10's order: ال وال بال كال فال لل و (the first that fits).
        let n = hi - lo
        if n >= 4, s[lo] == alef, s[lo + 1] == lam {
            lo += 2
        } else if n >= 5, s[lo + 1] == alef, s[lo + 2] == lam,
            s[lo] == waw || s[lo] == beh || s[lo] == kaf || s[lo] == feh
        {
            lo += 3
        } else if n >= 4, s[lo] == lam, s[lo + 1] == lam {
            lo += 2
        } else if n >= 4, s[lo] == waw {
            lo += 1
        }
        // Suffixes, each tried once in order, while two letters remain.
        for suf in suffixes where hi - lo >= suf.count + 2 {
            if suf.count == 1 {
                if s[hi - 1] == suf[0] { hi -= 1 }
            } else if s[hi - 2] == suf[0], s[hi - 1] == suf[1] {
                hi -= 2
            }
        }
        return lo..<hi
    }

    /// Single-letter proclitics light10 leaves on (بسعر, لمايكروسوفت, كشريك, فالذهب already handled):
    /// the range without one of ب ل ك ف و when at least three letters remain.
    static func withoutProclitic(_ s: [UInt32], _ range: Range<Int>) -> Range<Int>? {
        guard range.count >= 4 else { return nil }
        let c = s[range.lowerBound]
        guard c == beh || c == lam || c == kaf || c == feh || c == waw else { return nil }
        return (range.lowerBound + 1)..<range.upperBound
    }

    /// The definite article and its combinations, for names written with it (الفيدرالي, للذهب).
    static func withoutArticle(_ s: [UInt32], _ range: Range<Int>) -> Range<Int>? {
        for p in prefixes where p.count >= 2 {
            if range.count >= p.count + 2, s[range.lowerBound..<(range.lowerBound + p.count)].elementsEqual(p) {
                return (range.lowerBound + p.count)..<range.upperBound
            }
        }
        return nil
    }

    static func english(_ s: [UInt32], _ range: Range<Int>) -> (Range<Int>, [UInt32]?) {
        let n = range.count
        guard n >= 4, s[range.upperBound - 1] == 0x73 else { return (range, nil) }  // 's'
        let p = s[range.upperBound - 2]
        if n >= 5, p == 0x65, s[range.upperBound - 3] == 0x69 {  // -ies → -y
            return (range.lowerBound..<(range.upperBound - 3), [0x79])
        }
        if p == 0x73 || p == 0x75 || p == 0x69 { return (range, nil) }  // -ss -us -is
        if n >= 5, p == 0x65 {
            let q = s[range.upperBound - 3]
            // -sses -xes -zes -ches -shes → drop "es"
            if q == 0x73 || q == 0x78 || q == 0x7A || (q == 0x68 && [0x63, 0x73].contains(s[range.upperBound - 4])) {
                return (range.lowerBound..<(range.upperBound - 2), nil)
            }
        }
        return (range.lowerBound..<(range.upperBound - 1), nil)
    }
}
