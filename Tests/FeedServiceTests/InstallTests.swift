import FeedTestSupport
import Foundation
import Testing

@Suite("deploy/install.sh")
struct InstallTests {
    func install(_ destdir: String, _ args: [String] = []) async throws -> Program.Result {
        try await Program.run(
            "/usr/bin/env",
            [
                "DESTDIR=\(destdir)", "bash", TestPaths.repoRoot + "/deploy/install.sh",
                "--binary", TestPaths.binary,
            ] + args)
    }

    func tree(_ root: String) -> [String: Data] {
        var out: [String: Data] = [:]
        let e = FileManager.default.enumerator(atPath: root)
        while let rel = e?.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + rel, isDirectory: &isDir), !isDir.boolValue {
                out[rel] = FileManager.default.contents(atPath: root + "/" + rel)
            }
        }
        return out
    }

    @Test("installs the expected tree into DESTDIR, idempotently, keeps a changed config, and uninstalls")
    func destdir() async throws {
        let root = try TestPaths.temporaryDirectory("destdir")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let first = try await install(root, ["--prefix", "/opt/feedwatch"])
        #expect(first.status == 0, "\(first.stderr)")
        let files = tree(root)
        for expected in [
            "opt/feedwatch/bin/feedwatch", "etc/systemd/system/feedwatch.service", "usr/lib/sysusers.d/feedwatch.conf",
            "usr/lib/tmpfiles.d/feedwatch.conf", "etc/logrotate.d/feedwatch", "etc/feedwatch/feedwatch.yaml",
            "opt/feedwatch/share/feedwatch/seeds/arabic-news.xml", "opt/feedwatch/share/doc/feedwatch/README.md",
            "opt/feedwatch/lib/feedwatch/sinks/ntfy.sh", "opt/feedwatch/lib/feedwatch/sinks/slack.sh",
            "opt/feedwatch/lib/feedwatch/sinks/mail.sh",
        ] {
            #expect(files[expected] != nil, "\(expected) missing")
        }
        let unit = String(decoding: files["etc/systemd/system/feedwatch.service"] ?? Data(), as: UTF8.self)
        #expect(unit.contains("ExecStart=/opt/feedwatch/bin/feedwatch run --config /etc/feedwatch/feedwatch.yaml"))
        let config = String(decoding: files["etc/feedwatch/feedwatch.yaml"] ?? Data(), as: UTF8.self)
        #expect(config.contains("file:///opt/feedwatch/share/feedwatch/seeds/arabic-news.xml"))
        // The installed configuration is valid for the installed binary.
        let check = try await Program.run(
            root + "/opt/feedwatch/bin/feedwatch", ["check", "--config", root + "/etc/feedwatch/feedwatch.yaml"])
        #expect(check.status == 0, "\(check.stderr)")

        // Idempotent: a second run changes nothing.
        #expect(try await install(root, ["--prefix", "/opt/feedwatch"]).status == 0)
        #expect(tree(root) == files)
        // An edited configuration is kept.
        try "# mine\n".write(toFile: root + "/etc/feedwatch/feedwatch.yaml", atomically: true, encoding: .utf8)
        let again = try await install(root, ["--prefix", "/opt/feedwatch"])
        #expect(again.stdout.contains("keeping the existing"))
        #expect(try String(contentsOfFile: root + "/etc/feedwatch/feedwatch.yaml", encoding: .utf8) == "# mine\n")

        #expect(try await install(root, ["--prefix", "/opt/feedwatch", "--uninstall"]).status == 0)
        #expect(tree(root).keys.sorted() == ["etc/feedwatch/feedwatch.yaml"])
        #expect(try await install(root, ["--prefix", "/opt/feedwatch", "--uninstall", "--purge"]).status == 0)
        #expect(tree(root).isEmpty)
    }

    @Test("a package's prefix (/usr) puts the unit in /usr/lib/systemd/system; every page of docs/ is installed; --help is usage")
    func packagePrefix() async throws {
        let root = try TestPaths.temporaryDirectory("destdir")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let r = try await install(root, ["--prefix", "/usr"])
        #expect(r.status == 0, "\(r.stderr)")
        let files = tree(root)
        #expect(files["usr/lib/systemd/system/feedwatch.service"] != nil)
        #expect(files["etc/systemd/system/feedwatch.service"] == nil)
        let unit = String(decoding: files["usr/lib/systemd/system/feedwatch.service"] ?? Data(), as: UTF8.self)
        #expect(unit.contains("ExecStart=/usr/bin/feedwatch run"))
        // The installed reference points at these pages: they are there.
        for page in ["docs/classifier.md", "docs/fetcher.md", "docs/daemon.md", "config/README.md"] {
            #expect(files["usr/share/doc/feedwatch/" + page] != nil, "\(page) not installed")
        }
        let reference = String(decoding: files["usr/share/doc/feedwatch/config/README.md"] ?? Data(), as: UTF8.self)
        for linked in ["docs/classifier.md", "docs/fetcher.md"] where reference.contains(linked) {
            #expect(files["usr/share/doc/feedwatch/" + linked] != nil)
        }
        #expect(try await install(root, ["--prefix", "/usr", "--uninstall", "--purge"]).status == 0)
        #expect(tree(root).isEmpty)

        let help = try await Program.run("/usr/bin/env", ["bash", TestPaths.repoRoot + "/deploy/install.sh", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.hasPrefix("Usage: deploy/install.sh"))
        #expect(!help.stdout.split(separator: "\n").contains { $0.hasPrefix("#") || $0.contains("set -euo") })
    }
}
