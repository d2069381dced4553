using System.Text.Json;
using System.Text.RegularExpressions;

namespace DistrictSim.Cli.Tests;

public sealed class OtherCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Base_PrintsTheYearByYearStatement_AndWritesItsCsv()
    {
        var outcome = _cli.Run("base", Repo.Reference, "--csv", "base.csv");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        foreach (var column in new[] { "revenue.parking", "operating_cost", "cfads", "debt_service.special_bond", "debt_service.policy_loan", "dscr", "reserve", "fiscal_topup", "cumulative_cash" })
        {
            Assert.Contains(column, outcome.Out, StringComparison.Ordinal);
        }
        Assert.Contains("Base-case metrics", outcome.Out, StringComparison.Ordinal);
        var lines = File.ReadAllLines(_cli.PathOf("base.csv"));
        Assert.Equal(1 + 30, lines.Length); // the reference district's horizon is 30 years
        Assert.StartsWith("year,", lines[0], StringComparison.Ordinal);
        // Each statement row is one line: no number is wrapped across lines.
        Assert.Equal(30, outcome.Out.Split('\n').Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\d+\s{2,}")));
    }

    [Fact]
    public void Compare_TwoScenarios_WritesTheTableCsvChartsAndReport_WithPairedStandardErrors()
    {
        var outcome = _cli.Run("compare", Repo.Wuhan, Repo.WuhanBond50, "--paths", "3000", "--out", "c");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("[2] - [1]", outcome.Out, StringComparison.Ordinal);
        Assert.Contains("±", outcome.Out, StringComparison.Ordinal);
        foreach (var file in new[] { "compare.csv", "report.html", "report.md", "summary-1-wuhan-zhiyin-dongyuan.json", "summary-2-wuhan-zhiyin-dongyuan-bond-50.json" })
        {
            Assert.True(File.Exists(_cli.PathOf($"c/{file}")), $"{file} was not written");
        }
        Assert.NotEmpty(Directory.GetFiles(_cli.PathOf("c"), "*.png"));
        var csv = File.ReadAllLines(_cli.PathOf("c/compare.csv"));
        Assert.Equal("quantity,unit,value_1,value_2,diff_2_minus_1,se_diff_2_minus_1", csv[0]);
        // Same seed and paths for both: the summaries say so.
        using var a = JsonDocument.Parse(File.ReadAllText(_cli.PathOf("c/summary-1-wuhan-zhiyin-dongyuan.json")));
        using var b = JsonDocument.Parse(File.ReadAllText(_cli.PathOf("c/summary-2-wuhan-zhiyin-dongyuan-bond-50.json")));
        Assert.Equal(a.RootElement.GetProperty("seed").GetUInt64(), b.RootElement.GetProperty("seed").GetUInt64());
        Assert.Equal(3000, b.RootElement.GetProperty("paths").GetInt64());
    }

    [Fact]
    public void Compare_AScenarioWithItself_HasZeroDifferences()
    {
        var outcome = _cli.Run("compare", Repo.Reference, Repo.Reference, "--paths", "1000", "--out", "c", "--no-charts");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var rows = File.ReadAllLines(_cli.PathOf("c/compare.csv")).Skip(2).Select(l => l.Split(',')).ToList();
        // Common random numbers: identical paths, so every paired difference and its SE is exactly 0 (or empty when undefined).
        Assert.All(rows, r => Assert.True(r[4] is "0" or "", $"{r[0]}: difference {r[4]}"));
        Assert.All(rows.Where(r => r[0] != "expected_topup_given_shortfall"), r => Assert.True(r[5] is "0" or "", $"{r[0]}: SE {r[5]}"));
    }

    [Fact]
    public void Sweep_OneField_RunsEveryPoint_WritesCsvAndCharts()
    {
        var outcome = _cli.Run("sweep", Repo.Reference, "--set", "funding.special_bond.share=30%:50%:10%", "--paths", "1000", "--out", "s");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var csv = File.ReadAllLines(_cli.PathOf("s/sweep.csv"));
        Assert.Equal(1 + 3, csv.Length);
        Assert.StartsWith("funding.special_bond.share,npv.mean,npv.p5,npv.p95,", csv[0], StringComparison.Ordinal);
        Assert.Equal(["0.3", "0.4", "0.5"], csv.Skip(1).Select(l => l.Split(',')[0]).ToArray());
        Assert.NotEmpty(Directory.GetFiles(_cli.PathOf("s"), "sweep_*.png"));
        // A larger special bond means more debt service for the same cash: coverage falls.
        var coverage = csv[0].Split(',').ToList().IndexOf("coverage_ratio.mean");
        var values = csv.Skip(1).Select(l => double.Parse(l.Split(',')[coverage], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.True(values[0] > values[1] && values[1] > values[2], string.Join(", ", values));
    }

    [Fact]
    public void Sweep_TwoFields_RunsTheCartesianProduct()
    {
        var outcome = _cli.Run("sweep", Repo.Reference, "--set", "funding.special_bond.share=30%:40%:10%", "--set", "analysis.discount_rate=4%:6%:1%", "--paths", "500", "--out", "s", "--no-charts");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var csv = File.ReadAllLines(_cli.PathOf("s/sweep.csv"));
        Assert.Equal(1 + (2 * 3), csv.Length);
    }

    [Fact]
    public void Schema_PrintsAJsonSchema()
    {
        var outcome = _cli.Run("schema");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        using var schema = JsonDocument.Parse(outcome.Out);
        Assert.Equal("object", schema.RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public void New_WritesAStarterThatValidates_AndNeverOverwritesWithoutForce()
    {
        var created = _cli.Run("new", "Qingshan district", "--out", "qingshan.yaml");
        Assert.True(created.ExitCode == 0, created.ToString());
        var text = File.ReadAllText(_cli.PathOf("qingshan.yaml"));
        Assert.Contains("#", text, StringComparison.Ordinal);
        Assert.Contains("Qingshan district", text, StringComparison.Ordinal);
        Assert.Equal(0, _cli.Run("validate", "qingshan.yaml").ExitCode);

        File.WriteAllText(_cli.PathOf("qingshan.yaml"), "mine");
        var refused = _cli.Run("new", "Qingshan district", "--out", "qingshan.yaml");
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal("mine", File.ReadAllText(_cli.PathOf("qingshan.yaml")));
        Assert.Equal(0, _cli.Run("new", "Qingshan district", "--out", "qingshan.yaml", "--force").ExitCode);
        Assert.NotEqual("mine", File.ReadAllText(_cli.PathOf("qingshan.yaml")));
    }

    [Fact]
    public void New_WithoutOut_NamesTheFileAfterTheDistrict()
    {
        var outcome = _cli.Run("new", "Qingshan District");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.True(File.Exists(_cli.PathOf("qingshan-district.yaml")));
    }

    [Fact]
    public void Bench_ReportsPathsPerSecond_Memory_AndAllocations()
    {
        var outcome = _cli.Run("bench", Repo.Reference, "--paths", "2000");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        foreach (var label in new[] { "warm-up:        2,000 paths in ", "paths/s:        median ", "elapsed:        median ", "peak working set:", "GC allocated:", "of which set-up ", ", summary " })
        {
            Assert.Contains(label, outcome.Out, StringComparison.Ordinal);
        }
        // Three measured runs by default, each with its split and its garbage collections.
        Assert.Equal(3, Regex.Count(outcome.Out, @"^run \d:\s+[\d.]+ s, [\d,]+ paths/s; of which set-up .* GC \d+ collections", RegexOptions.Multiline));
        Assert.DoesNotContain("per path, one thread", outcome.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_WithoutWarmup_TimesColdRuns_AsManyAsAsked()
    {
        var outcome = _cli.Run("bench", Repo.Reference, "--paths", "1000", "--warmup", "0", "--runs", "2");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.DoesNotContain("warm-up:", outcome.Out, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(outcome.Out, "^run \\d:", RegexOptions.Multiline));
        Assert.Contains("over 2 run(s)", outcome.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--runs", "0", "--runs must be at least 1")]
    [InlineData("--warmup", "-5", "--warmup must be 0 or more paths")]
    public void Bench_RejectsImpossibleRunsAndWarmup(string option, string value, string message)
    {
        var outcome = _cli.Run("bench", Repo.Reference, "--paths", "1000", option, value);
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains(message, outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_WithParts_TimesSampling_Evaluation_AndRecording()
    {
        var outcome = _cli.Run("bench", Repo.Reference, "--paths", "2000", "--parts");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Matches(@"per path, one thread: sampling [\d,]+ ns, cash flows and metrics [\d,]+ ns, recording [\d,]+ ns \(best of 3 on 2,000 paths; recording: each batch of 64 paths its best of 3; (the thread's CPU time|wall clock)\)", outcome.Out);
    }
}
