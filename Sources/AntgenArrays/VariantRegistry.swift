import AntgenDSL
import AntgenHardware
import AntgenSupport
import AntgenVerilog
import Foundation

/// Every hardware array the product builds. Each command loops over this list; adding a
/// variant is writing its files and adding one line here (docs/architecture.md, "Adding an
/// array variant").
public enum VariantRegistry {
    /// The variants, in the order `antgen arrays` lists them; the first is the default.
    public static let all: [any ArrayVariant.Type] = [
        AntVariant.self,
        PwlqVariant.self,
        SdpVariant.self,
        MxVariant.self,
        FpIntVariant.self,
    ]

    /// The variant type named `name`.
    /// - Throws: ``VariantError`` listing the names.
    public static func type(named name: String) throws -> any ArrayVariant.Type {
        guard let type = all.first(where: { $0.name == name }) else {
            throw VariantError("unknown array '\(name)' (use \(names.joined(separator: ", ")))")
        }
        return type
    }

    /// Every variant's `--array` name.
    public static var names: [String] { all.map { $0.name } }
}

/// The files of one emitted design: one Verilog file per module, the file list and the
/// manifest: the one packaging path `emit`, `verify`'s kept designs and the harness share
/// (the Verilog and file list from ``VerilogBackend/designFiles(for:)``).
public struct DesignPackage {
    /// The files in writing order (the manifest last), ready for ``OutputFolder/replaceDesign(with:)``.
    public let files: [OutputFile]
    /// The elaborated design.
    public let design: Design

    /// The name of the manifest file in every design folder.
    public static let manifestName = DesignListing.manifestName

    /// Packages `variant`'s design, after checking its top carries the variant's
    /// ``ArrayVariant/streamProtocol``.
    public init(_ variant: some ArrayVariant) throws {
        let design = try variant.elaborate()
        try variant.streamProtocol.check(design.top)
        files = VerilogBackend().designFiles(for: design) + [OutputFile(name: Self.manifestName, text: try variant.manifestJSON(for: design))]
        self.design = design
    }
}
