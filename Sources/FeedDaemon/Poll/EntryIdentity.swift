import FeedCore

/// Which stored entry a parsed entry is: its guid (or Atom id) when the feed has one, else its link,
/// else a hash of its normalized title and date. Keys are prefixed by kind so they never collide.
enum EntryIdentity {
    static func key(_ e: FeedEntry) -> String {
        if let id = e.id, !id.isEmpty { return "g:" + (id.utf8.count > 512 ? Digest.hex(id) : id) }
        if let link = e.link, !link.isEmpty { return "l:" + (link.utf8.count > 512 ? Digest.hex(link) : link) }
        let title = (e.title ?? "").lowercased()
        return "h:" + Digest.hex(title + "\n" + (e.date?.iso8601 ?? ""), length: 32)
    }

    /// What an edit changes: the title and summary.
    static func contentHash(_ e: FeedEntry) -> String {
        Digest.hex((e.title ?? "") + "\n" + (e.summary ?? ""), length: 32)
    }

    /// The alert id: the same feed, entry and topics always give the same id, so a redelivery after a
    /// crash is recognised; a later edit that adds a topic is a new alert.
    static func alertID(feedKey: String, entryKey: String, topics: [String]) -> String {
        Digest.hex(feedKey + "\n" + entryKey + "\n" + topics.joined(separator: ","), length: 32)
    }
}
