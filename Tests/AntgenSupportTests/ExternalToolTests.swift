import AntgenSupport
import Foundation
import Testing

@Suite struct ExternalToolTests {
    @Test func aMissingToolSaysWhichAndHowToInstallIt() {
        let tool = ExternalTool(executable: "antgen-no-such-simulator", debianPackage: "nosim")
        do {
            _ = try tool.locate()
            Issue.record("locate() found a tool that does not exist")
        } catch {
            let text = "\(error)"
            #expect(text.contains("antgen-no-such-simulator not found on PATH"))
            #expect(text.contains("apt-get install nosim"))
            #expect(!text.contains("\n"))
        }
    }
}
