using DistrictSim.Cli.Commands;
using DistrictSim.Cli.Output;
using DistrictSim.Model;
using DistrictSim.Statistics;

namespace DistrictSim.Cli.Tests;

public sealed class SweepAxisTests
{
    [Fact]
    public void Parse_Percentages_GivesFractionsWithoutRoundingDrift()
    {
        // 30%, 35%, ..., 50%: five points; 0.3 + 4 × 0.05 would drift without rounding each point from its index.
        var axis = SweepAxis.Parse("funding.special_bond.share=30%:50%:5%");
        Assert.Equal("funding.special_bond.share", axis.Field);
        Assert.Equal([0.3, 0.35, 0.4, 0.45, 0.5], axis.Values);
    }

    [Fact]
    public void Parse_MagnitudeSuffixes()
    {
        Assert.Equal([7.6e7, 8.6e7], SweepAxis.Parse("capex.building.amount_yuan=7600万:8600万:1000万").Values);
        Assert.Equal([1e8], SweepAxis.Parse("x=1亿:1亿:1").Values);
    }

    [Fact]
    public void Grid_IsTheCartesianProduct_FirstAxisSlowest()
    {
        var grid = SweepAxis.Grid([new SweepAxis("a", [1, 2]), new SweepAxis("b", [10, 20, 30])]);
        Assert.Equal(6, grid.Count);
        Assert.Equal([1.0, 10.0], grid[0]);
        Assert.Equal([1.0, 30.0], grid[2]);
        Assert.Equal([2.0, 10.0], grid[3]);
    }

    [Theory]
    [InlineData("share=1:2")]
    [InlineData("=1:2:1")]
    [InlineData("share=1:2:0")]
    [InlineData("share=2:1:1")]
    [InlineData("share=x:2:1")]
    public void Parse_Malformed_IsAUsageError(string text) => Assert.Throws<UsageException>(() => SweepAxis.Parse(text));
}

public sealed class PairedDifferenceTests
{
    [Fact]
    public void Of_PairedPaths_MeanAndStandardErrorOfTheDifferences()
    {
        // d = b - a = [1, 2, 3, 4]: mean 2.5; sample variance ((1.5² + 0.5²) × 2) / 3 = 5/3; SE = sqrt(5/3 / 4) = 0.6455.
        double[] a = [10, 20, 30, 40];
        double[] b = [11, 22, 33, 44];
        var d = PairedDifference.Of(a, b);
        Assert.Equal(2.5, d.Value, 12);
        Assert.Equal(Math.Sqrt(5.0 / 3 / 4), d.StandardError, 12);
        Assert.Equal(4, d.Pairs);
    }

    [Fact]
    public void Of_SkipsPathsWhereEitherIsUndefined()
    {
        double[] a = [1, double.NaN, 3];
        double[] b = [2, 5, double.NaN];
        var d = PairedDifference.Of(a, b);
        Assert.Equal(1, d.Pairs);
        Assert.Equal(1, d.Value);
        Assert.True(double.IsNaN(d.StandardError)); // one pair has no spread to measure
    }
}

public sealed class SummaryJsonTests
{
    [Fact]
    public void Write_UndefinedValuesAreNull_DoublesRoundTrip_AndElapsedIsLast()
    {
        var undefined = new MetricSummary
        {
            Name = "equity_irr", Unit = "fraction", Defined = 0, Undefined = 3, Mean = double.NaN, Std = double.NaN, StandardError = double.NaN,
            Min = double.NaN, Max = double.NaN, Percentiles = Percentiles.Undefined, Histogram = new Histogram([], []),
        };
        var npv = undefined with { Name = "npv", Unit = "yuan", Defined = 3, Undefined = 0, Mean = 0.1 + 0.2, Std = 1, StandardError = 1 / 3.0, Min = -1, Max = 1 };
        var summary = new Summary
        {
            Scenario = "t", Paths = 3, Seed = ulong.MaxValue, Sampling = SamplingMethod.LatinHypercube, Currency = "CNY", CoverageRequirement = 1.2,
            Metrics = new Dictionary<string, MetricSummary> { ["npv"] = npv, ["equity_irr"] = undefined },
            Probabilities = new Probabilities
            {
                CoverageBelowRequirement = 0, AnyShortfall = 0, NeverPaysBack = 1, NegativeNpv = 0, ExpectedTopupGivenShortfall = double.NaN, NpvValueAtRisk95 = double.PositiveInfinity,
            },
            Bands = new Dictionary<string, IReadOnlyList<BandPoint>> { ["dscr"] = [new BandPoint(0, double.NaN, 1, 1, 1, 1)] },
            Convergence = new Dictionary<string, IReadOnlyList<ConvergencePoint>>(),
            ElapsedSeconds = 0.5,
        };
        var text = SummaryJson.Write(summary);
        Assert.DoesNotContain("NaN", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", text, StringComparison.Ordinal);
        Assert.Contains("\"mean\": 0.30000000000000004", text, StringComparison.Ordinal); // shortest round-trip, not rounded
        Assert.Contains("\"seed\": 18446744073709551615", text, StringComparison.Ordinal);
        Assert.Contains("\"sampling\": \"lhs\"", text, StringComparison.Ordinal);
        Assert.Contains("\"expected_topup_given_shortfall\": null", text, StringComparison.Ordinal);
        Assert.Contains("\"npv_value_at_risk_95\": null", text, StringComparison.Ordinal);
        Assert.EndsWith("\"elapsed_seconds\": 0.5\n}\n", text, StringComparison.Ordinal);
        Assert.Equal(text, SummaryJson.Write(summary));
    }
}
