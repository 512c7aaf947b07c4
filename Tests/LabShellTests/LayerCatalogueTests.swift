@testable import LabShell
import BatchNormKit
import Testing

/// Every layer the language builds: its command runs, its fields are the shared ones plus its own,
/// it prints, and backward works on it; RMSNorm everywhere its siblings go.
@Suite struct LayerCatalogueTests {
    @Test(arguments: LayerCatalogue.commands.map(\.name))
    func everyLayerBuildsPrintsAndBackpropagates(_ name: String) throws {
        let command = try #require(LayerCatalogue.commands.first { $0.name == name })
        let s = SessionHarness()
        #expect(s.run(command.example), "\(s.text)")
        let variable = String(command.example.prefix { $0 != " " })
        #expect(s.run(variable), "\(s.text)")
        #expect(s.text.contains(name + "("), "\(s.text)")
        let fields = s.interpreter.variables[variable].map(Fields.names) ?? []
        for shared in ["gamma", "eps", "training"] { #expect(fields.contains(shared), "\(name): \(fields)") }
        // A (4, 8, 3) input fits every example (8 channels or a trailing 8 would not for layernorm(8), so use its shape).
        let layer = s.interpreter.variables[variable]
        guard case .layer(let l)? = layer else { Issue.record("not a layer"); return }
        let shape: [Int] = switch l {
        case let ln as LayerNorm: [4] + ln.normalizedShape
        case let rn as RMSNorm: [4] + rn.normalizedShape
        default: [4, 8, 3]
        }
        let dims = shape.map(String.init).joined(separator: ", ")
        #expect(s.run("x = randn(\(dims))\ny = \(variable)(x)\ng = backward(\(variable), x, ones(\(dims)))\ng.dx.shape"), "\(s.text)")
    }

    @Test func rmsNormEverywhere() {
        let s = SessionHarness()
        #expect(s.run("""
            rn = rmsnorm(4)
            x = randn(32, 4) * 3 + 1
            y = rn(x)
            rn.gamma = 2
            rn.eps
            g = backward(rn, x, ones(32, 4))
            g.dgamma.shape
            net = mlp([2, 16, 3], norm: "rms")
            net.parameters
            r = fit(net, spirals(120), epochs: 1)
            stats y
            help rmsnorm
            """), "\(s.text)")
        // float32's machine epsilon, as torch.finfo gives it: to the session's 4 decimals at the
        // prompt, in full in help's defaults.
        #expect(s.output.contains("1.1921e-07"))
        #expect(s.text.contains("default 1.1920928955078125e-07"))
        // 2·16 + 16 weights and biases, 16 γ (no β), then 16·3 + 3.
        #expect(s.output.contains("115"))
        #expect(s.text.contains("rmsnorm(sizes…"))
        s.run("rn.beta = 1")
        #expect(s.errors.last?.contains("has no field 'beta'") == true)
    }

    /// step, track and compare take a batchnorm; binding says so once, the same way for each.
    @Test(arguments: ["step(ln, x)", "track(ln, x)", "compare(ln, x)"])
    func batchNormCommandsRefuseOtherLayersAlike(_ call: String) {
        let s = SessionHarness()
        s.run("ln = layernorm(4)\nx = randn(8, 4)\n" + call)
        let name = String(call.prefix { $0 != "(" })
        #expect(s.errors.last?.contains("\(name): layer must be a batchnorm layer, got layernorm(4)") == true, "\(s.errors)")
    }
}
