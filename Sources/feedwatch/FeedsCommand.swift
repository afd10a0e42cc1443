import ArgumentParser

/// `feedwatch feeds list | export`: the feeds the configuration watches, from YAML and OPML (`feed_files`).
/// Each subcommand lives in its own file (`FeedsList.swift`, `FeedsExport.swift`).
struct FeedsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feeds", abstract: "List and export the configured feeds.",
        subcommands: [List.self, Export.self])
}
