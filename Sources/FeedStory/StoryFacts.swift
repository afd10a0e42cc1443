/// The facts of a report that text similarity cannot see: its numbers (prices, amounts, percentages,
/// days, years), which way it says something moved, and the weekdays and months it names. Reports that
/// share a template ("Gold rises to $4,212" / "Gold slips below $4,150"; two "سعر الذهب اليوم" pages)
/// differ exactly there, so conflicting facts veto a merge however alike the words are.
public struct StoryFacts: Sendable, Equatable {
    /// Number keys (`NumberScanner.Number`), sorted, distinct.
    var numbers: [UInt64] = []
    /// `StoryLexicon.Direction` bits, from the title only: a summary often recounts yesterday's move.
    var directions: UInt8 = 0
    /// Bit 0 = Sunday.
    var weekdays: UInt8 = 0
    /// Bit 1 = January.
    var months: UInt16 = 0

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
        return nil
    }

    mutating func formUnion(_ other: StoryFacts) {
        numbers = Array(Set(numbers).union(other.numbers)).sorted()
        directions |= other.directions
        weekdays |= other.weekdays
        months |= other.months
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
