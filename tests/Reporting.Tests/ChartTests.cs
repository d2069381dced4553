using DistrictSim.Reporting.Charts;
using DistrictSim.Reporting.Fonts;
using SkiaSharp;
using Xunit;

namespace DistrictSim.Reporting.Tests;

public class ChartTests
{
    private static readonly ChartOptions Small = new() { Width = 640, Height = 400 };

    [Fact]
    public void ForRun_RendersEveryChartAsPngOfTheRequestedSize()
    {
        var charts = ChartSet.ForRun(TestData.Summary(), TestData.Statement(), TestData.District(), Small);

        Assert.Equal(
            ["npv_histogram.png", "npv_cdf.png", "coverage_histogram.png", "reserve_fan.png", "dscr_bands.png", "fiscal_topup_histogram.png", "sources_uses.png", "revenue_by_stream.png", "npv_convergence.png"],
            charts.Select(c => c.FileName));
        foreach (var chart in charts)
        {
            AssertPng(chart, 640, 400);
            Assert.Null(chart.Svg);
        }
        if (Environment.GetEnvironmentVariable("DISTRICTSIM_CHART_DIR") is { Length: > 0 } dir)
        {
            Directory.CreateDirectory(dir);
            foreach (var chart in charts) File.WriteAllBytes(Path.Combine(dir, chart.FileName), chart.Png);
        }
    }

    [Fact]
    public void ForRun_DrawsTheExpectedSeriesOnEachChart()
    {
        var charts = ChartSet.ForRun(TestData.Summary(), TestData.Statement(), TestData.District(), Small).ToDictionary(c => c.FileName);

        // histogram + P5, P50, P95 and zero markers
        Assert.Equal(5, charts["npv_histogram.png"].SeriesCount);
        // CDF line + the same four markers
        Assert.Equal(5, charts["npv_cdf.png"].SeriesCount);
        // histogram + requirement line + median line
        Assert.Equal(3, charts["coverage_histogram.png"].SeriesCount);
        // P5-P95 band, P25-P75 band, median, zero line
        Assert.Equal(4, charts["reserve_fan.png"].SeriesCount);
        // two bands, median, DSCR 1.0 and the requirement
        Assert.Equal(5, charts["dscr_bands.png"].SeriesCount);
        // histogram + mean + P95
        Assert.Equal(3, charts["fiscal_topup_histogram.png"].SeriesCount);
        // 4 sources + 2 capex components + interest reserve
        Assert.Equal(7, charts["sources_uses.png"].SeriesCount);
        // 5 revenue streams
        Assert.Equal(5, charts["revenue_by_stream.png"].SeriesCount);
        // ±2 SE band + running mean
        Assert.Equal(2, charts["npv_convergence.png"].SeriesCount);
    }

    [Fact]
    public void ForRun_EveryChartHasAnAxisLabelWithAUnit()
    {
        var charts = ChartSet.ForRun(TestData.Summary(), TestData.Statement(), TestData.District(), Small);

        foreach (var chart in charts)
        {
            Assert.True(HasUnit(chart.XLabel) || HasUnit(chart.YLabel), $"{chart.FileName}: expected a unit in '{chart.XLabel}' or '{chart.YLabel}'");
        }
        var byName = charts.ToDictionary(c => c.FileName);
        // NPV spans about ±6,000万 (4.2M ± 4 x 15M yuan), below 1亿: 万元.
        Assert.Equal("Project NPV (万元)", byName["npv_histogram.png"].XLabel);
        Assert.Equal("DSCR (×)", byName["dscr_bands.png"].YLabel);
    }

    [Fact]
    public void ForRun_TitleNamesTheMetricAndCoverageTitleGivesTheProbabilityBelow()
    {
        var summary = new SummaryBuilder().CoverageBelow(0.37).Build();

        var coverage = ChartSet.ForRun(summary, TestData.Statement(), TestData.District(), Small).Single(c => c.FileName == "coverage_histogram.png");

        Assert.Equal("Coverage ratio: P(coverage < 1.2) = 37%", coverage.Title);
    }

    [Fact]
    public void ForRun_WithSvg_ReturnsSvgMarkup()
    {
        var charts = ChartSet.ForRun(TestData.Summary(), TestData.Statement(), TestData.District(), Small with { Format = ChartFormat.PngAndSvg });

        Assert.All(charts, c => Assert.Contains("<svg", c.Svg!, StringComparison.Ordinal));
        Assert.Equal("npv_histogram.svg", charts[0].SvgFileName);
    }

    [Fact]
    public void ForRun_WithoutDebt_StillRendersCoverageAndDscrCharts()
    {
        var summary = new SummaryBuilder().NoDebt().Build() with { Bands = new Dictionary<string, IReadOnlyList<DistrictSim.Statistics.BandPoint>>() };

        var charts = ChartSet.ForRun(summary, TestData.Statement(), TestData.District(), Small);

        Assert.Equal(9, charts.Count);
        foreach (var chart in charts) AssertPng(chart, 640, 400);
    }

    [Fact]
    public void ForCompare_DrawsOneCdfPerScenarioPlusMarkers()
    {
        var summaries = new[]
        {
            new SummaryBuilder().Scenario("Base").Build(),
            new SummaryBuilder().Scenario("Higher parking fee").Shift("npv", 5_000_000).Build(),
            new SummaryBuilder().Scenario("知音东苑 片区").Shift("npv", -3_000_000).Build(),
        };

        var charts = ChartSet.ForCompare(summaries, Small);

        Assert.Equal(["compare_npv_cdf.png", "compare_coverage_cdf.png"], charts.Select(c => c.FileName));
        // 3 CDFs + zero marker; 3 CDFs + the requirement (all 1.2)
        Assert.Equal(4, charts[0].SeriesCount);
        Assert.Equal(4, charts[1].SeriesCount);
        foreach (var chart in charts)
        {
            AssertPng(chart, 640, 400);
            Assert.Equal("Cumulative share of paths (%)", chart.YLabel);
        }
    }

    [Fact]
    public void ForSweep_DrawsEachMetricAgainstTheSweptValueWithItsBand()
    {
        var points = new[] { 150.0, 200, 250, 300 }
            .Select(fee => (fee, new SummaryBuilder().Shift("npv", (fee - 250) * 100_000).Build()))
            .ToList();

        var charts = ChartSet.ForSweep("parking.fee_yuan_per_space_per_month", points, Small);

        // npv, equity_npv, project_irr, min_dscr, coverage_ratio, payback_year, fiscal_topup
        Assert.Equal(7, charts.Count);
        var npv = charts.Single(c => c.FileName == "sweep_npv.png");
        Assert.Equal(3, npv.SeriesCount); // band, median, mean
        Assert.Equal("parking.fee_yuan_per_space_per_month (元 per space per month)", npv.XLabel);
        Assert.Equal("Project NPV (万元)", npv.YLabel);
        Assert.Equal("Project IRR (%)", charts.Single(c => c.FileName == "sweep_project_irr.png").YLabel);
        foreach (var chart in charts) AssertPng(chart, 640, 400);
    }

    [Fact]
    public void ChineseTitle_RendersWithTheEmbeddedFont()
    {
        const string name = "武汉 知音东苑 片区更新";
        var summary = new SummaryBuilder().Scenario(name).Build();

        var chart = ChartSet.ForRun(summary, TestData.Statement(), TestData.District(name), Small)[0];

        AssertPng(chart, 640, 400);
        if (Environment.GetEnvironmentVariable("DISTRICTSIM_CHART_DIR") is { Length: > 0 } dir) File.WriteAllBytes(Path.Combine(dir, "chinese.png"), chart.Png);
        Assert.True(ChartFont.IsRegistered);
        // The font ScottPlot resolves for our family name is the embedded one, and it has glyphs for the name.
        Assert.Equal("WenQuanYi Micro Hei", ScottPlot.Fonts.GetTypeface(ChartFont.Name, false, false).FamilyName);
        Assert.True(ChartFont.Covers(name + " 万元 亿元 ×"));
        // DejaVu (the default) would draw tofu for these characters.
        Assert.False(ChartFont.Covers("\U0001F600"));
    }

    [Fact]
    public void Options_OutOfRange_AreRejectedWithTheValue()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ChartSet.ForCompare([TestData.Summary()], new ChartOptions { Width = 10 }));
        Assert.Equal("Width", error.ParamName);
        Assert.Equal(10, error.ActualValue);
    }

    internal static bool HasUnit(string label) =>
        System.Text.RegularExpressions.Regex.IsMatch(label, @"\((万元|亿元|%|×|year|years|count|元[^)]*|fraction|m²|kW)\)$");

    private static void AssertPng(Chart chart, int width, int height)
    {
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], chart.Png.Take(4));
        using var bitmap = SKBitmap.Decode(chart.Png);
        Assert.NotNull(bitmap);
        Assert.True(bitmap.Width == width && bitmap.Height == height, $"{chart.FileName}: expected {width}x{height}, found {bitmap.Width}x{bitmap.Height}");
    }
}
