/// The core of a verb, shared by its conjugated forms, for the `verbs:` entries of a topic group
/// (docs/classifier.md, "Verbs"). News reports a move with a verb in any person, tense and number:
/// ارتفع، ارتفعت، يرتفع، ترتفع، يرتفعون، وارتفعت، ستتراجع; surge, surges, surged, surging. Light10
/// stems nouns and leaves verbs apart, so a topic would have to list every form. Instead both the
/// vocabulary verb (written in its dictionary form: the Arabic past, the English base) and each text
/// word are reduced to one core here, under a key of their own, so the reduction can be bold without
/// touching how terms and names match.
///
/// Arabic: a conjunction و/ف and the future س come off, then one ending of person and number
/// (ون وا ان تا ت), then one imperfect or derived-form prefix (ا ي ت ن) and, after an imperfect
/// prefix, the ت of forms V and VI (يتراجع → تراجع → راجع, as the past تراجع → راجع). At least three
/// letters always remain, so three-letter roots (صعد، هبط، قفز) are kept whole.
/// English: -ing, -ed, -es/-s and a final -e come off, -ies/-ied become -y, and a doubled final
/// consonant is halved (slipped → slip, falls → fal as fall → fal). Irregular pasts (rose, fell) are
/// listed as verbs of their own.
enum VerbStemmer {
    private static let alef: UInt32 = 0x0627, yeh: UInt32 = 0x064A, teh: UInt32 = 0x062A, noon: UInt32 = 0x0646
    private static let waw: UInt32 = 0x0648, feh: UInt32 = 0x0641, seen: UInt32 = 0x0633

    /// The verb core of an Arabic word: a range of it (no copy: this runs for every Arabic token).
    static func arabic(_ s: [UInt32], _ range: Range<Int>) -> Range<Int> {
        var lo = range.lowerBound
        var hi = range.upperBound
        if hi - lo >= 5, s[lo] == waw || s[lo] == feh, s[lo + 1] != alef || s[lo + 2] != 0x0644 { lo += 1 }
        if hi - lo >= 5, s[lo] == seen, s[lo + 1] == yeh || s[lo + 1] == teh || s[lo + 1] == noon { lo += 1 }
        // One ending of person and number.
        if hi - lo >= 5, s[hi - 1] == noon, s[hi - 2] == waw || s[hi - 2] == alef {
            hi -= 2
        } else if hi - lo >= 5, s[hi - 2] == waw || s[hi - 2] == teh, s[hi - 1] == alef {
            hi -= 2
        } else if hi - lo >= 4, s[hi - 1] == teh {
            hi -= 1
        }
        // One prefix; after an imperfect one, the t of forms V and VI.
        if hi - lo >= 4, s[lo] == alef || s[lo] == yeh || s[lo] == teh || s[lo] == noon {
            let imperfect = s[lo] != alef
            lo += 1
            if imperfect, hi - lo >= 4, s[lo] == teh { lo += 1 }
        }
        return lo..<hi
    }

    /// The verb core of an English word (lower-case Latin letters): a range of it, and a "y" to add
    /// after it for -ies/-ied.
    static func english(_ s: [UInt32], _ range: Range<Int>) -> (Range<Int>, y: Bool) {
        let lo = range.lowerBound
        var hi = range.upperBound
        let (d, e, g, i, n, s_) = (UInt32(0x64), UInt32(0x65), UInt32(0x67), UInt32(0x69), UInt32(0x6E), UInt32(0x73))
        let count = hi - lo
        if count >= 6, s[hi - 3] == i, s[hi - 2] == e, s[hi - 1] == s_ || s[hi - 1] == d { return (lo..<(hi - 3), true) }
        if count >= 6, s[hi - 3] == i, s[hi - 2] == n, s[hi - 1] == g {
            hi -= 3
        } else if count >= 5, s[hi - 2] == e, s[hi - 1] == d {
            hi -= 2
        } else if count >= 5, s[hi - 2] == e, s[hi - 1] == s_, [0x73, 0x78, 0x7A, 0x68].contains(s[hi - 3]) {
            hi -= 2  // -sses -xes -zes -ches -shes
        } else if count >= 4, s[hi - 1] == s_, s[hi - 2] != s_ {
            hi -= 1
        }
        if hi - lo >= 4, s[hi - 1] == e { hi -= 1 }
        // A doubled final consonant (slipped, falling, fall): one of it.
        if hi - lo >= 4, s[hi - 2] == s[hi - 1], !isVowel(s[hi - 1]) { hi -= 1 }
        return (lo..<hi, false)
    }

    private static func isVowel(_ c: UInt32) -> Bool {
        c == 0x61 || c == 0x65 || c == 0x69 || c == 0x6F || c == 0x75 || c == 0x79
    }
}
