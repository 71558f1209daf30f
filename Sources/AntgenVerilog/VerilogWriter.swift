import AntgenDSL
import AntgenSupport
import Foundation

/// One generated Verilog file.
public struct VerilogFile: Equatable, Sendable {
    /// File name (`ModuleName.v`), matching the module name as Verilator's DECLFILENAME expects.
    public let name: String
    /// The complete text.
    public let contents: String
}

/// The Verilog-2005 back end: one file per module plus a file list.
public struct VerilogBackend: Sendable {
    /// The version written into headers.
    public let version: String

    /// Creates a back end stamping `version` into headers.
    public init(version: String = antgenVersion) { self.version = version }

    /// The text of one module.
    public func emit(_ module: HardwareModule) -> String {
        ModuleEmitter(module: module, version: version).emit()
    }

    /// One file per module, dependencies first, top last.
    public func files(for design: Design) -> [VerilogFile] {
        // Modules are independent and read-only here: emit them on all cores.
        nonisolated(unsafe) let modules = design.modules
        nonisolated(unsafe) var texts = [String](repeating: "", count: modules.count)
        let version = self.version
        texts.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer
            DispatchQueue.concurrentPerform(iterations: modules.count) { i in
                out[i] = ModuleEmitter(module: modules[i], version: version).emit()
            }
        }
        return zip(modules, texts).map { VerilogFile(name: "\($0.name).v", contents: $1) }
    }

    /// The file list: one file name per line, dependencies first. Names are relative
    /// to the list's own folder (use `verilator -F`, or run tools in that folder).
    public func fileList(for design: Design) -> String {
        design.modules.map { "\($0.name).v" }.joined(separator: "\n") + "\n"
    }

    /// The files a design folder holds for `design`: one `<module>.v` per module
    /// (dependencies first, top last), then the file list `<top>.f`. The one packaging
    /// path: `antgen emit` (``OutputFolder`` adds the manifest), `emit-examples` and ``write(_:to:)``.
    public func designFiles(for design: Design) -> [OutputFile] {
        files(for: design).map { OutputFile(name: $0.name, text: $0.contents) }
            + [OutputFile(name: "\(design.top.name).f", text: fileList(for: design))]
    }

    /// Writes every module and `<top>.f` into `directory` (created if missing).
    /// Each file is written to a temporary name and renamed into place, so readers
    /// never see a half-written file. Returns the paths written.
    @discardableResult
    public func write(_ design: Design, to directory: URL) throws -> [URL] {
        try writeAtomically(designFiles(for: design).map { ($0.name, String(decoding: $0.contents, as: UTF8.self)) }, to: directory)
    }
}
