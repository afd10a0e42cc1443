import ArgumentParser
import FeedCore
import FeedDaemon

/// `feedwatch once --dry-run`: what the configured topics would alert on in what the feeds carry now
/// (`DryRun`), printed per feed with why; nothing is written anywhere.
enum OnceDryRun {
    static func run(config option: ConfigOption, nearMisses: Bool) async throws {
        let config = try option.load()
        for warning in config.warnings { warn("warning: \(warning)") }
        let results = await DryRun(config: config).run()
        var alerts = 0
        for r in results {
            let name = r.name ?? URLRedaction.redact(r.url)
            if let error = r.error {
                print("\(name): error — \(error)")
                continue
            }
            print("\(name): \(r.items) item(s), \(r.alerts.count) would alert")
            for a in r.alerts {
                alerts += 1
                let topics = a.topics.map(\.name).joined(separator: ",")
                let age = a.tooOld ? "  (older than alerts.max_age: the daemon would not alert it)" : ""
                print("  ALERT \(topics): \(a.title.isolated())\(age)")
                if let link = a.link { print("        \(link)") }
                for t in a.topics { print("        why \(t.name): \(t.why)") }
            }
            if nearMisses {
                for m in r.nearMisses { print("  near  \(m.topic): \(m.title.isolated())\n        why not: \(m.whyNot)") }
            }
        }
        print(
            "dry run: \(alerts) item(s) would alert in \(results.filter { $0.error == nil }.count) feed(s); nothing was written (items already seen count too; stories would merge some)"
        )
    }
}
