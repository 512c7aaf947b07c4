import FuzzHarness

// libFuzzer target: any bytes as input lines to the whole language (lexer, parser, interpreter).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLanguage(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzHarness.fuzzLanguage(data, size, asLesson: false)
    return 0
}
