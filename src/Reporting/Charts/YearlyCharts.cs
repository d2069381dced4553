using DistrictSim.Reporting.Formatting;
using DistrictSim.Statistics;
using ScottPlot;

namespace DistrictSim.Reporting.Charts;

/// <summary>Per-year percentile bands of one run: the reserve balance fan and DSCR by year.</summary>
internal static class YearlyCharts
{
    private const string YearLabel = "Year (0 = first construction year)";

    public static Chart ReserveFan(Summary summary, ChartOptions options)
    {
        using var plot = new Plot();
        const string title = "Reserve balance by year (end of year)";
        var band = Finite(summary.Bands.GetValueOrDefault(BandNames.Reserve));
        if (band.Count == 0)
        {
            ChartCanvas.AddNote(plot, "No reserve band in this run");
            return ChartCanvas.Render(plot, "reserve_fan.png", title, ChartCanvas.RunTag(summary), YearLabel, "Reserve (万元)", options);
        }
        var scale = MoneyScale.For(band.SelectMany(b => new[] { b.P5, b.P95 }));
        AddFan(plot, band, scale.ToUnit);
        ChartCanvas.AddLevel(plot, 0, "Zero", ChartCanvas.Neutral, LinePattern.Dotted);
        return ChartCanvas.Render(plot, "reserve_fan.png", title, ChartCanvas.RunTag(summary), YearLabel, $"Reserve ({scale.Unit})", options);
    }

    public static Chart DscrBands(Summary summary, ChartOptions options)
    {
        using var plot = new Plot();
        const string title = "DSCR by year (CFADS / debt service due)";
        const string yLabel = "DSCR (×)";
        var band = Finite(summary.Bands.GetValueOrDefault(BandNames.Dscr));
        if (band.Count == 0)
        {
            ChartCanvas.AddNote(plot, "No debt service in any year: DSCR is undefined");
            return ChartCanvas.Render(plot, "dscr_bands.png", title, ChartCanvas.RunTag(summary), YearLabel, yLabel, options);
        }
        AddFan(plot, band, v => v);
        ChartCanvas.AddLevel(plot, 1.0, "DSCR 1.0 (break-even)", ChartCanvas.Warning, LinePattern.Dashed);
        ChartCanvas.AddLevel(plot, summary.CoverageRequirement, $"Requirement {Numbers.Significant(summary.CoverageRequirement)}×", ChartCanvas.Requirement, LinePattern.Dashed);
        return ChartCanvas.Render(plot, "dscr_bands.png", title, ChartCanvas.RunTag(summary), YearLabel, yLabel, options);
    }

    private static void AddFan(Plot plot, IReadOnlyList<BandPoint> band, Func<double, double> show)
    {
        var xs = band.Select(b => (double)b.Year).ToArray();
        ChartCanvas.AddFan(plot, xs,
            band.Select(b => show(b.P5)).ToArray(),
            band.Select(b => show(b.P25)).ToArray(),
            band.Select(b => show(b.P50)).ToArray(),
            band.Select(b => show(b.P75)).ToArray(),
            band.Select(b => show(b.P95)).ToArray(),
            ChartCanvas.Primary);
    }

    /// <summary>The years where every percentile is a number (DSCR is NaN in years without debt service).</summary>
    private static List<BandPoint> Finite(IReadOnlyList<BandPoint>? band) =>
        band is null ? [] : band.Where(b => double.IsFinite(b.P5) && double.IsFinite(b.P25) && double.IsFinite(b.P50) && double.IsFinite(b.P75) && double.IsFinite(b.P95)).OrderBy(b => b.Year).ToList();
}
