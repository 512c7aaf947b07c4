/// "Did you mean …?" for misspelt names, by edit distance, as Python 3.10+ does.
enum Suggestions {
    /// "MESSAGE — did you mean 'X'? More." when a close name exists, else "MESSAGE; more.": one
    /// punctuation for every "did you mean" in the language.
    static func message(_ message: String, closestTo name: String, in candidates: [String], quote: String = "'",
                        suffix: String = "", then more: String) -> String {
        guard let guess = closest(to: name, in: candidates) else { return message + "; " + more }
        return message + " — did you mean \(quote)\(guess)\(suffix)\(quote)? " + more.prefix(1).uppercased() + more.dropFirst()
    }

    /// The candidate closest to `name`, if it is close enough to be a plausible typo.
    static func closest(to name: String, in candidates: [String]) -> String? {
        // Short names tolerate one typo, longer ones two or three: "foo" should not become "fit".
        let limit = name.count <= 4 ? 1 : name.count <= 8 ? 2 : 3
        // Ties go to the candidate of the same length: `vasr` is `vars` typed with two keys swapped,
        // more likely than `var` with a key too many.
        var best: (name: String, distance: Int, lengthGap: Int)?
        for candidate in candidates where candidate != name {
            let d = distance(name.lowercased(), candidate.lowercased())
            let gap = abs(candidate.count - name.count)
            if d <= limit, d < (best?.distance ?? .max) || (d == best?.distance && gap < best!.lengthGap) {
                best = (candidate, d, gap)
            }
        }
        return best?.name
    }

    /// Edit distance with adjacent swaps counting as one edit (optimal string alignment), so
    /// `hepl`, `hlep` and `exti` are one typo away from `help` and `exit`; capped for long inputs.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.prefix(64)), b = Array(b.prefix(64))
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }
}
