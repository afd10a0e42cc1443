/// A text read word by word exactly as the classifier reads it (`Normalizer`, then `Stemmer`), for
/// other stages that must treat the same Arabic and English spelling variants as one word: hamza
/// forms, ة/ه, ى/ي, tatweel, harakat, Arabic-Indic digits, case and Latin diacritics.
public struct NormalizedWords: Sendable {
    public enum Script: Sendable, Equatable { case arabic, latin, digit, symbol }

    public struct Word: Sendable, Equatable {
        /// The normalized surface form.
        public var text: String
        /// The light stem (Arabic light10 prefixes and suffixes, English plural and third-person -s).
        public var stem: String
        /// Arabic only: the light stem of the word without a one-letter proclitic (ب ل ك ف و) that
        /// light10 leaves on (بسعر → سعر), when it has one.
        public var barestem: String?
        public var script: Script
    }

    public let words: [Word]

    public init(_ text: String) {
        var n = Normalizer()
        n.tokenize(text)
        let s = n.scalars
        func string(_ r: Range<Int>, extra: [UInt32]? = nil) -> String {
            var v = String.UnicodeScalarView()
            for i in r { v.append(Unicode.Scalar(s[i])!) }
            for e in extra ?? [] { v.append(Unicode.Scalar(e)!) }
            return String(v)
        }
        words = n.tokens.map { t in
            let r = t.start..<t.end
            switch t.script {
            case .arabic:
                return Word(text: string(r), stem: string(Stemmer.arabic(s, r)),
                            barestem: Stemmer.withoutProclitic(s, r).map { string(Stemmer.arabic(s, $0)) }, script: .arabic)
            case .latin:
                let (stem, extra) = Stemmer.english(s, r)
                return Word(text: string(r), stem: string(stem, extra: extra), barestem: nil, script: .latin)
            case .digit: return Word(text: string(r), stem: string(r), barestem: nil, script: .digit)
            case .symbol: return Word(text: string(r), stem: string(r), barestem: nil, script: .symbol)
            }
        }
    }
}
