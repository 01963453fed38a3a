import Foundation

/// Discord's body checks (external-apis.md 3.2), lengths in UTF-16 units after trimming (the
/// strictest plausible count). Error codes other than `BASE_TYPE_MAX_LENGTH` are best guesses.
enum DiscordFakeValidation {
    struct Problem {
        var path: [String]
        var code: String
        var message: String
    }

    static func length(_ value: Any?) -> Int {
        ((value as? String) ?? "").trimmingCharacters(in: .whitespacesAndNewlines).utf16.count
    }

    static func problems(_ object: [String: Any]) -> [Problem] {
        var found: [Problem] = []
        func limit(_ value: Any?, _ max: Int, _ path: [String]) {
            if length(value) > max { found.append(Problem(path: path, code: "BASE_TYPE_MAX_LENGTH", message: "Must be \(max) or fewer in length.")) }
        }
        func required(_ value: Any?, _ path: [String]) {
            if length(value) == 0 { found.append(Problem(path: path, code: "BASE_TYPE_REQUIRED", message: "This field is required")) }
        }
        limit(object["content"], 2000, ["content"])
        if let username = object["username"] as? String {
            let lowered = username.lowercased()
            if !(1...80).contains(length(username)) {
                found.append(Problem(path: ["username"], code: "BASE_TYPE_BAD_LENGTH", message: "Must be between 1 and 80 in length."))
            } else if let word = ["discord", "clyde"].first(where: lowered.contains) {
                found.append(Problem(path: ["username"], code: "USERNAME_INVALID_CONTAINS", message: "Username cannot contain \"\(word)\""))
            }
        }
        let embeds = (object["embeds"] as? [[String: Any]]) ?? []
        if embeds.count > 10 { found.append(Problem(path: ["embeds"], code: "BASE_TYPE_MAX_LENGTH", message: "Must be 10 or fewer in length.")) }
        var total = 0
        for (index, embed) in embeds.enumerated() {
            let path = ["embeds", String(index)]
            let footer = (embed["footer"] as? [String: Any])?["text"]
            let author = (embed["author"] as? [String: Any])?["name"]
            limit(embed["title"], 256, path + ["title"])
            limit(embed["description"], 4096, path + ["description"])
            limit(footer, 2048, path + ["footer", "text"])
            limit(author, 256, path + ["author", "name"])
            total += [embed["title"], embed["description"], footer, author].map(length).reduce(0, +)
            let fields = (embed["fields"] as? [[String: Any]]) ?? []
            if fields.count > 25 { found.append(Problem(path: path + ["fields"], code: "BASE_TYPE_MAX_LENGTH", message: "Must be 25 or fewer in length.")) }
            for (number, field) in fields.enumerated() {
                let fieldPath = path + ["fields", String(number)]
                required(field["name"], fieldPath + ["name"])
                required(field["value"], fieldPath + ["value"])
                limit(field["name"], 256, fieldPath + ["name"])
                limit(field["value"], 1024, fieldPath + ["value"])
                total += length(field["name"]) + length(field["value"])
            }
        }
        if total > 6000 { found.append(Problem(path: ["embeds"], code: "MAX_EMBED_SIZE_EXCEEDED", message: "Embed size exceeds maximum size of 6000")) }
        return found
    }

    /// `{"code":50035,"errors":{…nested…{"_errors":[{code,message}]}},"message":"Invalid Form Body"}`.
    static func v8Body(_ problems: [Problem]) -> String {
        func insert(_ problem: Problem, at path: ArraySlice<String>, into node: inout [String: Any]) {
            guard let key = path.first else {
                let leaf: [String: Any] = ["code": problem.code, "message": problem.message]
                node["_errors"] = ((node["_errors"] as? [[String: Any]]) ?? []) + [leaf]
                return
            }
            var child = (node[key] as? [String: Any]) ?? [:]
            insert(problem, at: path.dropFirst(), into: &child)
            node[key] = child
        }
        var errors: [String: Any] = [:]
        for problem in problems { insert(problem, at: problem.path[...], into: &errors) }
        let body: [String: Any] = ["code": 50035, "errors": errors, "message": "Invalid Form Body"]
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// The legacy (v6) shape: `{"content": ["Must be 2000 or fewer in length."]}`; a bad embed is
    /// listed by index, `{"embeds": ["0"]}`.
    static func legacyBody(_ problem: Problem) -> String {
        let key = problem.path.first ?? "message"
        let entry = key == "embeds" && problem.path.count > 1 ? problem.path[1] : problem.message
        let data = (try? JSONSerialization.data(withJSONObject: [key: [entry]], options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
