/// A text read word by word exactly as the classifier reads it (`Normalizer`, then `Stemmer`), for
/// other stages that must treat the same Arabic and English spelling variants as one word: hamza
/// forms, ة/ه, ى/ي, tatweel, harakat, Arabic-Indic digits, case and Latin diacritics. Words come as the
/// classifier's 64-bit keys (`TokenKeys`), so no string is built per word; read a word list (a lexicon)
/// through the same type to compare against it.
public struct NormalizedWords: Sendable {
    public enum Script: Sendable, Equatable { case arabic, latin, digit, symbol }

    public struct Word: Sendable, Equatable {
        public var script: Script
        /// The normalized surface form.
        public var surface: UInt64
        /// The light stem (Arabic light10 prefixes and suffixes, English plural and third-person -s).
        /// Stem and surface keys never collide with each other.
        public var stem: UInt64
        /// Arabic only: the light stem of the word without a one-letter proclitic (ب ل ك ف و) that
        /// light10 leaves on (بسعر → سعر), when it has one.
        public var barestem: UInt64?
        /// Normalized characters (Unicode scalars).
        public var length: Int
    }

    public let words: [Word]

    public init(_ text: String) {
        var n = Normalizer()
        n.tokenize(text)
        let s = n.scalars
        words = n.tokens.map { t in
            let r = t.start..<t.end
            switch t.script {
            case .arabic:
                return Word(
                    script: .arabic, surface: TokenKeys.key(.surface, s, r), stem: TokenKeys.key(.stem, s, Stemmer.arabic(s, r)),
                    barestem: Stemmer.withoutProclitic(s, r).map { TokenKeys.key(.stem, s, Stemmer.arabic(s, $0)) },
                    length: r.count)
            case .latin:
                let (stem, extra) = Stemmer.english(s, r)
                return Word(
                    script: .latin, surface: TokenKeys.key(.surface, s, r), stem: TokenKeys.key(.stem, s, stem, extra: extra),
                    barestem: nil, length: r.count)
            case .digit, .symbol:
                return Word(
                    script: t.script == .digit ? .digit : .symbol, surface: TokenKeys.key(.surface, s, r),
                    stem: TokenKeys.key(.stem, s, r), barestem: nil, length: r.count)
            }
        }
    }
}
