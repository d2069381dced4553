using DistrictSim.Reporting.Fonts;
using DistrictSim.Reporting.Formatting;
using DistrictSim.Statistics;
using ScottPlot;

namespace DistrictSim.Reporting.Charts;

/// <summary>
/// Shared drawing steps: a plot with the embedded font, histograms from summary bins, percentile
/// bands, marker lines, and the final render to PNG (and SVG) bytes.
/// </summary>
internal static class ChartCanvas
{
    internal static readonly Color Primary = Color.FromHex("#1f77b4");
    internal static readonly Color Median = Color.FromHex("#0b3d66");
    internal static readonly Color Warning = Color.FromHex("#d62728");
    internal static readonly Color Neutral = Color.FromHex("#444444");
    internal static readonly Color Requirement = Color.FromHex("#ff7f0e");

    /// <summary>"Reference district · 100,000 paths · seed 42" (the second title line of every run chart).</summary>
    internal static string RunTag(Summary summary) =>
        $"{summary.Scenario} · {Numbers.Count(summary.Paths)} paths · seed {summary.Seed}";

    /// <summary>
    /// Draws a summary histogram's bins as bars (ScottPlot's histogram plottable, counts per bin).
    /// Returns false (and draws nothing) when there is no bin with a count.
    /// </summary>
    internal static bool AddHistogram(Plot plot, Statistics.Histogram histogram, MetricAxis axis, Color color)
    {
        var counts = histogram.Counts;
        if (counts.Count == 0 || histogram.Edges.Count != counts.Count + 1 || counts.All(c => c == 0)) return false;
        var low = axis.Show(histogram.Edges[0]);
        var high = axis.Show(histogram.Edges[^1]);
        if (!double.IsFinite(low) || !double.IsFinite(high)) return false;
        if (high <= low)
        {
            // Every value equal: one bin of zero width; give it a visible width around the value.
            var half = Math.Max(Math.Abs(low) * 0.01, 0.5);
            (low, high) = (low - half, high + half);
        }
        var bins = ScottPlot.Statistics.Histogram.WithBinCount(counts.Count, low, high);
        for (var i = 0; i < counts.Count; i++)
        {
            bins.Counts[i] = (int)Math.Min(counts[i], int.MaxValue);
        }
        // ScottPlot's histogram plottable has no legend entry; the axis label names the metric.
        plot.Add.Histogram(bins, color);
        return true;
    }

    /// <summary>Cumulative share of paths (%) at each bin edge, from a summary histogram: (edges, 0 .. 100).</summary>
    internal static (double[] Xs, double[] Ys)? Cdf(Statistics.Histogram histogram, MetricAxis axis)
    {
        var counts = histogram.Counts;
        if (counts.Count == 0 || histogram.Edges.Count != counts.Count + 1) return null;
        double total = counts.Sum();
        if (total <= 0) return null;
        var xs = axis.Show(histogram.Edges);
        var ys = new double[xs.Length];
        double running = 0;
        for (var i = 0; i < counts.Count; i++)
        {
            running += counts[i];
            ys[i + 1] = 100 * running / total;
        }
        return (xs, ys);
    }

    /// <summary>A dashed vertical marker with a legend entry ("P5 = -1,234 万元"); skipped when x is NaN.</summary>
    internal static void AddMarker(Plot plot, double x, string legend, Color color, LinePattern pattern)
    {
        if (!double.IsFinite(x)) return;
        var line = plot.Add.VerticalLine(x, 2, color, pattern);
        line.LegendText = legend;
    }

    internal static void AddLevel(Plot plot, double y, string legend, Color color, LinePattern pattern)
    {
        if (!double.IsFinite(y)) return;
        var line = plot.Add.HorizontalLine(y, 2, color, pattern);
        line.LegendText = legend;
    }

    /// <summary>Two shaded bands (P5-P95 and P25-P75) and the median line over x.</summary>
    internal static void AddFan(Plot plot, double[] xs, double[] p5, double[] p25, double[] p50, double[] p75, double[] p95, Color color)
    {
        var outer = plot.Add.FillY(xs, p5, p95);
        outer.FillColor = color.WithAlpha(0.18);
        outer.LineWidth = 0;
        outer.LegendText = "P5-P95";
        var inner = plot.Add.FillY(xs, p25, p75);
        inner.FillColor = color.WithAlpha(0.38);
        inner.LineWidth = 0;
        inner.LegendText = "P25-P75";
        var median = plot.Add.ScatterLine(xs, p50, Median);
        median.LineWidth = 2;
        median.LegendText = "Median (P50)";
    }

    /// <summary>Writes a centred note where data is missing, so the chart still explains itself.</summary>
    internal static void AddNote(Plot plot, string message)
    {
        var text = plot.Add.Text(message, 0.5, 0.5);
        text.Alignment = Alignment.MiddleCenter;
        text.LabelFontSize = 18;
        text.LabelFontColor = Neutral;
        plot.Axes.SetLimits(0, 1, 0, 1);
    }

    /// <summary>Sets the titles, labels and font, renders, and packages the chart.</summary>
    internal static Chart Render(Plot plot, string fileName, string title, string subtitle, string xLabel, string yLabel, ChartOptions options, Alignment legendAt = Alignment.UpperLeft, bool legendOutside = false)
    {
        var fontName = ChartFont.EnsureRegistered();
        plot.Title($"{title}\n{subtitle}", 15);
        plot.XLabel(xLabel, 14);
        plot.YLabel(yLabel, 14);
        var hasLegend = plot.GetPlottables().Any(p => p.LegendItems.Any(item => !string.IsNullOrEmpty(item.LabelText)));
        if (hasLegend)
        {
            if (legendOutside) plot.ShowLegend(Edge.Right);
            else plot.ShowLegend(legendAt);
            plot.Legend.FontSize = 11;
        }
        plot.Font.Set(fontName);
        plot.Legend.FontName = fontName;
        foreach (var text in plot.GetPlottables<ScottPlot.Plottables.Text>())
        {
            text.LabelStyle.FontName = fontName;
        }

        var png = plot.GetImageBytes(options.Width, options.Height, ImageFormat.Png);
        var svg = options.Format == ChartFormat.PngAndSvg ? plot.GetSvgXml(options.Width, options.Height) : null;
        var series = plot.GetPlottables().Count();
        return new Chart(fileName, title, png, svg, series, xLabel, yLabel);
    }
}
