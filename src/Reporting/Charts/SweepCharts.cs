using DistrictSim.Reporting.Formatting;
using DistrictSim.Statistics;
using ScottPlot;

namespace DistrictSim.Reporting.Charts;

/// <summary>A sweep: one chart per metric, its P5-P95 band, median and mean against the swept value.</summary>
internal static class SweepCharts
{
    public static IReadOnlyList<Chart> Metrics(string field, string fieldUnit, IReadOnlyList<(double Value, Summary Summary)> points, ChartOptions options)
    {
        var ordered = points.OrderBy(p => p.Value).ToList();
        var first = ordered[0].Summary;
        var charts = new List<Chart>();
        foreach (var name in first.Metrics.Keys)
        {
            var rows = ordered
                .Select(p => (p.Value, Metric: p.Summary.Metrics.GetValueOrDefault(name)))
                .Where(r => r.Metric is { Defined: > 0 } m && double.IsFinite(m.Percentiles.P5) && double.IsFinite(m.Percentiles.P95) && double.IsFinite(m.Percentiles.P50))
                .Select(r => (r.Value, Metric: r.Metric!))
                .ToList();
            if (rows.Count == 0) continue;
            charts.Add(Metric(field, fieldUnit, name, rows, ordered, options));
        }
        return charts;
    }

    private static Chart Metric(string field, string fieldUnit, string name, List<(double Value, MetricSummary Metric)> rows, List<(double Value, Summary Summary)> all, ChartOptions options)
    {
        using var plot = new Plot();
        var maxAbs = rows.SelectMany(r => new[] { r.Metric.Percentiles.P5, r.Metric.Percentiles.P95, r.Metric.Mean }).Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max();
        var axis = MetricAxis.For(name, rows[0].Metric.Unit, maxAbs);
        var xs = rows.Select(r => r.Value).ToArray();
        var band = plot.Add.FillY(xs, rows.Select(r => axis.Show(r.Metric.Percentiles.P5)).ToArray(), rows.Select(r => axis.Show(r.Metric.Percentiles.P95)).ToArray());
        band.FillColor = ChartCanvas.Primary.WithAlpha(0.22);
        band.LineWidth = 0;
        band.LegendText = "P5-P95";
        var median = plot.Add.Scatter(xs, rows.Select(r => axis.Show(r.Metric.Percentiles.P50)).ToArray(), ChartCanvas.Median);
        median.LineWidth = 2;
        median.LegendText = "Median (P50)";
        var mean = plot.Add.ScatterLine(xs, rows.Select(r => axis.Show(r.Metric.Mean)).ToArray(), ChartCanvas.Warning);
        mean.LinePattern = LinePattern.Dashed;
        mean.LegendText = "Mean";
        var summary = all[0].Summary;
        var seeds = all.Select(p => p.Summary.Seed).Distinct().Count() == 1 ? $"seed {summary.Seed}" : "seeds vary";
        var subtitle = $"{summary.Scenario} · {Numbers.Count(summary.Paths)} paths per point · {seeds} · {all.Count} points";
        var safeName = string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_'));
        return ChartCanvas.Render(plot, $"sweep_{safeName}.png", $"{MetricAxis.DisplayName(name)} against {field}", subtitle, $"{field} ({fieldUnit})", axis.Label, options);
    }

    /// <summary>A unit for a scenario field from its name (fields carry their unit: amount_yuan, share, years).</summary>
    public static string GuessUnit(string field)
    {
        var leaf = field[(field.LastIndexOf('.') + 1)..].ToLowerInvariant();
        if (leaf.Contains("yuan_per", StringComparison.Ordinal)) return "元 " + leaf[(leaf.IndexOf("yuan_per", StringComparison.Ordinal) + 5)..].Replace('_', ' ');
        if (leaf.Contains("yuan", StringComparison.Ordinal)) return "元";
        if (leaf.EndsWith("years", StringComparison.Ordinal) || leaf.EndsWith("year", StringComparison.Ordinal)) return "years";
        if (leaf is "share" or "coupon" or "occupancy" or "utilisation" or "collection_rate" or "growth" or "inflation" or "discount_rate" or "base_rate" or "spread" or "default_probability"
            || leaf.EndsWith("rate", StringComparison.Ordinal) || leaf.EndsWith("share", StringComparison.Ordinal))
            return "fraction";
        if (leaf.EndsWith("m2", StringComparison.Ordinal)) return "m²";
        if (leaf is "spaces" or "chargers" or "households") return "count";
        if (leaf is "power_kw") return "kW";
        return "as in the scenario file";
    }
}
