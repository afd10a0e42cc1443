import FeedTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Debian's exim (scripts/deps.sh installs exim4-daemon-light where no other MTA is).
let eximPath = "/usr/sbin/exim4"

/// `deploy/sinks/mail.sh` sending a digest through a real Debian MTA (issue 24): exim4 with a
/// configuration of the test's own (`exim4 -C`), which appends every message to one mbox file, read
/// back with Python's `mailbox` and `email` packages. Required where the CI runs (scripts/test.sh sets
/// FEEDWATCH_REQUIRE_MTA=1; scripts/deps.sh installs exim4-daemon-light), skipped elsewhere without exim.
@Suite(
    "Digest mail through a real MTA",
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: eximPath)
            || ProcessInfo.processInfo.environment["FEEDWATCH_REQUIRE_MTA"] == "1",
        "no /usr/sbin/exim4 (scripts/deps.sh installs it)"))
struct MailDigestTests {
    static let exim = eximPath

    /// exim's own configuration: no daemon, no DNS, every recipient appended to `mbox`. exim drops to
    /// its user when given -C, so the directories are open to it (and it must not be root).
    static func eximConfig(dir: String) throws -> (config: String, mbox: String) {
        let mail = dir + "/mail"
        try FileManager.default.createDirectory(atPath: mail + "/spool", withIntermediateDirectories: true)
        chmod(dir, 0o755)
        chmod(mail, 0o1777)
        chmod(mail + "/spool", 0o1777)
        let (user, group) = getuid() == 0 ? ("nobody", "nogroup") : ("\(getuid())", "\(getgid())")
        let config = dir + "/exim.conf"
        try """
        primary_hostname = feedwatch.test
        qualify_domain = feedwatch.test
        spool_directory = \(mail)/spool
        log_file_path = \(mail)/spool/%slog
        keep_environment =
        exim_user = \(user)
        exim_group = \(group)

        begin routers
        everything:
          driver = accept
          transport = mailbox

        begin transports
        mailbox:
          driver = appendfile
          file = \(mail)/mbox
          user = $exim_uid
          group = $exim_gid
          mode = 0644

        """.write(toFile: config, atomically: true, encoding: .utf8)
        chmod(config, 0o644)
        return (config, mail + "/mbox")
    }

    /// Reads the mbox: each message's decoded subject, its parts' types, and from the HTML part each
    /// alert item's direction, language and text, as JSON.
    static let reader = #"""
        import email, json, mailbox, sys
        from email import policy
        from html.parser import HTMLParser

        class Items(HTMLParser):
            def __init__(self):
                super().__init__(); self.items = []; self.stack = []
            def handle_starttag(self, tag, attrs):
                if tag == "li":
                    self.stack.append({"attrs": dict(attrs), "text": ""}); self.items.append(self.stack[-1])
            def handle_endtag(self, tag):
                if tag == "li": self.stack.pop()
            def handle_data(self, data):
                for item in self.stack: item["text"] += data

        out = []
        box = mailbox.mbox(sys.argv[1], create=False)
        for key in box.keys():
            msg = email.message_from_bytes(box.get_bytes(key), policy=policy.default)
            html = msg.get_body(("html",)).get_content()
            p = Items(); p.feed(html)
            out.append({"subject": str(msg["subject"]), "to": str(msg["to"]), "type": msg.get_content_type(),
                        "text": msg.get_body(("plain",)).get_content(),
                        "alerts": [{"dir": i["attrs"].get("dir"), "lang": i["attrs"].get("lang"), "text": i["text"]}
                                   for i in p.items if i["attrs"].get("class") == "alert"]})
        print(json.dumps(out))
        """#

    @Test("a digest mail reaches a local mailbox: the Arabic subject decoded, Arabic items right to left, each alert once")
    func digestMail() async throws {
        let h = try DaemonHarness()
        let arabic = NotificationTests.arabicGold
        let titles = [arabic, aiTitle, "Nikkei closes at a record high as exporters rally"]
        h.serve("/a.xml", items: titles.enumerated().map { ($0.element, "m\($0.offset)") })
        let (config, mbox) = try Self.eximConfig(dir: h.dir)
        try h.writeConfig(
            feeds: ["/a.xml"],
            extra: """
                sinks:
                  - name: mail
                    type: exec
                    command: ["\(TestPaths.repoRoot)/deploy/sinks/mail.sh", "desk@example.org"]
                    env: {SENDMAIL: "\(Self.exim) -C \(config) -odi"}
                    digest: {every: 1m}
                """)
        let daemon = try RunningDaemon(harness: h)
        defer { daemon.kill9() }
        #expect(eventually(30) { h.alertFiles.count == 3 })
        #expect(eventually(150) { FileManager.default.fileExists(atPath: mbox) }, "\(daemon.stderr)")
        #expect(eventually(10) { daemon.stderr.contains("delivered to sink mail") })
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(seconds: 30) == 0)
        let read = try await Program.run("/usr/bin/python3", ["-c", Self.reader, mbox])
        #expect(read.status == 0, "\(read.stderr)")
        let messages = try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [[String: Any]])
        #expect(messages.count == 1, "one digest, one message")
        let message = try #require(messages.first)
        #expect(message["to"] as? String == "desk@example.org")
        #expect(message["type"] as? String == "multipart/alternative")
        // Alerts are grouped by topic: ai-partnerships, gold-prices, markets; the subject names the first.
        #expect(message["subject"] as? String == "[feedwatch] 3 alerts: \(aiTitle)", "\(message)")
        let alerts = message["alerts"] as? [[String: String?]] ?? []
        #expect(alerts.count == 3)
        for title in titles {
            let items = alerts.filter { ($0["text"] ?? "")?.contains(title) == true }
            #expect(items.count == 1, "\(title) once in the HTML part")
            #expect((items.first?["dir"] ?? nil) == (title == arabic ? "rtl" : "ltr"), "\(items)")
            #expect(((message["text"] as? String) ?? "").components(separatedBy: title).count == 2, "once in the text part")
        }
    }
}
