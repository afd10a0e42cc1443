/// The facts of a report that text similarity cannot see: its numbers (prices, amounts, percentages,
/// days, years), which way it says something moved, the weekdays and months it names, and the labels that
/// tell one round, place or period from the next: a funding series letter ("Series B"), an ordinal
/// ("third round", "الجولة الثالثة"), a quarter or a half ("Q1", "first-quarter", "H2", "الربع الأول").
/// Reports that share a template ("Gold rises to $4,212" / "Gold slips below $4,150"; two "سعر الذهب
/// اليوم" pages; "Perplexity raises Series A" / "… Series B") differ exactly there, so conflicting facts
/// veto a merge however alike the words are.
public struct StoryFacts: Sendable, Equatable {
    /// Number keys (`NumberScanner.Number`), sorted, distinct.
    var numbers: [UInt64] = []
    /// `StoryLexicon.Direction` bits, from the title only: a summary often recounts yesterday's move.
    var directions: UInt8 = 0
    /// Bit 0 = Sunday.
    var weekdays: UInt8 = 0
    /// Bit 1 = January.
    var months: UInt16 = 0
    /// Funding series letters: bit 0 = Series A … bit 25 = Series Z.
    var series: UInt32 = 0
    /// Ordinals, from the title only (a summary's "for the first time" or "second-largest" is an aside):
    /// bit 1 = first / 1st / الأول / الأولى … bit 31 = 31st.
    var ordinals: UInt32 = 0
    /// Bit 1 = Q1 (or "first quarter", "الربع الأول") … bit 4 = Q4.
    var quarters: UInt8 = 0
    /// Bit 1 = H1 (or "first half", "النصف الأول"), bit 2 = H2. Apart from quarters: a company's Q2 and
    /// first-half results are often one release.
    var halves: UInt8 = 0

    /// Why the two reports cannot be one story, or nil when their facts agree.
    ///
    /// One report may say less than the other (an outlet drops the percentage, cuts the summary short),
    /// so facts agree when one side's are a subset of the other's; they conflict when each side has one
    /// the other lacks.
    func conflict(with other: StoryFacts) -> String? {
        if !Self.nested(numbers, other.numbers) { return "numbers differ" }
        if !Self.nestedBits(UInt64(directions), UInt64(other.directions)) { return "directions differ" }
        if !Self.nestedBits(UInt64(weekdays), UInt64(other.weekdays)) { return "weekdays differ" }
        if !Self.nestedBits(UInt64(months), UInt64(other.months)) { return "months differ" }
        if !Self.nestedBits(UInt64(series), UInt64(other.series)) { return "series differ" }
        if !Self.nestedBits(UInt64(ordinals), UInt64(other.ordinals)) { return "ordinals differ" }
        if !Self.nestedBits(UInt64(quarters), UInt64(other.quarters)) { return "quarters differ" }
        if !Self.nestedBits(UInt64(halves), UInt64(other.halves)) { return "halves differ" }
        return nil
    }

    mutating func formUnion(_ other: StoryFacts) {
        numbers = Array(Set(numbers).union(other.numbers)).sorted()
        directions |= other.directions
        weekdays |= other.weekdays
        months |= other.months
        series |= other.series
        ordinals |= other.ordinals
        quarters |= other.quarters
        halves |= other.halves
    }

    /// Sorted sets: one contains the other.
    static func nested(_ a: [UInt64], _ b: [UInt64]) -> Bool {
        let (small, large) = a.count <= b.count ? (a, b) : (b, a)
        var j = 0
        for x in small {
            while j < large.count, large[j] < x { j += 1 }
            if j == large.count || large[j] != x { return false }
        }
        return true
    }

    static func nestedBits(_ a: UInt64, _ b: UInt64) -> Bool { a & b == a || a & b == b }
}
