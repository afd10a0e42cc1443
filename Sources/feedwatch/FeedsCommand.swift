import ArgumentParser

/// `feedwatch feeds discover URL`: subscriptions and where feeds come from.
struct FeedsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feeds", abstract: "Find feeds.",
        subcommands: [FeedsDiscover.self])
}
