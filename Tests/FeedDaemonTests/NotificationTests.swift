import FeedTestSupport
import Foundation
import Testing

/// The README's "Notifications" examples, run as written (deploy/sinks/*.sh through exec sinks of the
/// real daemon): a receiver on 127.0.0.1 stands in for ntfy and Slack, and a sendmail that keeps what
/// it is given stands in for the mail system.
@Suite("Notification examples")
struct NotificationTests {
    static let arabicGold = "الذهب يرتفع إلى مستوى قياسي جديد مع تراجع الدولار"

    @Test("ntfy, Slack and mail scripts deliver each alert: the headline, the topics and the link")
    func examples() async throws {
        let h = try DaemonHarness()
        let receiver = try TestHTTPServer { _ in .respond(status: 200, headers: [], body: Array("{}".utf8)) }
        h.serve("/a.xml", items: [(Self.arabicGold, "g1")])
        let mailbox = h.dir + "/mailbox"
        try FileManager.default.createDirectory(atPath: mailbox, withIntermediateDirectories: true)
        let sendmail = h.dir + "/sendmail"
        try "#!/bin/sh\necho \"$*\" > \"\(mailbox)/args\"\ncat > \"\(mailbox)/message\"\n".write(
            toFile: sendmail, atomically: true, encoding: .utf8)
        chmod(sendmail, 0o755)
        let sinks = TestPaths.repoRoot + "/deploy/sinks"
        try h.writeConfig(
            feeds: ["/a.xml"],
            extra: """
                sinks:
                  - {name: phone, type: exec, command: ["\(sinks)/ntfy.sh", "\(receiver.baseURL)/feedwatch-topic"]}
                  - {name: slack, type: exec, command: ["\(sinks)/slack.sh", "\(receiver.baseURL)/services/T0/B0/x"]}
                  - {name: mail, type: exec, command: ["\(sinks)/mail.sh", "desk@example.org"], env: {SENDMAIL: "\(sendmail)"}}
                """)
        let once = try await h.run(["once"])
        #expect(once.status == 0, "\(once.stdout)\(once.stderr)")
        #expect(
            once.stdout.contains("sink phone: 1 delivered") && once.stdout.contains("sink mail: 1 delivered"), "\(once.stdout)")
        let link = "https://example.test/g1"

        let ntfy = try #require(receiver.requests.first { $0.path == "/feedwatch-topic" })
        #expect(String(decoding: ntfy.body, as: UTF8.self) == Self.arabicGold)
        #expect(ntfy.headers["title"] == "feedwatch: gold-prices")
        #expect(ntfy.headers["click"] == link)

        let slack = try #require(receiver.requests.first { $0.path == "/services/T0/B0/x" })
        let text = try #require(try JSONSerialization.jsonObject(with: Data(slack.body)) as? [String: String])["text"]
        #expect(text == "*gold-prices*: <\(link)|\(Self.arabicGold)>")

        #expect(try String(contentsOfFile: mailbox + "/args", encoding: .utf8) == "-t -i\n")
        let message = try String(contentsOfFile: mailbox + "/message", encoding: .utf8)
        #expect(message.hasPrefix("To: desk@example.org\n"))
        let subject = try #require(message.split(separator: "\n").first { $0.hasPrefix("Subject: =?UTF-8?B?") })
        let encoded = subject.dropFirst("Subject: =?UTF-8?B?".count).dropLast(2)
        #expect(
            Data(base64Encoded: String(encoded)).map { String(decoding: $0, as: UTF8.self) } == "[feedwatch] " + Self.arabicGold)
        #expect(message.contains("\n\n" + Self.arabicGold + "\n" + link + "\n"))
        #expect(message.contains("topics: gold-prices"))
    }

    @Test("ntfy and Slack scripts send one message per digest: the count and the top headlines")
    func digests() async throws {
        let h = try DaemonHarness()
        let receiver = try TestHTTPServer { _ in .respond(status: 200, headers: [], body: Array("{}".utf8)) }
        let titles =
            [Self.arabicGold, aiTitle, "Nikkei closes at a record high as exporters rally"]
            + (1...5).map { "Wall Street stocks slide as Treasury yields climb, day \($0)" }
        h.serve("/a.xml", items: titles.enumerated().map { ($0.element, "d\($0.offset)") })
        try h.writeConfig(feeds: ["/a.xml"], alerts: "max_age: 0\nstory_window: 0")
        #expect(try await h.run(["once"]).status == 0)
        let count = h.alertFiles.count
        #expect(count == titles.count)
        let digest = h.dir + "/digest.json"
        let made = try await Program.run(
            TestPaths.binary, ["alerts", "digest", "--config", h.configPath], stdoutFile: digest)
        #expect(made.status == 0)
        let sinks = TestPaths.repoRoot + "/deploy/sinks"
        for (script, path) in [("ntfy.sh", "/feedwatch-topic"), ("slack.sh", "/services/T0/B0/x")] {
            let r = try await Program.run(
                sinks + "/" + script, [receiver.baseURL + path], stdinFile: digest,
                environment: ["FEEDWATCH_KIND": "digest", "FEEDWATCH_DIGEST_ID": "d1"])
            #expect(r.status == 0, "\(script): \(r.stderr)")
        }
        #expect(receiver.requests.count == 2, "one message per digest and script")
        let ntfy = try #require(receiver.requests.first { $0.path == "/feedwatch-topic" })
        let message = String(decoding: ntfy.body, as: UTF8.self)
        #expect(message.hasPrefix("\(count) alerts, 3 topics\n"), "\(message)")
        #expect(message.contains("• \(aiTitle)") && message.contains("and \(count - 5) more"), "\(message)")
        #expect(ntfy.headers["title"] == "feedwatch: ai-partnerships, gold-prices, markets")
        let slack = try #require(receiver.requests.first { $0.path == "/services/T0/B0/x" })
        let text = try #require(try JSONSerialization.jsonObject(with: Data(slack.body)) as? [String: String])["text"]
        #expect(text?.hasPrefix("*feedwatch digest*: \(count) alerts, 3 topics") == true, "\(String(describing: text))")
        #expect(text?.contains("<https://example.test/d0|\(Self.arabicGold)>") == true)
    }
}
