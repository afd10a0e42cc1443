/// Which way a text reads, for pages and terminals that must lay out Arabic beside Latin text. Decided
/// from the text's language when it has one, and from its letters otherwise, never from its first
/// strong character (`dir="auto"`): "OpenAI تطلق…" starts with a Latin brand name and still reads
/// right to left.
public enum TextDirection: Sendable {
    /// Right-to-left for Arabic, Persian, Hebrew, Urdu, Pashto and Yiddish, or, without a language, when
    /// the text has more right-to-left letters than Latin ones.
    public static func isRightToLeft(language: String?, text: String) -> Bool {
        if let language, !language.isEmpty {
            let primary = language.lowercased().split(separator: "-").first.map(String.init) ?? ""
            return ["ar", "fa", "he", "ur", "ps", "yi"].contains(primary)
        }
        return hasMostlyRightToLeftLetters(text)
    }

    /// More right-to-left letters (Hebrew, Arabic and their presentation forms) than Latin ones.
    public static func hasMostlyRightToLeftLetters(_ text: String) -> Bool {
        var rtl = 0
        var ltr = 0
        for scalar in text.unicodeScalars {
            if isRightToLeft(scalar) {
                rtl += 1
            } else if (0x41...0x5A).contains(scalar.value) || (0x61...0x7A).contains(scalar.value)
                || (0xC0...0x24F).contains(scalar.value)
            {
                ltr += 1
            }
        }
        return rtl > ltr
    }

    /// Any right-to-left letter at all (a Latin title quoting an Arabic name).
    public static func containsRightToLeftLetters(_ text: String) -> Bool { text.unicodeScalars.contains(where: isRightToLeft) }

    static func isRightToLeft(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0590...0x08FF, 0xFB1D...0xFDFF, 0xFE70...0xFEFF: true
        default: false
        }
    }
}
