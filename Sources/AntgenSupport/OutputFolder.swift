import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One file of a design: its name in the output folder and its bytes.
public struct OutputFile: Sendable {
    /// A plain file name (no `/`).
    public let name: String
    /// The complete contents.
    public let contents: Data

    /// A file named `name` holding `contents`.
    public init(name: String, contents: Data) {
        self.name = name
        self.contents = contents
    }

    /// A file named `name` holding `text` as UTF-8.
    public init(name: String, text: String) { self.init(name: name, contents: Data(text.utf8)) }
}

/// Why a design could not be written: one line, naming the folder.
public enum OutputFolderError: Error, CustomStringConvertible {
    /// `-o ''`.
    case emptyPath
    /// The folder cannot be created or written; `reason` says why.
    case cannotWrite(String, reason: String)
    /// The folder holds files no antgen manifest lists (and `--force` was not given).
    case foreignFiles(String, names: [String])

    public var description: String {
        switch self {
        case .emptyPath:
            return "the output folder is empty (-o ''); name a folder"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .foreignFiles(let path, let names):
            let shown = names.prefix(3).joined(separator: ", ") + (names.count > 3 ? " and \(names.count - 3) more" : "")
            return "\(path) holds files antgen did not write (\(shown)); pass --force to write the design beside them, or choose another folder"
        }
    }

    /// The C library's text for `errno` value `code` (e.g. "No space left on device").
    static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}

/// An output folder that holds one antgen design (the files its `manifest.json` lists,
/// see ``DesignListing``), written as a unit by ``replaceDesign(with:)``.
///
/// Guarantees, against the writing process dying at any instant (`kill -9`, a crash; not
/// power loss, as nothing is fsynced):
/// - **Folder swap** (the folder is new, empty, or holds only an earlier antgen design): the
///   whole new design is staged in `<parent>/.antgen-staging-<pid>-<random>-<name>` (same
///   file system) and swapped in with one `renameat2(RENAME_EXCHANGE)`, so at every instant
///   the path names either the old complete design or the new one; the old one is then
///   deleted. Where the file system cannot exchange, the old folder is renamed aside first and
///   the path is briefly absent (never partial).
/// - **File by file** (`--force` with files no manifest lists, or the folder is the working
///   folder): the design is staged in `<folder>/.antgen-staging-…`, each file renamed into
///   place (each file is whole at every instant; same-named files of the old design are
///   replaced one by one), `manifest.json` last, then the old design's other files removed.
///   Foreign files are kept unless the new design has a file of the same name.
///
/// A folder without a manifest whose files all carry antgen's header (output of antgen
/// before manifests, see ``DesignListing/legacyFiles(in:entries:)``) counts as an earlier design.
///
/// Whatever a killed write leaves is one `.antgen-staging-…` folder, which the next write
/// into the same folder removes (and whose journal tells it which files were antgen's).
/// Writers into one folder exclude each other with a ``FolderLock``; a second one waits.
public struct OutputFolder {
    /// The folder as the user named it (shown in messages).
    public let path: String
    /// Write beside files no antgen manifest lists instead of refusing.
    public let force: Bool

    /// The folder `path` (as the user named it); with `force`, writes beside foreign files.
    public init(path: String, force: Bool) {
        self.path = path
        self.force = force
    }

    /// The prefix of every staging folder.
    public static let stagingPrefix = ".antgen-staging-"
    /// Entries with this prefix are antgen's bookkeeping (staging folders, locks), never foreign.
    public static let bookkeepingPrefix = ".antgen-"
    /// The journal in an in-folder staging folder: every file name the write may touch.
    public static let journalName = ".antgen-files"

    /// Replaces the design in the folder by `files` (which should include `manifest.json`),
    /// creating the folder and its parents if needed. Returns the folder's URL.
    /// - Throws: ``OutputFolderError``: empty path, a file in the way, foreign files without
    ///   `--force`, or a system error while writing (the old design is then left as it was).
    @discardableResult
    public func replaceDesign(with files: [OutputFile]) throws(OutputFolderError) -> URL {
        guard !path.isEmpty else { throw .emptyPath }
        let target = try prepareTarget()
        let parent = target.deletingLastPathComponent(), name = target.lastPathComponent
        let lock = try FolderLock(path: parent.appendingPathComponent(".antgen-lock-\(name)").path, shownAs: path) {
            FileHandle.standardError.write(Data("antgen: waiting for another antgen writing \(path)\n".utf8))
        }
        removeStaleStaging(in: parent, for: name)
        let state = try inspect(target)
        if !state.foreign.isEmpty && !force { throw .foreignFiles(path, names: state.foreign) }
        if state.foreign.isEmpty && !Self.holdsWorkingFolder(target) {
            try swapIn(files, target: target, exists: state.exists, owned: state.owned, leftovers: state.staging)
        } else {
            try replaceInPlace(files, target: target, owned: state.owned, leftovers: state.staging)
        }
        _ = consume lock
        return target
    }

    /// What the folder holds now.
    private struct State {
        var exists = false
        /// Files an antgen manifest (or an interrupted write's journal) lists.
        var owned: Set<String> = []
        /// Entries nothing lists, sorted.
        var foreign: [String] = []
        /// Staging folders of interrupted file-by-file writes.
        var staging: [String] = []
    }

    /// The absolute target, symlinks resolved, with its parent created; refuses a file in the way.
    private func prepareTarget() throws(OutputFolderError) -> URL {
        let target = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
        var info = stat()
        if stat(target.path, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR {
            throw .cannotWrite(path, reason: "a file of that name exists")
        }
        var missing: [String] = []
        var ancestor = target.deletingLastPathComponent()
        while stat(ancestor.path, &info) != 0 {
            guard errno == ENOENT, ancestor.path != "/" else { throw .cannotWrite(path, reason: Self.reason(errno)) }
            missing.append(ancestor.path)
            ancestor = ancestor.deletingLastPathComponent()
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw .cannotWrite(path, reason: "\(ancestor.path) is a file, not a folder")
        }
        for folder in missing.reversed() where mkdir(folder, 0o777) != 0 && errno != EEXIST {
            throw .cannotWrite(path, reason: Self.reason(errno))
        }
        guard access(target.deletingLastPathComponent().path, W_OK) == 0 else {
            throw .cannotWrite(path, reason: Self.reason(errno))
        }
        return target
    }

    /// Reads the folder: which entries an antgen manifest or journal lists, which are foreign.
    private func inspect(_ target: URL) throws(OutputFolderError) -> State {
        var state = State()
        guard FileManager.default.fileExists(atPath: target.path) else { return state }
        state.exists = true
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: target.path) else {
            throw .cannotWrite(path, reason: "cannot list the folder")
        }
        // A manifest that is not antgen's stays unlisted, so it counts as foreign.
        if let listing = try? DesignListing.read(folder: target) { state.owned = listing.ownedFileNames }
        if !entries.contains(DesignListing.manifestName) { state.owned = DesignListing.legacyFiles(in: target, entries: entries) }
        state.staging = entries.filter { $0.hasPrefix(Self.stagingPrefix) }.sorted()
        for folder in state.staging {
            let journal = target.appendingPathComponent(folder).appendingPathComponent(Self.journalName)
            guard let text = try? String(contentsOf: journal, encoding: .utf8) else { continue }
            state.owned.formUnion(text.split(separator: "\n").map(String.init).filter(DesignListing.isPlainFileName))
        }
        state.foreign = entries.filter { !$0.hasPrefix(Self.bookkeepingPrefix) && !state.owned.contains($0) }.sorted()
        return state
    }

    /// Stages the design beside the folder and swaps it in (see the type's doc comment).
    private func swapIn(_ files: [OutputFile], target: URL, exists: Bool, owned: Set<String>,
                        leftovers: [String]) throws(OutputFolderError) {
        let parent = target.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(Self.stagingName(for: target.lastPathComponent))
        // Ctrl-C or SIGTERM removes the staging folder (before the swap it is the partial new
        // design, after it the old one), so an interrupt leaves the old design or the new.
        InterruptCleanup.track(staging)
        defer {
            try? FileManager.default.removeItem(at: staging)
            InterruptCleanup.untrack(staging)
        }
        try stage(files, in: staging, journal: nil)
        guard exists else {
            guard rename(staging.path, target.path) == 0 else { throw .cannotWrite(path, reason: Self.reason(errno)) }
            return
        }
        var info = stat()
        if stat(target.path, &info) == 0 { chmod(staging.path, info.st_mode & 0o7777) }
        if Self.exchange(staging.path, target.path) == 0 { return }
        switch errno {
        case EXDEV, EBUSY:
            // The folder is a mount point: it cannot be swapped, only filled.
            try replaceInPlace(files, target: target, owned: owned, leftovers: leftovers)
        case EINVAL, ENOSYS:
            // No RENAME_EXCHANGE here: move the old design aside, then the new one in.
            let aside = parent.appendingPathComponent(Self.stagingName(for: target.lastPathComponent))
            guard rename(target.path, aside.path) == 0 else { throw .cannotWrite(path, reason: Self.reason(errno)) }
            defer { try? FileManager.default.removeItem(at: aside) }
            guard rename(staging.path, target.path) == 0 else {
                let code = errno
                _ = rename(aside.path, target.path)
                throw .cannotWrite(path, reason: Self.reason(code))
            }
        default:
            throw .cannotWrite(path, reason: Self.reason(errno))
        }
    }

    /// Stages the design inside the folder and renames it in file by file, manifest last.
    private func replaceInPlace(_ files: [OutputFile], target: URL, owned: Set<String>,
                                leftovers: [String]) throws(OutputFolderError) {
        let staging = target.appendingPathComponent(Self.stagingName(for: "design"))
        let names = Set(files.map(\.name))
        try stage(files, in: staging, journal: owned.union(names).sorted())
        // Renaming in: antgen's files first, the manifest (the commit point) last. A failure
        // from here on leaves the staging folder and its journal for the next write to finish.
        for file in files where file.name != DesignListing.manifestName {
            try move(file.name, from: staging, to: target)
        }
        if names.contains(DesignListing.manifestName) { try move(DesignListing.manifestName, from: staging, to: target) }
        for old in owned.subtracting(names).sorted() {
            unlink(target.appendingPathComponent(old).path)
        }
        for folder in leftovers { try? FileManager.default.removeItem(at: target.appendingPathComponent(folder)) }
        try? FileManager.default.removeItem(at: staging)
    }

    /// Renames one staged file into the folder.
    private func move(_ name: String, from staging: URL, to target: URL) throws(OutputFolderError) {
        guard rename(staging.appendingPathComponent(name).path, target.appendingPathComponent(name).path) == 0 else {
            throw .cannotWrite(path, reason: Self.reason(errno))
        }
    }

    /// Creates `folder` and writes the journal (if any) and every file into it; on failure
    /// removes the folder again and throws.
    private func stage(_ files: [OutputFile], in folder: URL, journal: [String]?) throws(OutputFolderError) {
        guard mkdir(folder.path, 0o777) == 0 else { throw .cannotWrite(path, reason: Self.reason(errno)) }
        var entries = files
        if let journal { entries.insert(OutputFile(name: Self.journalName, contents: Data(journal.joined(separator: "\n").utf8)), at: 0) }
        for file in entries {
            let code = Self.writeNew(file.contents, to: folder.appendingPathComponent(file.name).path)
            guard code == 0 else {
                try? FileManager.default.removeItem(at: folder)
                throw .cannotWrite(path, reason: Self.reason(code))
            }
        }
    }

    /// Removes the staging folders that killed writes into `<parent>/<name>` left beside it.
    /// Runs under the folder's lock, so none of them belongs to a live writer.
    private func removeStaleStaging(in parent: URL, for name: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return }
        for entry in entries where entry.hasPrefix(Self.stagingPrefix) {
            let fields = entry.dropFirst(Self.stagingPrefix.count).split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false)
            if fields.count == 3, fields[2] == name {
                try? FileManager.default.removeItem(at: parent.appendingPathComponent(entry))
            }
        }
    }

    /// `.antgen-staging-<pid>-<random>-<name>`: pid and random hold no `-`, so the name is exact.
    private static func stagingName(for name: String) -> String {
        "\(stagingPrefix)\(getpid())-\(String(UInt32.random(in: .min ... .max), radix: 16))-\(name)"
    }

    /// Writes `data` to a new file; returns 0 or the errno value.
    private static func writeNew(_ data: Data, to path: String) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        return data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> Int32 in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += n
            }
            return 0
        }
    }

    /// True when the folder is the working folder or one of its ancestors (it cannot be renamed away).
    private static func holdsWorkingFolder(_ target: URL) -> Bool {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).resolvingSymlinksInPath().path
        return target.path == "/" || cwd == target.path || cwd.hasPrefix(target.path + "/")
    }

    /// `renameat2(a, b, RENAME_EXCHANGE)`, looked up at run time (Glibc's Swift module does not
    /// export it); sets errno to ENOSYS and returns -1 where the C library lacks it.
    private static func exchange(_ a: String, _ b: String) -> Int32 {
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let symbol = dlsym(nil, "renameat2") else {
            errno = ENOSYS
            return -1
        }
        let renameExchange: UInt32 = 2  // RENAME_EXCHANGE in <linux/fs.h>
        return unsafeBitCast(symbol, to: RenameAt2.self)(AT_FDCWD, a, AT_FDCWD, b, renameExchange)
    }

    private static func reason(_ code: Int32) -> String { OutputFolderError.reason(code) }
}
