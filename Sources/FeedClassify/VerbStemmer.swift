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

    /// The verb core of an Arabic word, written into `out` (cleared first).
    static func arabic(_ s: [UInt32], _ range: Range<Int>, into out: inout [UInt32]) {
        out.removeAll(keepingCapacity: true)
        var lo = range.lowerBound
        var hi = range.upperBound
        if hi - lo >= 5, s[lo] == waw || s[lo] == feh, s[lo + 1] != alef || s[lo + 2] != 0x0644 { lo += 1 }
        if hi - lo >= 5, s[lo] == seen, s[lo + 1] == yeh || s[lo + 1] == teh || s[lo + 1] == noon { lo += 1 }
        // One ending of person and number.
        if hi - lo >= 5, s[hi - 1] == noon, s[hi - 2] == waw || s[hi - 2] == alef {
            hi -= 2
        } else if hi - lo >= 5, s[hi - 2] == waw, s[hi - 1] == alef {
            hi -= 2
        } else if hi - lo >= 5, s[hi - 2] == teh, s[hi - 1] == alef {
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
        out.append(contentsOf: s[lo..<hi])
    }

    /// The verb core of an English word (lower-case Latin letters), written into `out`.
    static func english(_ s: [UInt32], _ range: Range<Int>, into out: inout [UInt32]) {
        out.removeAll(keepingCapacity: true)
        out.append(contentsOf: s[range])
        func ends(_ suffix: String) -> Bool {
            let u = suffix.unicodeScalars
            return out.count >= u.count + 3 && zip(out.suffix(u.count), u).allSatisfy { $0 == $1.value }
        }
        let y: UInt32 = 0x79, e: UInt32 = 0x65
        if ends("ies") || ends("ied") {
            out.removeLast(3)
            out.append(y)
            return
        }
        if ends("ing") {
            out.removeLast(3)
        } else if ends("ed") {
            out.removeLast(2)
        } else if ends("es"), [0x73, 0x78, 0x7A, 0x68].contains(out[out.count - 3]) {
            out.removeLast(2)  // -sses -xes -zes -ches -shes
        } else if out.count >= 4, out.last == 0x73, out[out.count - 2] != 0x73 {
            out.removeLast()
        }
        if out.count >= 4, out.last == e { out.removeLast() }
        // A doubled final consonant (slipped, falling, fall): one of it.
        if out.count >= 4, let last = out.last, out[out.count - 2] == last, !isVowel(last) { out.removeLast() }
    }

    private static func isVowel(_ c: UInt32) -> Bool { c == 0x61 || c == 0x65 || c == 0x69 || c == 0x6F || c == 0x75 || c == 0x79 }
}
