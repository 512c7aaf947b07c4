@testable import LabShell
import Testing

/// `fit` names the network it trains, norm included: two networks of the same sizes (lesson 5's
/// plain and BatchNorm stacks) must not print the same header.
@Suite struct FitHeaderTests {
    @Test(arguments: [("", "with no norm"), (", norm: \"batch\"", "with batchnorm before each relu"),
                      (", norm: \"layer\", act: \"tanh\", order: \"post\"", "with layernorm after each tanh")])
    func theHeaderSaysWhichNorm(_ options: String, _ named: String) {
        let s = SessionHarness()
        #expect(s.run("net = mlp([2, 8, 3]\(options))\nr = fit(net, spirals(60), epochs: 1)"), "\(s.errors)")
        #expect(s.output.first?.hasPrefix("training 2 → 8 → 3 \(named) on 48 samples of spirals") == true, "\(s.output)")
    }
}
