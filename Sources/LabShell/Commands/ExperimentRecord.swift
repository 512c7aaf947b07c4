import BatchNormKit

/// An experiment's result as the record a learner reads and a lesson checks:
/// `r.verdict`, `r.arms[1].mean`, `r.settings[0].verdict`, `r.figures.stale`, ….
enum ExperimentRecord {
    static func make(_ r: ExperimentResult) -> Record {
        Record([
            ("name", .string(r.name)),
            ("claim", .string(r.claim)),
            ("metric", .string(r.metric)),
            ("higher_is_better", .bool(r.higherIsBetter)),
            ("seeds", .number(Double(r.seeds))),
            ("requested_seeds", .number(Double(r.requestedSeeds))),
            ("interrupted", .bool(r.interrupted)),
            ("margin", .number(r.margin)),
            ("rule", .string(r.rule)),
            ("verdict", .string(r.verdict.rawValue)),
            ("arms", .list(r.arms.map { .record(arm($0)) })),
            ("treatment_wins", .number(Double(r.main.treatmentWins))),
            ("baseline_wins", .number(Double(r.main.baselineWins))),
            ("settings", .list(r.settings.map { .record(setting($0)) })),
            ("setting_name", r.settingName.map(Value.string) ?? .none),
            ("figures", .record(Record(r.figures.map { ($0.name, .number($0.value)) }))),
            ("findings", .list(r.findings.map(Value.string))),
            ("grid", .tensor(Tensor(vector: r.grid.map(Float.init)))),
            ("epochs", .number(Double(r.epochs))),
            ("data", .string(r.dataName)),
        ])
    }

    static func arm(_ a: ArmResult) -> Record {
        let length = a.curves.map(\.count).min() ?? 0
        let meanCurve = (0..<length).map { step in a.curves.map { $0[step] }.reduce(0, +) / Double(a.curves.count) }
        return Record([
            ("name", .string(a.name)),
            ("lr", .number(a.learningRate)),
            ("values", .tensor(Tensor(vector: a.values.map(Float.init)))),
            ("mean", .number(a.mean)),
            ("min", .number(a.min)),
            ("max", .number(a.max)),
            ("rates_that_train", .tensor(Tensor(vector: a.ratesThatTrain.map(Float.init)))),
            ("curve", .tensor(Tensor(vector: meanCurve.map(Float.init)))),
        ])
    }

    static func setting(_ c: Comparison) -> Record {
        Record([
            ("setting", .number(c.setting ?? .nan)),
            ("verdict", .string(c.verdict.rawValue)),
            ("arms", .list(c.arms.map { .record(arm($0)) })),
            ("treatment_wins", .number(Double(c.treatmentWins))),
            ("baseline_wins", .number(Double(c.baselineWins))),
        ])
    }
}
