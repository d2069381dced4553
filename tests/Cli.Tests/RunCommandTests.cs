namespace DistrictSim.Cli.Tests;

public sealed class RunCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Run_WritesSummaries_BaseCase_Charts_AndReport_AndPrintsTables()
    {
        var outcome = _cli.Run("run", Repo.Reference, "--paths", "2000", "--out", "full");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        foreach (var file in new[] { "summary.json", "summary.csv", "base_case.csv", "report.html", "report.md", "npv_histogram.png" })
        {
            Assert.True(File.Exists(_cli.PathOf($"full/{file}")), $"{file} was not written");
        }
        // Tables: metrics with units in the headers, the key probabilities, and the output path.
        Assert.Contains("npv [万元]", outcome.Out, StringComparison.Ordinal);
        Assert.Contains("P(coverage ratio < 1.2)", outcome.Out, StringComparison.Ordinal);
        Assert.Contains("E[fiscal top-up | shortfall]", outcome.Out, StringComparison.Ordinal);
        // The one-sentence answer, as at the top of the report.
        Assert.Contains("Coverage of at least 1.2 in ", outcome.Out, StringComparison.Ordinal);
        Assert.Contains("results: " + _cli.PathOf("full"), outcome.Out, StringComparison.Ordinal);
        // Plain progress lines go to stderr when it is not a terminal.
        Assert.Contains("paths/s", outcome.Error, StringComparison.Ordinal);
        Assert.StartsWith("year,capex,", File.ReadAllText(_cli.PathOf("full/base_case.csv")), StringComparison.Ordinal);
        Assert.StartsWith("metric,unit,mean,", File.ReadAllText(_cli.PathOf("full/summary.csv")), StringComparison.Ordinal);
        // No temporary folder is left beside the results.
        Assert.Equal(new[] { "full" }, Directory.EnumerateFileSystemEntries(_cli.Directory).Select(p => Path.GetFileName(p)).ToArray());
    }

    [Fact]
    public void Run_WithSvg_WritesEveryChartAlsoAsAnSvgDocument()
    {
        var outcome = _cli.Run("run", Repo.Reference, "--paths", "1000", "--out", "svg", "--svg");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var pngs = Directory.GetFiles(_cli.PathOf("svg"), "*.png");
        Assert.NotEmpty(pngs);
        foreach (var png in pngs)
        {
            var svg = Path.ChangeExtension(png, ".svg");
            Assert.True(File.Exists(svg), $"{Path.GetFileName(svg)} was not written");
            Assert.Equal("svg", System.Xml.Linq.XDocument.Load(svg).Root!.Name.LocalName);
        }
    }

    [Fact]
    public void Run_WithoutOut_WritesANewTimestampedFolderEachTime()
    {
        var first = _cli.Run("run", Repo.Reference, "--paths", "1000", "--no-charts");
        var second = _cli.Run("run", Repo.Reference, "--paths", "1000", "--no-charts");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        var folders = Directory.GetDirectories(_cli.PathOf("out/reference-district"));
        Assert.Equal(2, folders.Length);
        Assert.All(folders, f => Assert.Matches(@"^\d{8}-\d{6}(-\d+)?$", Path.GetFileName(f)));
        Assert.All(folders, f => Assert.True(File.Exists(Path.Combine(f, "summary.json"))));
    }

    [Fact]
    public void Run_NeverOverwritesANonEmptyOutFolder_UnlessForced()
    {
        Directory.CreateDirectory(_cli.PathOf("keep"));
        File.WriteAllText(_cli.PathOf("keep/notes.txt"), "mine");

        var refused = _cli.Run("run", Repo.Reference, "--paths", "1000", "--out", "keep", "--no-charts");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--force", refused.Error, StringComparison.Ordinal);
        Assert.Equal("mine", File.ReadAllText(_cli.PathOf("keep/notes.txt")));
        Assert.False(File.Exists(_cli.PathOf("keep/summary.json")));

        var forced = _cli.Run("run", Repo.Reference, "--paths", "1000", "--out", "keep", "--no-charts", "--force");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.True(File.Exists(_cli.PathOf("keep/summary.json")));
        Assert.False(File.Exists(_cli.PathOf("keep/notes.txt")));
    }

    [Fact]
    public void Run_IntoAnExistingEmptyFolder_Succeeds()
    {
        Directory.CreateDirectory(_cli.PathOf("empty"));
        var outcome = _cli.Run("run", Repo.Reference, "--paths", "1000", "--out", "empty", "--no-charts");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.True(File.Exists(_cli.PathOf("empty/summary.json")));
    }

    [Fact]
    public void Run_Interrupted_Exits130_SaysHowFarItGot_AndWritesNothing()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var outcome = _cli.Run(cancel.Token, "run", Repo.Reference, "--paths", "50000", "--out", "stopped", "--per-path", "paths.csv");
        Assert.Equal(130, outcome.ExitCode);
        Assert.Contains("interrupted after", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was written", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_cli.Directory));
    }

    [Fact]
    public void Run_PerPathCsv_HasOneRowPerPath_WithInputsAndMetrics()
    {
        var outcome = _cli.Run("run", Repo.Reference, "--paths", "1500", "--out", "r", "--no-charts", "--per-path", "paths.csv");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var lines = File.ReadAllLines(_cli.PathOf("paths.csv"));
        Assert.Equal(1 + 1500, lines.Length);
        var header = lines[0].Split(',');
        Assert.Equal("path", header[0]);
        Assert.Contains("npv", header);
        Assert.Contains("coverage_ratio", header);
        Assert.True(header.Length > 14, "expected the drawn inputs before the 13 metrics");
        Assert.StartsWith("0,", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", string.Join('\n', lines), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_PerPathParquet_AndXlsx_AreWritten()
    {
        var outcome = _cli.Run("run", Repo.Reference, "--paths", "1500", "--out", "r", "--no-charts", "--per-path", "paths.parquet", "--xlsx", "book.xlsx");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var parquet = File.ReadAllBytes(_cli.PathOf("paths.parquet"));
        Assert.Equal("PAR1"u8.ToArray(), parquet[..4]);
        Assert.Equal("PAR1"u8.ToArray(), parquet[^4..]);
        var xlsx = File.ReadAllBytes(_cli.PathOf("book.xlsx"));
        Assert.Equal("PK"u8.ToArray(), xlsx[..2]);
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(xlsx));
        Assert.Equal(3, zip.Entries.Count(e => e.FullName.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal)));
        foreach (var sheet in zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(sheet.Open());
            Assert.DoesNotContain("NaN", reader.ReadToEnd(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Run_ExistingExportFile_IsNotReplacedWithoutForce()
    {
        File.WriteAllText(_cli.PathOf("paths.csv"), "mine");
        var outcome = _cli.Run("run", Repo.Reference, "--paths", "1000", "--out", "r", "--no-charts", "--per-path", "paths.csv");
        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal("mine", File.ReadAllText(_cli.PathOf("paths.csv")));
        Assert.False(Directory.Exists(_cli.PathOf("r")));
    }

    [Fact]
    public void Run_TargetRse_StopsEarlyAtACheckpoint()
    {
        // Checkpoints are every 65,536 paths: a loose target stops at the first one.
        var outcome = _cli.Run("run", Repo.Reference, "--paths", "200000", "--target-rse", "0.5", "--out", "r", "--no-charts", "--json");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        using var json = System.Text.Json.JsonDocument.Parse(outcome.Out);
        Assert.True(json.RootElement.GetProperty("stopped_early").GetBoolean());
        Assert.Equal(65536, json.RootElement.GetProperty("paths").GetInt64());
    }
}
