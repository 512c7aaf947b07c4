@testable import LabShell
import BatchNormKit
import Foundation
import Testing

/// The command table checked as a whole: one entry per name, every parameter explained, and
/// every example runnable as help shows it.
struct CommandTableTests {
    @Test func namesAreUnique() {
        var seen: Set<String> = []
        for command in CommandTable.all {
            #expect(seen.insert(command.name).inserted, "'\(command.name)' is declared twice")
        }
    }

    @Test func everyParameterIsDocumented() {
        for command in CommandTable.all {
            #expect(!command.summary.isEmpty, "\(command.name) has no summary")
            let parameters = command.positional + (command.variadic.map { [$0] } ?? []) + command.options
            for parameter in parameters {
                #expect(!parameter.summary.isEmpty, "\(command.name)'s \(parameter.name) has no summary")
            }
            #expect(Set(parameters.map(\.name)).count == parameters.count, "\(command.name) names a parameter twice")
        }
    }

    /// What an example needs defined first, by command.
    static let setup: [String: String] = [
        "save": "y = randn(4, 2)", "load": "save(randn(4, 2), \"/tmp/bnlab-command-table-load.npy\")",
        "exercise": "y = randn(4, 2)",
        "stats": "x = randn(64, 8)", "compare": "bn = batchnorm(8); x = randn(64, 8)",
        "hist": "x = randn(64, 8); bn = batchnorm(8)", "step": "bn = batchnorm(8); x = randn(64, 8)",
        "track": "bn = batchnorm(8); x = randn(64, 8)", "conventions": "x = randn(64, 8)",
        "train": "bn = batchnorm(8)", "eval": "bn = batchnorm(8)", "backward": "bn = batchnorm(8); x = randn(64, 8)",
        "fit": "net = mlp([2, 16, 3]); data = spirals(60)", "fold": "net = mlp([2, 16, 3], norm: \"batch\"); eval(net)",
        "freeze": "net = mlp([2, 16, 3], norm: \"batch\")",
        "calibrate": "net = mlp([64, 16, 10], norm: \"batch\")", "evaluate": "net = mlp([64, 16, 10], norm: \"batch\")",
        "plot": "r = fit(mlp([2, 8, 3]), spirals(60), epochs: 1)",
        "activations": "net = mlp([2, 16, 16, 3], norm: \"batch\"); data = spirals(60)",
        "mean": "x = randn(4, 2)", "var": "x = randn(4, 2)", "std": "x = randn(4, 2)", "min": "x = randn(4, 2)",
        "max": "x = randn(4, 2)", "sum": "x = randn(4, 2)", "abs": "x = randn(4, 2)",
        "channel_means": "y = randn(4, 2)", "channel_vars": "y = randn(4, 2)",
        "check": "y = batchnorm(2)(randn(16, 2))", "expect": "y = batchnorm(2)(randn(16, 2))",
        "grade": "def bn_forward(x, gamma, beta, eps: 1e-5) {\n  return batchnorm(x.shape[1], eps: eps)(x)\n}",
    ]

    /// Examples run as written, except these, with the reason.
    static let replaced: [String: (line: String, why: String)] = [
        "load": ("x = load(\"/tmp/bnlab-command-table-load.npy\")", "acts.npy is the learner's own file (the setup writes one)"),
        "save": ("save(y, \"/tmp/bnlab-command-table-save.npy\")", "it would write y.npy into the working folder"),
        "experiment": ("r = experiment(\"bn\", epochs: 1, seeds: 1)", "five seeds of ten epochs take too long for a unit test"),
        "bench": ("bench(quick: true, runs: 1)", "the timed runs take seconds; quick checks that it runs"),
        "lesson": ("lessons", "a whole lesson is LessonTests' job"),
        "run": ("run \"\(runFile)\"", "prep.bnl is the learner's own script (the test writes one)"),
    ]

    static let runFile = "/tmp/bnlab-command-table-run.bnl"

    @Test func everyExampleRunsInAFreshSession() throws {
        try "prepared = randn(4, 2)\n".write(toFile: Self.runFile, atomically: true, encoding: .utf8)
        for command in CommandTable.all {
            let session = SessionHarness()
            if let setup = Self.setup[command.name] { #expect(session.run(setup), "\(command.name)'s setup: \(session.lastError)") }
            let line = Self.replaced[command.name]?.line ?? command.example
            #expect(session.run(line), "\(command.name)'s example \(line): \(session.lastError)")
        }
    }

    @Test func helpRendersDefaultsFromTheValuesHandlersUse() {
        #expect(CommandTable.all.first { $0.name == "fit" }?.usage.contains("epochs: \(TrainingConfig().epochs), batch: \(TrainingConfig().batchSize)") == true)
        #expect(CommandTable.all.first { $0.name == "hist" }?.usage == "hist(x, y?, bins: 20, range?, channel?, normal: false)")
        #expect(CommandTable.all.first { $0.name == "rmsnorm" }?.usage.contains("eps: \(NumberFormat.shortest(RMSNorm.defaultEps))") == true)
    }

    @Test func trackAndConventionsHaveTheirOwnSteps() {
        let session = SessionHarness()
        session.run("bn = batchnorm(2); x = randn(64, 2)")
        session.run("track(bn, x)")
        #expect(session.output.last?.hasPrefix("100 mini-batches") == true)
        session.run("conventions(x)")
        #expect(session.output.last?.contains("the same 50 mini-batches") == true)
    }

    @Test func aWordOutsideTheChoicesIsRefusedWithTheClosest() {
        let session = SessionHarness()
        #expect(!session.run("net = mlp([2, 3], norm: \"bath\")"))
        #expect(session.lastError.contains("norm must be \"none\", \"batch\", \"layer\", \"group\", \"rms\"; got \"bath\" — did you mean \"batch\"?"))
        #expect(!session.run("net = mlp([2, 3], act: \"TANH\", order: \"sideways\")"))
        #expect(session.lastError.contains("order must be \"pre\" or \"post\""))
    }

    @Test func noneStandsForALeftOutOptionalParameter() {
        let session = SessionHarness()
        #expect(session.run("x = randn(32, 2); hist(x, none, channel: none)"))
    }
}

/// Tab completion read straight from the Completer.
struct CompleterTests {
    let session = SessionHarness()
    var completer: Completer { Completer(interpreter: session.interpreter) }

    func complete(_ line: String) -> [String] {
        // The word starts after the last break character, as readline splits it.
        let breaks = Set(" \t\n()[]{},;:=+-*/.#\"".unicodeScalars)
        let word = String(String.UnicodeScalarView(line.unicodeScalars.reversed().prefix { !breaks.contains($0) }.reversed()))
        return completer.candidates(line: line, wordStart: line.utf8.count - word.utf8.count, prefix: word)
    }

    @Test func optionLabelsInsideACall() {
        session.run("x = randn(8, 2)")
        #expect(complete("hist(x, bi") == ["bins:"])
        #expect(complete("hist(x, bins: 4, ") .contains("normal:"))
        #expect(!complete("hist(x, bins: 4, ").contains("bins:"), "a label already given is not offered again")
        #expect(complete("fit(net, data, ep") == ["epochs:"])
        #expect(complete("y = hist(x, 2 + bi") == [], "inside an expression a label cannot go")
        #expect(complete("hist(x, x") == ["x"], "variables still complete as arguments")
    }

    @Test func wordChoicesAfterALabelOrInCommandForm() {
        #expect(complete("net = mlp([2, 64, 3], norm: \"b") == ["batch"])
        #expect(complete("net = mlp([2, 64, 3], norm: ") == ["\"none\"", "\"batch\"", "\"layer\"", "\"group\"", "\"rms\""])
        #expect(complete("net = mlp([2, 64, 3], act: \"") == ["relu", "tanh"])
        #expect(complete("mlp([2, 3], order: \"p") == ["pre", "post"])
        #expect(complete("bn = batchnorm(8, convention: \"k") == ["keras"])
        #expect(complete("r = experiment(\"de") == ["depth"])
        #expect(complete("experiment de") == ["depth"])
        #expect(complete("experiment(\"bn\", data: \"d") == ["digits"])
    }

    @Test func commandsVariablesAndFieldsStillComplete() {
        session.run("bn = batchnorm(4)")
        #expect(complete("hel") == ["help"])
        #expect(complete("bn.run") == ["running_mean", "running_var"])
        #expect(complete("help batchn") == ["batchnorm"])
    }
}
