import FeedTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The reader page of the real `run` (issue 26) on a spool holding Arabic and English alerts: fetched
/// with curl for what HTTP decides (tokens, status codes, the JSON list, authentication), and driven in
/// headless Chromium for what a person sees (`ReaderBrowserTests`).
@Suite("Reader page over HTTP")
struct ReaderPageTests {
    /// The fixture feeds (Tests/Fixtures/reader): an Arabic one with a title that starts with a Latin
    /// brand name, and an English one whose feed title and one headline hold `<script>` as text.
    static let fixtures = TestPaths.repoRoot + "/Tests/Fixtures/reader"

    /// A daemon with the listener on a free port, its spool holding the fixtures' four alerts (from a
    /// `once` first, so they exist before the page is asked); `extra` is more `http:` keys.
    static func start(_ h: DaemonHarness, http extra: String = "") async throws -> (RunningDaemon, String) {
        for name in ["arabic", "english"] {
            h.serveRaw("/\(name).xml", try String(contentsOfFile: fixtures + "/\(name).xml", encoding: .utf8))
        }
        let port = try ListenerTests.freePort()
        try h.writeConfig(
            feeds: ["/arabic.xml", "/english.xml"],
            extra: """
                http:
                  listen: "127.0.0.1:\(port)"
                \(extra)
                """)
        let once = try await h.run(["once"])
        #expect(once.status == 0 && h.alertFiles.count == 4, "\(once.stdout)\(once.stderr)")
        let daemon = try RunningDaemon(harness: h)
        let base = "http://127.0.0.1:\(port)"
        let up = await eventually(20) {
            guard
                let r = try? await Program.run(
                    "/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", base + "/healthz"])
            else { return false }
            return r.stdout != "000"
        }
        #expect(up, "\(daemon.stderr)")
        return (daemon, base)
    }

    /// curl: the status, the headers (lower-case names) and the body.
    static func curl(_ args: [String], dir: String) async throws -> (status: Int, headers: String, body: String) {
        let out = dir + "/curl-body"
        let head = dir + "/curl-head"
        let r = try await Program.run(
            "/usr/bin/curl", ["-s", "-o", out, "-D", head, "-w", "%{http_code}", "--max-time", "15"] + args)
        return (
            Int(r.stdout) ?? 0, ((try? String(contentsOfFile: head, encoding: .utf8)) ?? "").lowercased(),
            (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        )
    }

    static func apiAlerts(_ base: String, _ query: String, dir: String) async throws -> (total: Int, ids: [String]) {
        let r = try await curl([base + "/api/alerts" + query], dir: dir)
        #expect(r.status == 200, "\(query): \(r.body)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.body.utf8)) as? [String: Any])
        let alerts = object["alerts"] as? [[String: Any]] ?? []
        return (object["total"] as? Int ?? -1, alerts.compactMap { $0["id"] as? String })
    }

    static func title(_ h: DaemonHarness, startingWith prefix: String) throws -> String {
        let alert = try #require(
            h.alerts.first { (($0["entry"] as? [String: Any])?["title"] as? String)?.hasPrefix(prefix) == true })
        return try #require(alert["id"] as? String)
    }

    @Test(
        "the list escapes feed text and sends a CSP; a post without the token changes nothing; with it the file moves to cur/ and alerts list agrees"
    )
    func acknowledgeWithToken() async throws {
        let h = try DaemonHarness()
        let (daemon, base) = try await Self.start(h)
        defer { daemon.kill9() }

        let page = try await Self.curl(["-H", "Accept-Language: ar", base + "/"], dir: h.dir)
        #expect(page.status == 200)
        #expect(page.headers.contains("content-security-policy: default-src 'none'; script-src 'self'"), "\(page.headers)")
        #expect(page.body.contains("<html lang=\"ar\" dir=\"rtl\">"))
        #expect(!page.body.contains("<script>window.pwned"), "feed text reached the page as markup")
        #expect(page.body.contains("&lt;script&gt;window.pwned=1&lt;/script&gt;"))
        // The Arabic title that starts with "OpenAI" is laid out right to left, from its language.
        let openAI = try Self.title(h, startingWith: "OpenAI")
        let row = try #require(page.body.components(separatedBy: "id=\"a-\(openAI)\"").dropFirst().first)
        #expect(
            row.contains("class=\"title\" dir=\"rtl\" lang=\"ar\"><a href=\"/alerts/\(openAI)\"><bdi>OpenAI"),
            "\(row.prefix(300))")

        let gold = try Self.title(h, startingWith: "Gold prices")
        for form in [["back=/"], ["csrf=\(String(repeating: "0", count: 64))", "back=/"]] {
            let refused = try await Self.curl(
                form.flatMap { ["--data-urlencode", $0] } + [base + "/alerts/\(gold)/ack"], dir: h.dir)
            #expect(refused.status == 403, "\(refused.body)")
        }
        #expect(h.alertFiles.contains { $0.hasPrefix("new/") && $0.contains(gold) })
        // A page of another site that a browser marks as such is refused even with the token.
        let token = try #require(page.body.components(separatedBy: "name=\"csrf\" value=\"").dropFirst().first?.prefix(64))
        let crossSite = try await Self.curl(
            ["-H", "Sec-Fetch-Site: cross-site", "--data-urlencode", "csrf=\(token)", base + "/alerts/\(gold)/ack"], dir: h.dir)
        #expect(crossSite.status == 403)

        let accepted = try await Self.curl(
            ["--data-urlencode", "csrf=\(token)", "--data-urlencode", "back=/?topic=gold-prices", base + "/alerts/\(gold)/ack"],
            dir: h.dir)
        #expect(accepted.status == 303 && accepted.headers.contains("location: /?topic=gold-prices"), "\(accepted)")
        #expect(h.alertFiles.contains { $0.hasPrefix("cur/") && $0.contains(gold) }, "\(h.alertFiles)")
        let list = try await h.run(["alerts", "list", "--all", "--json"])
        let states = list.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.map { ($0["id"] as? String ?? "", $0["state"] as? String ?? "") }
        #expect(states.first { $0.0 == gold }?.1 == "acked" && states.filter { $0.1 == "new" }.count == 3, "\(states)")
        // An open redirect is not possible: `back` off this site goes to the list.
        let away = try await Self.curl(
            ["--data-urlencode", "csrf=\(token)", "--data-urlencode", "back=//evil.example/", base + "/alerts/\(openAI)/ack"],
            dir: h.dir)
        #expect(away.status == 303 && away.headers.contains("location: /\r\n"), "\(away.headers)")

        // "Acknowledge all shown" of a filtered page acknowledges exactly the alerts it listed.
        let remaining = try await Self.apiAlerts(base, "", dir: h.dir)
        #expect(remaining.total == 2)
        var form = ["--data-urlencode", "csrf=\(token)"]
        for id in remaining.ids { form += ["--data-urlencode", "id=\(id)"] }
        let all = try await Self.curl(form + [base + "/alerts/ack"], dir: h.dir)
        #expect(all.status == 303)
        #expect(h.alertFiles.allSatisfy { $0.hasPrefix("cur/") }, "\(h.alertFiles)")
    }

    @Test(
        "the JSON list filters by topic, feed, state, since and Arabic or English words, pages, and says what is wrong with a filter"
    )
    func apiFilters() async throws {
        let h = try DaemonHarness()
        let (daemon, base) = try await Self.start(h)
        defer { daemon.kill9() }
        #expect(try await Self.apiAlerts(base, "", dir: h.dir).total == 4)
        #expect(try await Self.apiAlerts(base, "?topic=gold-prices", dir: h.dir).total == 2)
        #expect(try await Self.apiAlerts(base, "?topic=ai-partnerships&per_page=1", dir: h.dir).ids.count == 1)
        let feed = h.server.baseURL + "/arabic.xml"
        let arabic = try await Self.apiAlerts(
            base, "?feed=" + feed.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!, dir: h.dir)
        #expect(arabic.total == 2)
        // Words in another form than the headline's: ذهب finds "سعر الذهب…", "price" finds "prices".
        let gold = try await Self.apiAlerts(base, "?q=%D8%B0%D9%87%D8%A8", dir: h.dir)
        let goldID = try Self.title(h, startingWith: "سعر الذهب")
        #expect(gold.total == 1 && gold.ids == [goldID])
        #expect(try await Self.apiAlerts(base, "?q=gold+price", dir: h.dir).total == 1)
        #expect(try await Self.apiAlerts(base, "?q=nikkei", dir: h.dir).total == 0)
        #expect(try await Self.apiAlerts(base, "?since=1h", dir: h.dir).total == 4)
        #expect(try await Self.apiAlerts(base, "?since=2099-01-01", dir: h.dir).total == 0)
        #expect(try await Self.apiAlerts(base, "?state=acked", dir: h.dir).total == 0)
        let page2 = try await Self.apiAlerts(base, "?per_page=3&page=2", dir: h.dir)
        #expect(page2.total == 4 && page2.ids.count == 1)

        // Each alert is its file's object, with state, file and sources appended.
        let one = try await Self.curl([base + "/api/alerts?per_page=1"], dir: h.dir)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(one.body.utf8)) as? [String: Any])
        let first = try #require((object["alerts"] as? [[String: Any]])?.first)
        #expect(
            first["state"] as? String == "new" && (first["sources"] as? [[String: Any]])?.count == 1
                && (first["file"] as? String)?.hasSuffix(".json") == true)
        #expect(first["entry"] is [String: Any] && first["topics"] is [[String: Any]])

        let bad = try await Self.curl([base + "/api/alerts?since=yesterday"], dir: h.dir)
        #expect(bad.status == 400 && bad.body.contains("since: expected a duration"), "\(bad.body)")
        #expect(try await Self.curl([base + "/alerts/0123456789abcdef"], dir: h.dir).status == 404)
        #expect(try await Self.curl([base + "/alerts/0123456789abcdef/ack"], dir: h.dir).status == 405)
        let feeds = try await Self.curl([base + "/feeds"], dir: h.dir)
        #expect(feeds.status == 200 && feeds.body.contains("/arabic.xml") && feeds.body.contains(">ok<"), "\(feeds.body)")
        #expect(try await Self.curl([base + "/static/reader.js"], dir: h.dir).headers.contains("content-type: text/javascript"))
    }

    @Test("with http.password_file every route but WebSub asks for basic authentication; a file others can read is refused")
    func basicAuthentication() async throws {
        let h = try DaemonHarness()
        let passwords = h.dir + "/passwords"
        // alice's password is in the clear; bob's is given as its SHA-256 ("hunter2").
        try "# readers\nalice:s3cret pass\nbob:sha256:f52fbd32b2b3b86ff88ef6c490628285f482af15ddcb29541f94bcf526a3f6c7\n"
            .write(toFile: passwords, atomically: true, encoding: .utf8)
        chmod(passwords, 0o644)
        for name in ["arabic", "english"] {
            h.serveRaw("/\(name).xml", try String(contentsOfFile: Self.fixtures + "/\(name).xml", encoding: .utf8))
        }
        try h.writeConfig(feeds: ["/arabic.xml"], extra: "http:\n  listen: \"127.0.0.1:1\"\n  password_file: passwords")
        let check = try await h.run(["check"])
        #expect(
            check.status == 78 && check.stderr.contains("/passwords: others may read it (mode 644): chmod 600 or 640"),
            "\(check.stderr)")
        chmod(passwords, 0o600)

        let (daemon, base) = try await Self.start(h, http: "  password_file: passwords")
        defer { daemon.kill9() }
        for path in ["/", "/api/alerts", "/healthz", "/feeds"] {
            let r = try await Self.curl([base + path], dir: h.dir)
            #expect(r.status == 401 && r.headers.contains("www-authenticate: basic realm=\"feedwatch\""), "\(path): \(r.status)")
        }
        #expect(try await Self.curl(["-u", "alice:wrong", base + "/"], dir: h.dir).status == 401)
        #expect(try await Self.curl(["-u", "mallory:s3cret pass", base + "/"], dir: h.dir).status == 401)
        #expect(try await Self.curl(["-u", "alice:s3cret pass", base + "/"], dir: h.dir).status == 200)
        #expect(try await Self.curl(["-u", "bob:hunter2", base + "/api/alerts"], dir: h.dir).status == 200)
        // Hubs cannot log in: their callbacks are signed instead, and never asked for a password.
        #expect(try await Self.curl([base + "/websub/unknown"], dir: h.dir).status != 401)
    }
}
