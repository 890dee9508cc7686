import Foundation

/// A setting that may be a secret: the value of `NAME`, or else the contents of the file
/// `NAME_FILE` names — how compose `secrets:` and Kubernetes secret volumes hand secrets
/// over, so they never sit in a process's environment or a manifest.
///
/// Surrounding whitespace (the trailing newline an editor or `echo` adds) is trimmed.
/// An empty `NAME` counts as unset; an unreadable `NAME_FILE` is an error, never a
/// silent fallback to a default.
public enum EnvironmentSecret {
    public static func value(_ name: String, in environment: [String: String]) throws(ConfigurationError) -> String? {
        if let text = environment[name], !text.isEmpty { return text.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard let path = environment[name + "_FILE"], !path.isEmpty else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("\(name)_FILE names \(path), which cannot be read by this process")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw ConfigurationError("\(name)_FILE names \(path), which is empty") }
        return text
    }
}
