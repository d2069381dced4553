using DistrictSim.Reporting.Formatting;
using DistrictSim.Statistics;
using ScottPlot;

namespace DistrictSim.Reporting.Charts;

/// <summary>Several scenarios on one axis: overlaid CDFs of NPV and of the coverage ratio, from their histograms.</summary>
internal static class CompareCharts
{
    private const string CumulativeLabel = "Cumulative share of paths (%)";

    public static Chart NpvCdfs(IReadOnlyList<Summary> summaries, ChartOptions options)
    {
        using var plot = new Plot();
        var metrics = summaries.Select(s => s.Metrics.GetValueOrDefault(MetricNames.Npv)).ToList();
        var scale = MoneyScale.For(metrics.Where(m => m is not null).Select(m => MetricAxis.MaxAbs(m!)));
        var axis = MetricAxis.Money("Project NPV", scale);
        AddCdfs(plot, summaries, metrics, axis);
        ChartCanvas.AddMarker(plot, 0, "Zero", ChartCanvas.Neutral, LinePattern.Dotted);
        plot.Axes.SetLimitsY(0, 100);
        return ChartCanvas.Render(plot, "compare_npv_cdf.png", "Project NPV: cumulative distributions compared", Tag(summaries), axis.Label, CumulativeLabel, options);
    }

    public static Chart CoverageCdfs(IReadOnlyList<Summary> summaries, ChartOptions options)
    {
        using var plot = new Plot();
        var metrics = summaries.Select(s => s.Metrics.GetValueOrDefault(MetricNames.CoverageRatio)).ToList();
        var axis = new MetricAxis("Coverage ratio (CFADS / debt service)", "×", 1);
        AddCdfs(plot, summaries, metrics, axis);
        foreach (var requirement in summaries.Select(s => s.CoverageRequirement).Where(double.IsFinite).Distinct())
        {
            ChartCanvas.AddMarker(plot, requirement, $"Requirement {Numbers.Significant(requirement)}×", ChartCanvas.Requirement, LinePattern.Dashed);
        }
        plot.Axes.SetLimitsY(0, 100);
        return ChartCanvas.Render(plot, "compare_coverage_cdf.png", "Coverage ratio: cumulative distributions compared", Tag(summaries), axis.Label, CumulativeLabel, options);
    }

    private static void AddCdfs(Plot plot, IReadOnlyList<Summary> summaries, List<MetricSummary?> metrics, MetricAxis axis)
    {
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < summaries.Count; i++)
        {
            if (metrics[i] is not { } metric || ChartCanvas.Cdf(metric.Histogram, axis) is not { } cdf) continue;
            var line = plot.Add.ScatterLine(cdf.Xs, cdf.Ys, palette.GetColor(i));
            line.LineWidth = 2;
            line.LegendText = $"{summaries[i].Scenario} ({Numbers.Count(summaries[i].Paths)} paths, seed {summaries[i].Seed})";
        }
    }

    /// <summary>"A vs B vs C" with the paths and seed once when they agree.</summary>
    private static string Tag(IReadOnlyList<Summary> summaries)
    {
        var names = string.Join(" vs ", summaries.Select(s => s.Scenario));
        var paths = summaries.Select(s => s.Paths).Distinct().ToList();
        var seeds = summaries.Select(s => s.Seed).Distinct().ToList();
        var pathsText = paths.Count == 1 ? $"{Numbers.Count(paths[0])} paths each" : "paths as in the legend";
        var seedText = seeds.Count == 1 ? $"seed {seeds[0]}" : "seeds as in the legend";
        return $"{names} · {pathsText} · {seedText}";
    }
}
