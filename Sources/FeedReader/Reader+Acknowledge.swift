import FeedCore
import FeedSpool

/// `POST /alerts/<id>/ack` and `POST /alerts/ack` ("acknowledge all shown"): the alert files move from
/// `new/` to `cur/` exactly as `feedwatch alerts ack` moves them, then the browser goes back where it was.
/// Each form carries the process's CSRF token; a post without it, or one a browser marks as coming from
/// another site, changes nothing.
extension Reader {
    func acknowledge(_ ids: [String], _ c: Context) async -> PageResponse {
        let l = c.labels
        let form = c.request.formFields
        let token = form.first { $0.0 == "csrf" }?.1 ?? ""
        guard Hex.constantTimeEqual(Array(token.utf8), Array(csrfToken.utf8)), c.request.headers["sec-fetch-site"] != "cross-site"
        else {
            return Layout.problem(l, status: 403, l.staleForm, setLanguage: false)
        }
        let root = backend.spool()
        let snapshot = await index.snapshot(root: root)
        var missing: [String] = []
        for id in ids {
            guard let a = snapshot.alert(id: id) else {
                missing.append(id)
                continue
            }
            guard !a.acked else { continue }
            do {
                _ = try await index.acknowledge(root: root, name: a.name)
            } catch {
                return Layout.problem(l, status: 500, "\(id): \(error.message)", setLanguage: false)
            }
        }
        if ids.count == 1, !missing.isEmpty { return Layout.problem(l, status: 404, l.notFound, setLanguage: false) }
        // Only a path of this page: never an address elsewhere (`//host`), so the form cannot redirect off site.
        var back = form.first { $0.0 == "back" }?.1 ?? "/"
        if !back.hasPrefix("/") || back.hasPrefix("//") || back.contains("\\")
            || back.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        {
            back = "/"
        }
        return PageResponse(status: 303, headers: [("Location", back)] + Self.plain, body: [])
    }
}
