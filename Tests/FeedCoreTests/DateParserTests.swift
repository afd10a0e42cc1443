import FeedCore
import Testing

@Suite("DateParser")
struct DateParserTests {
    private func iso(_ s: String) -> String? { DateParser.parse(s)?.iso8601 }

    @Test(
        "RFC 822 and its real-world variants",
        arguments: [
            ("Thu, 26 Jun 2025 08:22:00 GMT", "2025-06-26T08:22:00Z"),
            ("Thu, 26 Jun 2025 08:22:00 +0300", "2025-06-26T05:22:00Z"),
            ("Thu, 26 Jun 2025 08:22:00 +03:00", "2025-06-26T05:22:00Z"),
            ("26 Jun 2025 08:22 GMT", "2025-06-26T08:22:00Z"),  // no weekday, no seconds
            ("Thu, 26 Jun 25 08:22:00 GMT", "2025-06-26T08:22:00Z"),  // two-digit year
            ("Sat, 1 Jan 99 00:00:00 GMT", "1999-01-01T00:00:00Z"),
            ("Thu, 26 June 2025 08:22:00 EDT", "2025-06-26T12:22:00Z"),  // full month name, named zone
            ("Thu, 26 Jun 2025 08:22:00 PST", "2025-06-26T16:22:00Z"),
            ("Thu, 26 Jun 2025 08:22:00 GMT+3", "2025-06-26T05:22:00Z"),
            ("Thu, 26 Jun 2025 08:22:00 UTC-05:30", "2025-06-26T13:52:00Z"),
            ("Thu, 26 Jun 2025 08:22:00 Z", "2025-06-26T08:22:00Z"),
            ("Thu, 26 Jun 2025 08:22:00 A", "2025-06-26T09:22:00Z"),  // military, RFC 822 sign as written
            ("Thu, 26 Jun 2025 08:22:00 +0000 (UTC)", "2025-06-26T08:22:00Z"),
            ("Sun Jan  4 16:29:06 PST 2004", "2004-01-05T00:29:06Z"),  // asctime order
            ("Thu, 26 Jun 2025 08:22:00", "2025-06-26T08:22:00Z"),  // no zone: UTC
        ])
    func rfc822(input: String, expected: String) {
        #expect(iso(input) == expected)
    }

    @Test(
        "RFC 3339 / W3C-DTF, partial dates included",
        arguments: [
            ("2025-06-26T08:22:00Z", "2025-06-26T08:22:00Z"),
            ("2025-06-26T08:22:00.123+03:00", "2025-06-26T05:22:00Z"),
            ("2025-06-26T08:22:00-0700", "2025-06-26T15:22:00Z"),
            ("2025-06-26 08:22:00", "2025-06-26T08:22:00Z"),
            ("2025-06-26T08:22Z", "2025-06-26T08:22:00Z"),
            ("20250626T082200Z", "2025-06-26T08:22:00Z"),
            ("2025-06-26", "2025-06-26T00:00:00Z"),
            ("2025-06", "2025-06-01T00:00:00Z"),
            ("2025", "2025-01-01T00:00:00Z"),
            ("2020/1/10 14:33:00", "2020-01-10T14:33:00Z"),
        ])
    func w3cdtf(input: String, expected: String) {
        #expect(iso(input) == expected)
    }

    @Test(
        "Arabic dates as Arabic news sites print them",
        arguments: [
            ("الخميس، 26 يونيو 2025 11:22 ص", "2025-06-26T11:22:00Z"),
            ("26 يونيو 2025 12:07 م", "2025-06-26T12:07:00Z"),  // 12 PM is noon
            ("26 يونيو 2025 10:48 م", "2025-06-26T22:48:00Z"),
            ("الخميس، ٢٦ يونيو ٢٠٢٥ ١١:٢٢ ص", "2025-06-26T11:22:00Z"),  // Arabic-Indic digits
            ("۲۶ يونيو ۲۰۲۵", "2025-06-26T00:00:00Z"),  // Persian digits
            ("الخميس 26 حزيران 2025 11:22 ص", "2025-06-26T11:22:00Z"),  // Levantine month
            ("1 كانون الثاني 2025", "2025-01-01T00:00:00Z"),  // two-word Levantine month
            ("1 كانون الأول 2025", "2025-12-01T00:00:00Z"),
            ("5 تشرين الثاني 2024 09:00 ص", "2024-11-05T09:00:00Z"),
            ("3 أبريل 2025", "2025-04-03T00:00:00Z"),
            ("3 إبريل 2025", "2025-04-03T00:00:00Z"),
            ("3 آذار 2025", "2025-03-03T00:00:00Z"),
        ])
    func arabic(input: String, expected: String) {
        #expect(iso(input) == expected)
    }

    @Test("a default offset applies only to dates without a zone")
    func defaultOffset() {
        #expect(
            DateParser.parse("الخميس، 26 يونيو 2025 11:22 ص", defaultOffsetSeconds: 3 * 3600)?.iso8601
                == "2025-06-26T08:22:00Z")
        #expect(
            DateParser.parse("2025-06-26T08:22:00Z", defaultOffsetSeconds: 3 * 3600)?.iso8601
                == "2025-06-26T08:22:00Z")
    }

    @Test(
        "garbage and impossible dates give nil, never a trap (BI-16)",
        arguments: [
            "", "   ", "yesterday", "Thu, 31 Feb 2025 08:22:00 GMT", "2025-13-01", "2025-06-26T25:00:00Z",
            "99999-01-01", "Thu, 26 Foo 2025", "2025-06-26T08:22:00+99:00", "١٢٣٤٥٦٧٨٩٠١٢٣",
        ])
    func rejects(input: String) {
        #expect(DateParser.parse(input) == nil)
    }

    @Test("extreme but valid years stay in range")
    func extremes() {
        #expect(iso("9999-12-31T23:59:59Z") == "9999-12-31T23:59:59Z")
        #expect(iso("1970-01-01T00:00:00Z") == "1970-01-01T00:00:00Z")
        #expect(iso("1969-12-31T23:59:59Z") == "1969-12-31T23:59:59Z")
    }
}
