@testable import BatchNormKit
import Testing
#if canImport(Glibc)
import Glibc
#endif

private func csvError(_ text: String, path: String = "data.csv") -> DataFileError? {
    do {
        _ = try CSVFile.decode(text, path: path)
        return nil
    } catch {
        return error
    }
}

private func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

@Suite struct CSVFileTests {
    // MARK: Reading

    @Test func referenceStyleFileWithShapeCommentCRLFAndSpecials() throws {
        let t = try CSVFile.read(path: IOTestFiles.path("reference_style.csv"))
        #expect(t.shape == [3, 3])
        #expect(bits(Array(t.scalars[0..<3])) == bits([1.5, -2, 0.1]))
        #expect(t.scalars[3].isNaN && t.scalars[4] == .infinity && t.scalars[5] == -.infinity)
        #expect(bits(Array(t.scalars[6...])) == bits([Float(0.001 as Double), 4, 0.5]))
    }

    @Test func numpySavetxtFileWithHeader() throws {
        // np.savetxt wrote float32 values ramp/7 with 19 significant digits; reading them as
        // float64 and rounding to float32 must give back exactly the float32 values.
        let t = try CSVFile.read(path: IOTestFiles.path("savetxt.csv"))
        #expect(t.shape == [3, 4])
        let expected: [Float] = (0..<12).map { i in (Float(i) * 0.25 - 3) / 7 }
        #expect(t.scalars == expected)
    }

    @Test func noHeader() throws {
        let t = try CSVFile.decode("1,2\n3,4\n", path: "a.csv")
        #expect(t.shape == [2, 2] && t.scalars == [1, 2, 3, 4])
    }

    @Test func headerRowIsSkipped() throws {
        let t = try CSVFile.decode("x, y\n1, 2\n", path: "a.csv")
        #expect(t.shape == [1, 2] && t.scalars == [1, 2])
        // A header is any first row with a non-number in it, and it may follow comments.
        let u = try CSVFile.decode("# made by hand\n\nx,2\n5,6", path: "a.csv")
        #expect(u.shape == [1, 2] && u.scalars == [5, 6])
    }

    @Test func commentsBlankLinesSpacesAndCRLF() throws {
        let text = "\u{FEFF}# shape=2x2\r\n\r\n  1 ,\t2  \r\n# middle comment\r\n   \r\n3,4\r\n"
        let t = try CSVFile.decode(text, path: "a.csv")
        #expect(t.shape == [2, 2] && t.scalars == [1, 2, 3, 4])
    }

    @Test func nanAndInfinityInAnyCase() throws {
        let t = try CSVFile.decode("NaN,Inf,-INF,infinity,+inf,-nan,nan", path: "a.csv")
        #expect(t.shape == [1, 7])
        #expect(t.scalars[0].isNaN && t.scalars[5].isNaN && t.scalars[6].isNaN)
        #expect(Array(t.scalars[1...4]) == [.infinity, -.infinity, .infinity, .infinity])
    }

    @Test func numberSpellings() throws {
        let t = try CSVFile.decode("-1.5,.5,3.,2e-3,+7,1E2,0.0000001,-0", path: "a.csv")
        #expect(bits(t.scalars) == bits([-1.5, 0.5, 3, Float(0.002 as Double), 7, 100, Float(1e-7 as Double), -0.0]))
        // Forms Swift's parser accepts but NumPy does not are refused.
        for field in ["0x10", "1_000", "1e", "e5", ".", "-", "1.2.3", "nan(1)", "infinit", "1,5 kg"] {
            #expect(csvError("1,\(field)") != nil, "\(field)")
        }
    }

    @Test func oneColumnIsRowsByOne() throws {
        let t = try CSVFile.decode("1\n2\n3\n", path: "a.csv")
        #expect(t.shape == [3, 1] && t.scalars == [1, 2, 3])
    }

    // MARK: Reading errors point at line and column

    @Test func raggedRowNamesTheLine() throws {
        let error = csvError("# c\n1,2\n3,4,5\n")
        #expect(error == .csvRaggedRow(path: "data.csv", line: 3, expected: 2, got: 3))
        #expect(error?.description.hasPrefix("data.csv:3:") == true)
        // A header counts: its width is the table's width.
        #expect(csvError("a,b,c\n1,2\n") == .csvRaggedRow(path: "data.csv", line: 2, expected: 3, got: 2))
    }

    @Test func badFieldNamesLineColumnAndText() throws {
        let error = csvError("x,y\n1, 2\n3,  abc\n")
        #expect(error == .csvBadField(path: "data.csv", line: 3, column: 5, text: "abc"))
        #expect(error?.description.contains("data.csv:3:5") == true)
        #expect(error?.description.contains("'abc'") == true)
        // Only the first row may be a header.
        #expect(csvError("1,2\nx,y\n") == .csvBadField(path: "data.csv", line: 2, column: 1, text: "x"))
        // Columns count characters, not bytes.
        #expect(csvError("1,2\né,1é\n") == .csvBadField(path: "data.csv", line: 2, column: 1, text: "é"))
        #expect(csvError("é,x\n1,2\n3,4é\n") == .csvBadField(path: "data.csv", line: 3, column: 3, text: "4é"))
    }

    @Test func emptyFieldsAndTrailingCommas() throws {
        #expect(csvError("1,2\n3,\n") == .csvBadField(path: "data.csv", line: 2, column: 3, text: ""))
        let error = csvError("1,2,3\n1,,2\n")
        #expect(error == .csvBadField(path: "data.csv", line: 2, column: 3, text: ""))
        #expect(error?.description.contains("data.csv:2:3: an empty field") == true)
    }

    @Test(arguments: ["", "\n\n", "# only a comment\n", "x,y\n", "\u{FEFF}"])
    func noDataRows(text: String) throws {
        #expect(csvError(text) == .csvEmpty(path: "data.csv"))
    }

    /// Random text must produce a well-formed tensor or a DataFileError, never a trap.
    @Test func randomTextNeverTraps() throws {
        var generator = SeededGenerator(seed: 99)
        let alphabet = Array("0123456789.,,,-+eEnaifNIy #\r\n\n\t é".utf8) + [0, 0xFF, 0xEF, 0xBB, 0xBF]
        for _ in 0..<2000 {
            let length = Int(generator.next() % 60)
            let bytes = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            do {
                let t = try CSVFile.decode(bytes: bytes, path: "r.csv")
                #expect(t.rank == 2 && t.shape[0] * t.shape[1] == t.count && t.count > 0)
            } catch {
                #expect(error.path == "r.csv")
            }
        }
    }

    // MARK: Writing

    @Test func encodeRankOneAndTwo() throws {
        let vector = Tensor(vector: [1, 2.5, -0.1])
        #expect(try CSVFile.encode(vector, path: "v.csv") == "1.0\n2.5\n-0.1\n")
        let matrix = try Tensor(shape: [2, 3], scalars: [1, .nan, -.infinity, .infinity, 1e-8, -0.0])
        #expect(try CSVFile.encode(matrix, path: "m.csv") == "1.0,nan,-inf\ninf,1e-08,-0.0\n")
        // Every NaN is spelled "nan", including the negative and signalling ones Swift prints otherwise.
        let nans = Tensor(vector: [-.nan, .signalingNaN])
        #expect(try CSVFile.encode(nans, path: "n.csv") == "nan\nnan\n")
        // The one float32 magnitude whose shortest spelling does not survive a float64 reader
        // (NumPy reads "7.038531e-26" as the next float up) is written with more digits.
        let awkward = Tensor(vector: [Float(bitPattern: 363_742_205), -Float(bitPattern: 363_742_205)])
        #expect(try CSVFile.encode(awkward, path: "a.csv") == "7.038530691851209e-26\n-7.038530691851209e-26\n")
        #expect(try CSVFile.decode("7.038531e-26", path: "a.csv").scalars[0].bitPattern == 363_742_206)
    }

    @Test func rankThreeIsRefused() throws {
        let cube = try Tensor(repeating: 1, shape: [2, 2, 2])
        #expect(throws: DataFileError.csvRank(path: "c.csv", shape: [2, 2, 2])) {
            try CSVFile.encode(cube, path: "c.csv")
        }
        #expect("\(DataFileError.csvRank(path: "c.csv", shape: [2, 2, 2]))".contains(".npy"))
    }

    /// Shortest float32 spellings, read back through float64 as NumPy does, must give the same
    /// float32: checked on edge values and on many random bit patterns.
    @Test func roundTripIsExact() throws {
        var generator = SeededGenerator(seed: 11)
        var values: [Float] = [.leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude,
                               -.greatestFiniteMagnitude, 1, Float(1).nextUp, Float(1).nextDown, 0.1, 3.4028235e38, 16_777_215,
                               16_777_216, 0.3, -0.0, .infinity, -.infinity, Float(bitPattern: 363_742_205)]
        while values.count < 20_000 {
            let candidate = Float(bitPattern: UInt32(truncatingIfNeeded: generator.next()))
            if !candidate.isNaN { values.append(candidate) }
        }
        let t = try Tensor(shape: [values.count / 4, 4], scalars: values)
        let back = try CSVFile.decode(CSVFile.encode(t, path: "r.csv"), path: "r.csv")
        #expect(back.shape == t.shape)
        #expect(bits(back.scalars) == bits(t.scalars))
    }

    // MARK: Saving through DataFile, atomically

    @Test func saveAndLoadThroughDataFile() throws {
        let scratch = try IOTestFiles.makeScratch()
        defer { IOTestFiles.removeScratch(scratch) }
        let t = try Tensor(shape: [2, 2], scalars: [1, 2, 3, .nan])
        try DataFile.save(t, to: "\(scratch)/t.Csv")
        let back = try DataFile.load(path: "\(scratch)/t.Csv")
        #expect(back.shape == [2, 2] && back.scalars[..<3] == [1, 2, 3] && back.scalars[3].isNaN)
        let vector = Tensor(vector: [4, 5])
        try DataFile.save(vector, to: "\(scratch)/v.csv")
        #expect(try DataFile.load(path: "\(scratch)/v.csv").shape == [2, 1])
        #expect(IOTestFiles.listing(scratch) == ["t.Csv", "v.csv"])
    }

    @Test func failedSaveLeavesTheOldFileAndNoTemporaries() throws {
        let scratch = try IOTestFiles.makeScratch()
        defer { IOTestFiles.removeScratch(scratch) }
        let target = "\(scratch)/keep.csv"
        try DataFile.save(Tensor(vector: [1, 2]), to: target)
        let before = try AtomicFile.readAll(path: target, limit: 1 << 20)
        let cube = try Tensor(repeating: 1, shape: [2, 2, 2])
        #expect(throws: DataFileError.csvRank(path: target, shape: [2, 2, 2])) { try DataFile.save(cube, to: target) }
        #expect(try AtomicFile.readAll(path: target, limit: 1 << 20) == before)
        // A failure after the temporary file exists (the target is a folder) cleans up too.
        let folder = "\(scratch)/folder.npy"
        try #require(mkdir(folder, 0o755) == 0)
        #expect(throws: DataFileError.cannotWrite(path: folder, reason: "a folder with that name is in the way")) {
            try DataFile.save(cube, to: folder)
        }
        #expect(IOTestFiles.listing(scratch) == ["folder.npy", "keep.csv"])
    }

    @Test func missingFolderAndUnknownExtensions() throws {
        let scratch = try IOTestFiles.makeScratch()
        defer { IOTestFiles.removeScratch(scratch) }
        let missing = "\(scratch)/no/such/folder/x.npy"
        let error = #expect(throws: DataFileError.self) { try DataFile.save(Tensor(vector: [1]), to: missing) }
        #expect(error == .cannotWrite(path: missing, reason: "the folder '\(scratch)/no/such/folder/' does not exist"))
        for name in ["x.txt", "x", ".npy", "x.npy.gz", "dir.npy/x"] {
            #expect(throws: DataFileError.unsupportedExtension(path: name)) { try DataFile.load(path: name) }
            #expect(throws: DataFileError.unsupportedExtension(path: name)) {
                try DataFile.save(Tensor(vector: [1]), to: name)
            }
        }
        #expect(IOTestFiles.listing(scratch).isEmpty)
    }
}
