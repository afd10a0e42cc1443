import ArgumentParser
import FeedCore
import FeedDaemon

extension FeedsCommand {
    /// `feedwatch feeds list [--json]`: every configured feed with where it is listed.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the configured feeds with their source: the YAML line, or the OPML file and line.")
        @OptionGroup var config: ConfigOption
        @Flag(help: "One JSON object per feed and line: url, name, tags, enabled, source {file, line}.")
        var json = false

        func run() throws {
            let c = try config.load()
            if json {
                var out = LineWriter()
                for f in c.feeds { out.write(Self.json(f, configFile: c.file)) }
                out.flush()
                return
            }
            var rows = [["URL", "NAME", "TAGS", "SOURCE"]]
            for f in c.feeds {
                rows.append([
                    URLRedaction.redact(f.url), (f.name ?? "-") + (f.enabled ? "" : " (disabled)"),
                    f.tags.isEmpty ? "-" : f.tags.joined(separator: "/"), "\(f.listedIn ?? c.file):\(f.line)",
                ])
            }
            print(Columns.render(rows))
        }

        static func json(_ f: DaemonConfig.Feed, configFile: String) -> String {
            var w = JSONWriter()
            w.beginObject()
            w.field("url", f.url)
            w.field("name", f.name)
            w.key("tags")
            w.beginArray()
            for t in f.tags { w.string(t) }
            w.endArray()
            w.field("enabled", f.enabled)
            w.key("source")
            w.beginObject()
            w.field("file", f.listedIn ?? configFile)
            w.field("line", f.line)
            w.endObject()
            w.endObject()
            return w.output
        }
    }
}
