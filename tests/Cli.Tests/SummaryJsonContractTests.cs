using System.Text.Json;

namespace DistrictSim.Cli.Tests;

/// <summary>summary.json is a stable contract: these tests fail when a field goes missing or a number turns into "NaN".</summary>
public sealed class SummaryJsonContractTests : IDisposable
{
    private static readonly string[] TopLevel =
        ["scenario", "paths", "seed", "sampling", "currency", "coverage_requirement", "metrics", "probabilities", "bands", "convergence", "stopped_early", "elapsed_seconds"];

    private static readonly string[] RequiredMetrics = ["npv", "project_irr", "equity_irr", "min_dscr", "coverage_ratio", "llcr", "payback_year", "fiscal_topup"];

    private static readonly string[] MetricFields = ["mean", "std", "se", "min", "max", "p1", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99", "defined", "undefined"];

    private static readonly string[] ProbabilityFields =
        ["coverage_below_requirement", "any_shortfall", "never_pays_back", "negative_npv", "expected_topup_given_shortfall", "npv_value_at_risk_95"];

    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("reference-district.yaml", "mc")]
    [InlineData("wuhan-zhiyin-dongyuan.yaml", "lhs")]
    public void Run_SummaryJson_HasEveryContractField_WithFiniteNumbersOrNull(string scenario, string sampling)
    {
        var outcome = _cli.Run("run", Path.Combine(Repo.Scenarios, scenario), "--paths", "3000", "--seed", "11", "--sampling", sampling, "--out", "r", "--no-charts");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());

        var text = File.ReadAllText(_cli.PathOf("r/summary.json"));
        Assert.DoesNotContain("NaN", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", text, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;

        // Every top-level field, in the documented order: elapsed_seconds last.
        Assert.Equal(TopLevel, root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(3000, root.GetProperty("paths").GetInt64());
        Assert.Equal(11UL, root.GetProperty("seed").GetUInt64());
        Assert.Equal(sampling, root.GetProperty("sampling").GetString());
        Assert.Equal("CNY", root.GetProperty("currency").GetString());

        var metrics = root.GetProperty("metrics");
        foreach (var name in RequiredMetrics) Assert.True(metrics.TryGetProperty(name, out _), $"metrics.{name} is missing");
        foreach (var metric in metrics.EnumerateObject())
        {
            foreach (var field in MetricFields)
            {
                Assert.True(metric.Value.TryGetProperty(field, out var value), $"metrics.{metric.Name}.{field} is missing");
                AssertFiniteOrNull(value, $"metrics.{metric.Name}.{field}");
            }
            Assert.Equal(3000, metric.Value.GetProperty("defined").GetInt64() + metric.Value.GetProperty("undefined").GetInt64());
        }

        var probabilities = root.GetProperty("probabilities");
        foreach (var field in ProbabilityFields)
        {
            Assert.True(probabilities.TryGetProperty(field, out var value), $"probabilities.{field} is missing");
            AssertFiniteOrNull(value, $"probabilities.{field}");
        }

        var bands = root.GetProperty("bands");
        foreach (var series in new[] { "reserve", "cfads", "dscr" })
        {
            var points = bands.GetProperty(series).EnumerateArray().ToList();
            Assert.NotEmpty(points);
            for (var i = 0; i < points.Count; i++)
            {
                Assert.Equal(["year", "p5", "p25", "p50", "p75", "p95"], points[i].EnumerateObject().Select(p => p.Name).ToArray());
                Assert.Equal(i, points[i].GetProperty("year").GetInt32());
                foreach (var p in points[i].EnumerateObject()) AssertFiniteOrNull(p.Value, $"bands.{series}[{i}].{p.Name}");
            }
        }

        Assert.Equal(JsonValueKind.Object, root.GetProperty("convergence").ValueKind);
        Assert.Equal(JsonValueKind.False, root.GetProperty("stopped_early").ValueKind);
        Assert.True(root.GetProperty("elapsed_seconds").GetDouble() >= 0);
    }

    [Fact]
    public void Run_OneThreadAndTwoThreads_GiveByteIdenticalSummaryApartFromElapsed()
    {
        var one = _cli.Run("run", Repo.Reference, "--paths", "10000", "--threads", "1", "--out", "t1", "--no-charts");
        var two = _cli.Run("run", Repo.Reference, "--paths", "10000", "--threads", "2", "--out", "t2", "--no-charts");
        Assert.True(one.ExitCode == 0, one.ToString());
        Assert.True(two.ExitCode == 0, two.ToString());

        static string WithoutElapsed(string text) =>
            System.Text.RegularExpressions.Regex.Replace(text, "\"elapsed_seconds\": [^\\n]*", "\"elapsed_seconds\": X");
        var a = WithoutElapsed(File.ReadAllText(_cli.PathOf("t1/summary.json")));
        var b = WithoutElapsed(File.ReadAllText(_cli.PathOf("t2/summary.json")));
        Assert.Equal(a, b);
        Assert.Equal(File.ReadAllText(_cli.PathOf("t1/summary.csv")), File.ReadAllText(_cli.PathOf("t2/summary.csv")));
    }

    [Fact]
    public void RunJson_PrintsTheSummaryJsonOnStdout_AndNoTable()
    {
        var outcome = _cli.Run("run", Repo.Reference, "--paths", "2000", "--json", "--out", "j", "--no-charts");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        using var json = JsonDocument.Parse(outcome.Out);
        Assert.Equal("Reference district", json.RootElement.GetProperty("scenario").GetString());
        Assert.Equal(File.ReadAllText(_cli.PathOf("j/summary.json")), outcome.Out);
        Assert.Contains("results:", outcome.Error, StringComparison.Ordinal);
    }

    private static void AssertFiniteOrNull(JsonElement value, string where)
    {
        Assert.True(value.ValueKind is JsonValueKind.Number or JsonValueKind.Null, $"{where} is {value.ValueKind}, expected a number or null");
        if (value.ValueKind == JsonValueKind.Number) Assert.True(double.IsFinite(value.GetDouble()), $"{where} is not finite");
    }
}
