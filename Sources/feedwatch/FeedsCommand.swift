import ArgumentParser

/// `feedwatch feeds list | export | discover`: the feeds the configuration watches, from YAML and OPML
/// (`feed_files`), and the feeds a web page advertises. Each subcommand lives in its own file
/// (`FeedsList.swift`, `FeedsExport.swift`, `FeedsDiscover.swift`).
struct FeedsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feeds", abstract: "List, export and discover feeds.",
        subcommands: [List.self, Export.self, FeedsDiscover.self])
}
