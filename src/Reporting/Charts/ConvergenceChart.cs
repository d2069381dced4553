using DistrictSim.Reporting.Formatting;
using DistrictSim.Statistics;
using ScottPlot;

namespace DistrictSim.Reporting.Charts;

/// <summary>Running mean of NPV against paths, with a band of ±2 standard errors.</summary>
internal static class ConvergenceChart
{
    public static Chart MeanNpv(Summary summary, ChartOptions options)
    {
        using var plot = new Plot();
        const string title = "Convergence: running mean of project NPV ± 2 standard errors";
        const string xLabel = "Paths simulated (count)";
        var points = (summary.Convergence.GetValueOrDefault(MetricNames.Npv) ?? [])
            .Where(p => p.Paths > 0 && double.IsFinite(p.Mean))
            .OrderBy(p => p.Paths)
            .ToList();
        if (points.Count == 0)
        {
            ChartCanvas.AddNote(plot, "No convergence checkpoints in this run");
            return ChartCanvas.Render(plot, "npv_convergence.png", title, ChartCanvas.RunTag(summary), xLabel, "Mean NPV (万元)", options);
        }
        static double Se(ConvergencePoint p) => double.IsFinite(p.StandardError) ? p.StandardError : 0;
        var scale = MoneyScale.For(points.SelectMany(p => new[] { p.Mean - 2 * Se(p), p.Mean + 2 * Se(p) }));
        var xs = points.Select(p => (double)p.Paths).ToArray();
        var band = plot.Add.FillY(xs, points.Select(p => scale.ToUnit(p.Mean - 2 * Se(p))).ToArray(), points.Select(p => scale.ToUnit(p.Mean + 2 * Se(p))).ToArray());
        band.FillColor = ChartCanvas.Primary.WithAlpha(0.25);
        band.LineWidth = 0;
        band.LegendText = "Mean ± 2 SE";
        var mean = plot.Add.ScatterLine(xs, points.Select(p => scale.ToUnit(p.Mean)).ToArray(), ChartCanvas.Median);
        mean.LineWidth = 2;
        mean.LegendText = "Running mean";
        return ChartCanvas.Render(plot, "npv_convergence.png", title, ChartCanvas.RunTag(summary), xLabel, $"Mean NPV ({scale.Unit})", options);
    }
}
