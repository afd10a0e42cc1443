import FeedTestSupport
import Foundation
import Testing

@Suite("feedwatch check")
struct CheckTests {
    func check(_ yaml: String) async throws -> Program.Result {
        let dir = try TestPaths.temporaryDirectory("check")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/c.yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        var r = try await Program.run(TestPaths.binary, ["check", "--config", path])
        r.stderr = r.stderr.replacingOccurrences(of: path, with: "c.yaml")
        return r
    }

    @Test("the shipped configuration is valid and asks for nothing it will not get")
    func shipped() async throws {
        let r = try await Program.run(TestPaths.binary, ["check", "--config", TestPaths.repoRoot + "/config/feedwatch.yaml"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stderr.contains("warning"), "\(r.stderr)")
    }

    @Test("config/README.md carries the key tables the loader reads with (check --keys), word for word")
    func keyTablesDocumented() async throws {
        let r = try await Program.run(TestPaths.binary, ["check", "--keys"])
        #expect(r.status == 0)
        let readme = try String(contentsOfFile: TestPaths.repoRoot + "/config/README.md", encoding: .utf8)
        let sections = r.stdout.components(separatedBy: "## ").dropFirst()
        #expect(sections.count == 9)
        for section in sections {
            let title = String(section.prefix { $0 != "\n" })
            let table = section.drop { $0 != "|" }.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(readme.contains("## " + title + "\n"), "config/README.md has no section \(title)")
            #expect(readme.contains(table), "config/README.md's table for \(title) differs from `feedwatch check --keys`")
        }
    }

    @Test("an exec sink whose program is not executable is a warning with its line; a real one is not")
    func sinkProgramWarning() async throws {
        let r = try await check(
            """
            sinks:
              - {name: ok, type: exec, command: ["/bin/sh", "-c", "cat >/dev/null"]}
              - {name: missing, type: exec, command: ["/nonexistent/notify"]}
            """)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("c.yaml:3:42: sink missing: /nonexistent/notify is not an executable file"), "\(r.stderr)")
        #expect(!r.stderr.contains("sink ok"), "\(r.stderr)")
    }

    @Test("a missing configuration says where feedwatch looked and how to choose one, with no invented position")
    func missing() async throws {
        let r = try await Program.run(TestPaths.binary, ["check", "--config", "/nonexistent/feedwatch.yaml"])
        #expect(r.status == 78)
        #expect(
            r.stderr.hasPrefix("/nonexistent/feedwatch.yaml: no such configuration file (check the path given with --config"),
            "\(r.stderr)")
        #expect(r.stderr.contains("--config or $FEEDWATCH_CONFIG"))
        #expect(!r.stderr.contains(":1:1:"))
    }

    @Test("the same feed written twice is found: scheme and host case, a fragment, a default port")
    func duplicateSpellings() async throws {
        let r = try await check(
            """
            feeds:
              - url: https://news.test/feed
              - url: HTTPS://News.Test/feed#top
              - url: https://news.test:443/feed
              - url: http://news.test/feed
            """)
        #expect(r.status == 78)
        #expect(
            r.stderr.contains("c.yaml:3:5: feeds[1]: feed HTTPS://News.Test/feed#top is listed twice (first at line 2)"),
            "\(r.stderr)")
        #expect(
            r.stderr.contains("c.yaml:4:5: feeds[2]: feed https://news.test:443/feed is listed twice (first at line 2)"),
            "\(r.stderr)")
        #expect(!r.stderr.contains("http://news.test/feed"), "another scheme is another feed")
    }

    @Test("every problem is reported, each with its position, in file order")
    func allProblems() async throws {
        let r = try await check(
            """
            bogus: 1
            fetch:
              concurrency: lots
              wat: 2
            feeds:
              - url: http://
              - url: https:///feed
              - url: https://ok.test/feed
              - url: ftp://x.test/feed
              - url: https://ok.test/feed
            other: 3
            """)
        #expect(r.status == 78)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 8, "\(r.stderr)")
        #expect(lines.first?.hasPrefix("c.yaml:1:1: unknown key 'bogus'") == true)
        #expect(r.stderr.contains("c.yaml:3:16: fetch.concurrency: expected a whole number"))
        #expect(r.stderr.contains("c.yaml:4:3: unknown key 'wat' in fetch"))
        #expect(r.stderr.contains("c.yaml:6:10: feeds[0].url: the URL has no host (got 'http://')"))
        #expect(r.stderr.contains("c.yaml:7:10: feeds[1].url: the URL has no host (got 'https:///feed')"))
        #expect(r.stderr.contains("c.yaml:9:10: feeds[3].url: only http://, https:// and file:/// URLs"))
        #expect(r.stderr.contains("c.yaml:10:5: feeds[4]: feed https://ok.test/feed is listed twice"))
        #expect(lines.last?.hasPrefix("c.yaml:11:1: unknown key 'other'") == true)
    }

    @Test("file:/absolute is an absolute path, file:relative follows the configuration's directory")
    func fileURLs() async throws {
        let dir = URL(fileURLWithPath: try TestPaths.temporaryDirectory("fileurl")).standardizedFileURL.path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let seeds = URL(fileURLWithPath: TestPaths.seeds).standardizedFileURL.path
        try "feeds:\n  - url: file:\(seeds)/business-markets.rss\n  - url: file:feeds/local.xml\n"
            .write(toFile: dir + "/c.yaml", atomically: true, encoding: .utf8)
        let r = try await Program.run(TestPaths.binary, ["status", "--json", "--config", dir + "/c.yaml"])
        #expect(r.stdout.contains("\"file://\(seeds)/business-markets.rss\""), "\(r.stdout)")
        #expect(r.stdout.contains("\"file://\(dir)/feeds/local.xml\""), "\(r.stdout)")
    }

    @Test("a clamped interval is valid, with a warning naming the line and what it becomes")
    func clampWarnings() async throws {
        let r = try await check(
            "schedule:\n  max_interval: 7d\nfeeds:\n  - url: https://a.test/x\n    interval: 30s\n"
                + "  - url: https://a.test/y\n    interval: 30d\n  - url: https://a.test/z\n")
        #expect(r.status == 0)
        #expect(
            r.stderr.contains("warning: c.yaml:4: interval of https://a.test/x 30s is raised to schedule.min_interval 5m"),
            "\(r.stderr)")
        #expect(
            r.stderr.contains("warning: c.yaml:6: interval of https://a.test/y 30d is lowered to schedule.max_interval 7d"),
            "\(r.stderr)")
        #expect(!r.stderr.contains("a.test/z"))
    }

    @Test(
        "errors give file:line:column and exit 78 (BI-34)",
        arguments: [
            ("state_dir: /x\nbogus: 1\n", "c.yaml:2:1: unknown key 'bogus'"),
            ("feeds:\n\t- url: https://a.test/x\n", "c.yaml:2:1: a tab: YAML indents with spaces only"),
            ("fetch:\n  concurrency: lots\n", "c.yaml:2:16: fetch.concurrency: expected a whole number"),
            ("fetch:\n  concurrency: 100000\n", "c.yaml:2:16: fetch.concurrency: 100000 is out of range"),
            ("feeds:\n  - url: ftp://example.com/x\n", "c.yaml:2:10: feeds[0].url: only http://, https:// and file:/// URLs"),
            ("feeds:\n  - url: https://u:secret@example.com/x\n", "c.yaml:2:10: feeds[0].url: credentials in the URL"),
            ("feeds:\n  - url: https://u:secret@\n", "c.yaml:2:10: feeds[0].url: credentials in the URL"),
            ("feeds:\n  - url: gopher://u:secret@example.com/\n", "c.yaml:2:10: feeds[0].url: only http://, https://"),
            (
                "feeds:\n  - url: https://a.test/x\n  - url: https://a.test/x\n",
                "c.yaml:3:5: feeds[1]: feed https://a.test/x is listed twice"
            ),
            ("feeds:\n  - url: https://a.test/x\n    interval: 1s\n", "c.yaml:3:15: feeds[0].interval: 1s is out of range"),
            ("alerts:\n  first_poll: sometimes\n", "c.yaml:2:15: alerts.first_poll: expected alert or baseline"),
            ("alerts:\n  story_window: 31d\n", "c.yaml:2:17: alerts.story_window: 31d is out of range"),
            (
                "alerts:\n  story_window: soon\n",
                "c.yaml:2:17: alerts.story_window: expected a duration such as 30s, 10m, 1h30m or 7d (got 'soon')"
            ),
            ("schedule:\n  interval: 10\n", "c.yaml:2:13: schedule.interval: 10 has no unit: write 10s, 10m, 10h or 10d"),
            (
                "schedule:\n  interval: 5 minutes\n",
                "c.yaml:2:13: schedule.interval: expected a duration such as 30s, 10m, 1h30m or 7d (got '5 minutes')"
            ),
            ("feeds: [\n", "c.yaml:2:1: YAML syntax"),
            ("sinks:\n  - name: hook\n", "c.yaml:2:5: sinks[0]: a webhook sink needs a url"),
            ("sinks:\n  - name: n\n    type: exec\n", "c.yaml:2:5: sinks[0]: an exec sink needs a command"),
            ("sinks:\n  - name: n\n    type: exec\n    command: []\n", "c.yaml:4:14: sinks[0].command: command needs a program"),
            ("sinks:\n  - name: n\n    type: mail\n", "c.yaml:3:11: sinks[0].type: expected webhook or exec"),
            ("sinks:\n  - name: a b\n    url: https://h.test/\n", "c.yaml:2:11: sinks[0].name: a sink name is letters"),
            ("sinks:\n  - name: h\n    url: ftp://h.test/\n", "c.yaml:3:10: sinks[0].url: a webhook url is http:// or https://"),
            (
                "sinks:\n  - {name: h, url: 'https://h.test/'}\n  - {name: h, url: 'https://h.test/2'}\n",
                "c.yaml:3:5: sinks[1]: sink name h is used twice (first at line 2)"
            ),
            (
                "sinks:\n  - name: h\n    url: https://h.test/\n    give_up_after: 1s\n",
                "c.yaml:4:20: sinks[0].give_up_after: 1s is out of range"
            ),
            ("topics:\n  - name: x\n    groups: [{name: g, terms: [a], wat: 1}]\n", "c.yaml:3:36: unknown key 'wat'"),
            ("state_url: mysql://db/x\n", "c.yaml:1:12: state_url: state_url must be a postgresql:// URL"),
            ("state_url: postgresql://u:secret@db/x\n", "feedwatch: c.yaml: state_url: a password in the URL is not accepted"),
            ("state_url: postgresql://u@db/x?sslmode=maybe\n", "feedwatch: c.yaml: state_url: sslmode must be disable"),
            (
                "state_url: postgresql://u@db/x\nstate_password_file: /nonexistent/pw\n",
                "feedwatch: c.yaml: state_password_file: cannot read /nonexistent/pw"
            ),
            ("cluster:\n  lease: 2s\n", "c.yaml:2:10: cluster.lease: 2s is out of range"),
            ("cluster:\n  node: a b\n", "c.yaml:2:9: cluster.node: a node name is up to 200 characters without spaces"),
        ])
    func errors(yaml: String, expected: String) async throws {
        let r = try await check(yaml)
        #expect(r.status == 78)
        #expect(r.stderr.hasPrefix(expected), "\(r.stderr)")
        // BI-34: a password in the configuration never reaches a message (the same text is the journal's
        // and STATUS='s on a refused reload).
        #expect(!r.stderr.contains("secret"), "\(r.stderr)")
    }
}
