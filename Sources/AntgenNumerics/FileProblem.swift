import Foundation

/// One line for a failed file operation: what, where, why ("cannot write x.json: a folder
/// of that name exists"), instead of Foundation's multi-part error dump. Every command
/// phrases file errors through this one function (`antgen`'s `reportingErrors` applies it
/// to any Foundation error that reaches it).
///
/// - Parameters:
///   - error: a Foundation (`CocoaError`/`NSError`) or POSIX error, or any other error.
///   - path: the file concerned; nil takes the path recorded in the error, if any.
///   - action: the verb, e.g. "write", "read", "create".
public func describeFileError(_ error: any Error, path: String? = nil, action: String = "write") -> String {
    let nsError = error as NSError
    let recorded = (nsError.userInfo[NSFilePathErrorKey] as? String) ?? (nsError.userInfo[NSURLErrorKey] as? URL)?.path
    let target = path ?? recorded ?? "a file"
    return "cannot \(action) \(target): \(fileErrorReason(nsError, path: path ?? recorded))"
}

/// The "why" part of `describeFileError`.
func fileErrorReason(_ error: NSError, path: String?) -> String {
    var isDirectory: ObjCBool = false
    let exists = path.map { FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) } ?? false
    var posix: Int32?
    if error.domain == NSPOSIXErrorDomain { posix = Int32(error.code) }
    if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
        posix = Int32(underlying.code)
    }
    if error.domain == NSCocoaErrorDomain {
        switch CocoaError.Code(rawValue: error.code) {
        case .fileWriteFileExists:
            return isDirectory.boolValue ? "a folder of that name exists" : "a file of that name exists"
        case .fileWriteNoPermission, .fileReadNoPermission:
            return "permission denied"
        case .fileWriteOutOfSpace:
            return "no space left on the device"
        case .fileWriteVolumeReadOnly:
            return "the file system is read-only"
        case .fileNoSuchFile, .fileReadNoSuchFile:
            if posix == nil { return missingReason(path) }
        default:
            break
        }
    }
    if exists, isDirectory.boolValue, posix == nil || posix == EISDIR { return "a folder of that name exists" }
    if let posix {
        switch posix {
        case ENOENT: return missingReason(path)
        case ENOTDIR: return "a part of the path is a file, not a folder"
        case EISDIR: return "a folder of that name exists"
        case EEXIST: return isDirectory.boolValue ? "a folder of that name exists" : "a file of that name exists"
        default: return String(cString: strerror(posix))
        }
    }
    let text = error.localizedDescription.split(separator: "\n").first.map(String.init) ?? "unknown error"
    return text.isEmpty ? "error \(error.domain) \(error.code)" : text
}

private func missingReason(_ path: String?) -> String {
    guard let path else { return "no such file or folder" }
    let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
    return FileManager.default.fileExists(atPath: parent) ? "no such file or folder" : "the folder \(parent) does not exist"
}

/// Why a file cannot be written at `path`, checked before any work starts (nil: it can
/// be, as far as the file system says now): an empty path, an existing folder of that
/// name, a missing or non-folder parent, or a parent without write permission.
public func outputPathProblem(_ path: String) -> String? {
    guard !path.isEmpty else { return "cannot write '': the path is empty" }
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
        return "cannot write \(path): a folder of that name exists"
    }
    let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
    guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory) else {
        return "cannot write \(path): the folder \(parent) does not exist"
    }
    guard isDirectory.boolValue else { return "cannot write \(path): \(parent) is a file, not a folder" }
    guard access(parent, W_OK) == 0 else { return "cannot write \(path): permission denied in \(parent)" }
    return nil
}
