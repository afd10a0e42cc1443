import FeedTestSupport
import Foundation
import Testing

/// The reader page in a real browser (issue 26): headless Chromium from Debian's packages, driven by
/// Selenium (Debian's python3-selenium) through Tests/Fixtures/reader/browser.py, against the real
/// daemon with Arabic and English alerts in its spool. The script reports what the browser computed
/// and showed; the checks are here. Required where the CI runs (scripts/test.sh sets
/// FEEDWATCH_REQUIRE_BROWSER=1; scripts/deps.sh installs chromium, chromium-driver and
/// python3-selenium), skipped elsewhere without them.
let browserAvailable =
    FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium")
    && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver")
    && FileManager.default.fileExists(atPath: "/usr/lib/python3/dist-packages/selenium")

@Suite(
    "Reader page in Chromium",
    .enabled(
        if: browserAvailable || ProcessInfo.processInfo.environment["FEEDWATCH_REQUIRE_BROWSER"] == "1",
        "no chromium, chromedriver or python3-selenium (scripts/deps.sh installs them)"))
struct ReaderBrowserTests {
    @Test(
        "Arabic titles compute rtl and English ones ltr, the page follows the browser's language, filters narrow, a key acknowledges, feed <script> stays text"
    )
    func inChromium() async throws {
        let h = try DaemonHarness()
        let (daemon, base) = try await ReaderPageTests.start(h)
        defer { daemon.kill9() }
        let run = try await Program.run(
            "/usr/bin/python3", [ReaderPageTests.fixtures + "/browser.py", base], environment: ["HOME": h.dir])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)\(run.stderr)")
        func rows(_ key: String) -> [[String: String]] { report[key] as? [[String: String]] ?? [] }
        func facts(_ key: String) -> [String: Any] { report[key] as? [String: Any] ?? [:] }
        let openAI = try ReaderPageTests.title(h, startingWith: "OpenAI")
        let goldAR = try ReaderPageTests.title(h, startingWith: "سعر الذهب")
        let goldEN = try ReaderPageTests.title(h, startingWith: "Gold prices")

        // The page's language and direction follow the browser's Accept-Language.
        #expect(facts("ar_list")["lang"] as? String == "ar" && facts("ar_list")["direction"] as? String == "rtl")
        #expect(facts("en_list")["lang"] as? String == "en" && facts("en_list")["direction"] as? String == "ltr")
        #expect((facts("ar_list")["text"] as? String)?.contains("التنبيهات") == true)

        // Each title's computed direction is its language's, in either page language; the Arabic title
        // that starts with "OpenAI" included (dir="auto" would make it ltr).
        for key in ["ar_rows", "en_rows"] {
            #expect(rows(key).count == 4, "\(key): \(rows(key))")
            for row in rows(key) {
                let arabic = [openAI, goldAR].contains(row["id"] ?? "")
                #expect(row["direction"] == (arabic ? "rtl" : "ltr"), "\(key): \(row)")
            }
        }
        #expect(facts("ar_alert")["title_direction"] as? String == "rtl")
        #expect(facts("en_alert")["title_direction"] as? String == "rtl")
        #expect(facts("en_alert")["lang"] as? String == "en")
        let why = (facts("ar_alert")["why_rows"] as? [String] ?? []).joined()
        #expect(why.contains("ai-partnerships") && why.contains("concept"), "\(why)")

        // Feed text with <script> is shown as text and runs nothing, on every page visited.
        let options = report["feed_options"] as? [String] ?? []
        #expect(options.contains { $0.hasPrefix("<script>window.pwned=1</script>") }, "\(options)")
        #expect(rows("en_rows").contains { $0["title"]?.contains("<script>window.pwned=3</script>") == true })
        for key in ["ar_list", "en_list", "ar_alert", "en_alert"] {
            #expect(facts(key)["pwned"] is NSNull && facts(key)["scripts"] as? Int == 1, "\(key)")
        }
        #expect(report["final_pwned"] is NSNull)

        // Filters narrow the list: the topic select, and a search for an Arabic word.
        #expect(Set(report["topic_rows"] as? [String] ?? []) == [goldAR, goldEN])
        #expect(report["search_rows"] as? [String] == [goldAR])

        // Posts without the token, or with a wrong one, are refused.
        for key in ["post_without_token", "post_wrong_token"] {
            #expect((report[key] as? String)?.contains("This form has expired") == true, "\(key): \(report[key] ?? "")")
        }

        // j selects the first (newest) alert and a acknowledges it: the file is in cur/, alerts list agrees.
        let selected = try #require(report["selected"] as? String)
        #expect(selected == rows("en_rows").first?["id"])
        #expect(!(report["after_ack_rows"] as? [String] ?? []).contains(selected))
        #expect((report["after_ack_rows"] as? [String] ?? []).count == 3)
        #expect(h.alertFiles.filter { $0.hasPrefix("cur/") }.map { $0.contains(selected) } == [true], "\(h.alertFiles)")
        let list = try await h.run(["alerts", "list"])
        #expect(!list.stdout.contains(selected) && list.stdout.split(separator: "\n").count == 4, "\(list.stdout)")
        #expect(report["help_open"] as? Bool == true)
    }
}
