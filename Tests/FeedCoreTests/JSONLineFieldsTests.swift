import FeedCore
import Testing

/// The JSON Lines reader of `feedwatch classify`: the fields it is asked for, every other value skipped,
/// and anything that is not one JSON object refused.
@Suite("JSON line fields")
struct JSONLineFieldsTests {
    let wanted: Set<String> = ["id", "title", "summary"]

    @Test("strings with every escape, numbers as written, other values skipped")
    func reads() throws {
        let line =
            #"{"lang":"ar","id":7,"title":"a\"b\\c\/d\n\t\u00e9\u062f\ud83d\ude00","x":{"y":[1,{"z":null}],"w":"}"},"summary":null,"topics":[]}"#
        let f = try #require(JSONLineFields.parse(line, wanted: wanted))
        #expect(f["id"] == .number("7"))
        #expect(f["title"] == .string("a\"b\\c/d\n\té\u{062F}😀"))
        #expect(f["summary"] == .other)
        #expect(f["lang"] == nil)
        #expect(JSONLineFields.parse(#" { } "#, wanted: wanted) == [:])
        #expect(
            JSONLineFields.parse(#"{"id":"x","title":"Gold \ud800 alone"}"#, wanted: wanted)?["title"]
                == .string("Gold \u{FFFD} alone"))
    }

    @Test(
        "not one JSON object: refused",
        arguments: [
            "not json", "[\"x\"]", "{\"id\":\"a\"", "{\"id\":\"a\"} {}", "{\"id\":\"a\",}", "{\"id\":tru}",
            "{\"title\":\"raw\ttab\"}", "{\"title\":\"bad \\q escape\"}", "{\"id\" \"a\"}", "{\"x\":[1,2}", "",
        ])
    func refuses(line: String) {
        #expect(JSONLineFields.parse(line, wanted: wanted) == nil, "\(line)")
    }
}
