/// A place inside the console to send someone back to (`/login?next=`, `/lang/en?back=`, a
/// form's `back`): a path of this site and nothing a browser could read as another host.
///
/// Browsers read `/\host`, `/<tab>/host` and `//host` as another site, so only plain
/// characters are allowed and the second one may be neither slash.
enum LocalPath {
    /// `text` when it is a safe local path, else `nil`.
    static func checked(_ text: String?) -> String? {
        guard let text, text.hasPrefix("/"), text.count <= 512 else { return nil }
        let second = text.dropFirst().first
        guard second != "/", second != "\\" else { return nil }
        let allowed = text.unicodeScalars.allSatisfy { scalar in
            scalar.value > 0x20 && scalar.value < 0x7F && scalar != "\\"
        }
        return allowed ? text : nil
    }
}
