import BatchNormKit

extension CommandTable {
    /// Conv layers to call on images, and the conv net built from them (each from its `Modules/…+Shell.swift`).
    static var convCommands: [CommandSpec] {
        [Conv2d.command, Pool2d.command(.max), Pool2d.command(.average), Flatten.command, ConvNet.command]
    }
}
