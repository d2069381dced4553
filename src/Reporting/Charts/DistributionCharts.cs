using DistrictSim.Reporting.Formatting;
using DistrictSim.Statistics;
using ScottPlot;

namespace DistrictSim.Reporting.Charts;

/// <summary>Distributions of one run's metrics: NPV histogram and CDF, coverage ratio, fiscal top-up.</summary>
internal static class DistributionCharts
{
    private const string PathsLabel = "Paths (count)";
    private const string CumulativeLabel = "Cumulative share of paths (%)";

    public static Chart NpvHistogram(Summary summary, ChartOptions options)
    {
        using var plot = new Plot();
        const string title = "Project NPV: distribution over paths";
        if (!summary.Metrics.TryGetValue(MetricNames.Npv, out var npv) || npv.Defined == 0)
        {
            ChartCanvas.AddNote(plot, "NPV is not defined in any path");
            return ChartCanvas.Render(plot, "npv_histogram.png", title, ChartCanvas.RunTag(summary), "Project NPV (万元)", PathsLabel, options);
        }
        var axis = MetricAxis.For(npv);
        ChartCanvas.AddHistogram(plot, npv.Histogram, axis, ChartCanvas.Primary);
        AddNpvMarkers(plot, npv, axis);
        return ChartCanvas.Render(plot, "npv_histogram.png", title, ChartCanvas.RunTag(summary), axis.Label, PathsLabel, options);
    }

    public static Chart NpvCdf(Summary summary, ChartOptions options)
    {
        using var plot = new Plot();
        const string title = "Project NPV: cumulative distribution";
        if (!summary.Metrics.TryGetValue(MetricNames.Npv, out var npv) || ChartCanvas.Cdf(npv.Histogram, MetricAxis.For(npv)) is not { } cdf)
        {
            ChartCanvas.AddNote(plot, "NPV is not defined in any path");
            return ChartCanvas.Render(plot, "npv_cdf.png", title, ChartCanvas.RunTag(summary), "Project NPV (万元)", CumulativeLabel, options);
        }
        var axis = MetricAxis.For(npv);
        var line = plot.Add.ScatterLine(cdf.Xs, cdf.Ys, ChartCanvas.Primary);
        line.LineWidth = 2;
        line.LegendText = "P(NPV ≤ x)";
        AddNpvMarkers(plot, npv, axis);
        plot.Axes.SetLimitsY(0, 100);
        return ChartCanvas.Render(plot, "npv_cdf.png", title, ChartCanvas.RunTag(summary), axis.Label, CumulativeLabel, options);
    }

    /// <summary>P5, P50, P95 and zero, each a vertical line with its value in the legend.</summary>
    private static void AddNpvMarkers(Plot plot, MetricSummary npv, MetricAxis axis)
    {
        var p = npv.Percentiles;
        ChartCanvas.AddMarker(plot, axis.Show(p.P5), $"P5 = {Numbers.Significant(axis.Show(p.P5))} {axis.Unit}", ChartCanvas.Warning, LinePattern.Dashed);
        ChartCanvas.AddMarker(plot, axis.Show(p.P50), $"P50 = {Numbers.Significant(axis.Show(p.P50))} {axis.Unit}", ChartCanvas.Median, LinePattern.Solid);
        ChartCanvas.AddMarker(plot, axis.Show(p.P95), $"P95 = {Numbers.Significant(axis.Show(p.P95))} {axis.Unit}", ChartCanvas.Primary, LinePattern.Dashed);
        ChartCanvas.AddMarker(plot, 0, "Zero", ChartCanvas.Neutral, LinePattern.Dotted);
    }

    public static Chart CoverageHistogram(Summary summary, ChartOptions options)
    {
        using var plot = new Plot();
        var requirement = summary.CoverageRequirement;
        var below = Numbers.Percent(summary.Probabilities.CoverageBelowRequirement);
        var title = $"Coverage ratio: P(coverage < {Numbers.Significant(requirement)}) = {below}";
        var axis = new MetricAxis("Coverage ratio (CFADS / debt service)", "×", 1);
        if (!summary.Metrics.TryGetValue(MetricNames.CoverageRatio, out var coverage) || coverage.Defined == 0)
        {
            ChartCanvas.AddNote(plot, "No debt service in any path: coverage is undefined");
            return ChartCanvas.Render(plot, "coverage_histogram.png", "Coverage ratio: no debt service", ChartCanvas.RunTag(summary), axis.Label, PathsLabel, options);
        }
        ChartCanvas.AddHistogram(plot, coverage.Histogram, axis, ChartCanvas.Primary);
        ChartCanvas.AddMarker(plot, requirement, $"Requirement {Numbers.Significant(requirement)}×", ChartCanvas.Requirement, LinePattern.Dashed);
        ChartCanvas.AddMarker(plot, coverage.Percentiles.P50, $"P50 = {Numbers.Significant(coverage.Percentiles.P50)}×", ChartCanvas.Median, LinePattern.Solid);
        var subtitle = ChartCanvas.RunTag(summary) + (coverage.Undefined > 0 ? $" · {Numbers.Count(coverage.Undefined)} paths without debt service not shown" : "");
        return ChartCanvas.Render(plot, "coverage_histogram.png", title, subtitle, axis.Label, PathsLabel, options);
    }

    public static Chart FiscalTopupHistogram(Summary summary, ChartOptions options)
    {
        using var plot = new Plot();
        var anyShortfall = Numbers.Percent(summary.Probabilities.AnyShortfall);
        var title = $"Fiscal top-up over the horizon: P(any shortfall) = {anyShortfall}";
        if (!summary.Metrics.TryGetValue(MetricNames.FiscalTopup, out var topup) || topup.Defined == 0)
        {
            ChartCanvas.AddNote(plot, "No fiscal top-up figures in this run");
            return ChartCanvas.Render(plot, "fiscal_topup_histogram.png", title, ChartCanvas.RunTag(summary), "Fiscal top-up (万元)", PathsLabel, options);
        }
        var axis = MetricAxis.For(topup);
        ChartCanvas.AddHistogram(plot, topup.Histogram, axis, ChartCanvas.Warning);
        ChartCanvas.AddMarker(plot, axis.Show(topup.Mean), $"Mean = {Numbers.Significant(axis.Show(topup.Mean))} {axis.Unit}", ChartCanvas.Median, LinePattern.Solid);
        ChartCanvas.AddMarker(plot, axis.Show(topup.Percentiles.P95), $"P95 = {Numbers.Significant(axis.Show(topup.Percentiles.P95))} {axis.Unit}", ChartCanvas.Neutral, LinePattern.Dashed);
        return ChartCanvas.Render(plot, "fiscal_topup_histogram.png", title, ChartCanvas.RunTag(summary), axis.Label, PathsLabel, options);
    }
}
