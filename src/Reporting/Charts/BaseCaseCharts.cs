using DistrictSim.Evaluation;
using DistrictSim.Model;
using DistrictSim.Reporting.Formatting;
using DistrictSim.Statistics;
using ScottPlot;

namespace DistrictSim.Reporting.Charts;

/// <summary>The base case's statement: sources and uses of construction funds, revenue by stream.</summary>
internal static class BaseCaseCharts
{
    public static Chart SourcesAndUses(Summary summary, Statement statement, District district, ChartOptions options)
    {
        using var plot = new Plot();
        const string title = "Base case: sources and uses of construction funds";
        var sources = statement.Sources.Select(s => (s.Name, Yuan: s.Yuan.Sum())).Where(s => s.Yuan != 0).ToList();
        var gap = statement.FundingGapYuan.Sum();
        if (gap > 0) sources.Add(("funding gap (uncovered)", gap));
        var uses = Uses(statement, district);
        var scale = MoneyScale.For(Math.Max(sources.Sum(s => Math.Max(s.Yuan, 0)), uses.Sum(u => Math.Max(u.Yuan, 0))));

        var palette = new ScottPlot.Palettes.Category20();
        var colour = 0;
        Stack(plot, 0, sources, scale, palette, ref colour);
        Stack(plot, 1, uses, scale, palette, ref colour);
        plot.Axes.Bottom.SetTicks([0, 1], ["Sources", "Uses"]);
        plot.Axes.SetLimitsX(-0.6, 2.8); // room on the right for the legend
        plot.Axes.Margins(bottom: 0);
        var chart = ChartCanvas.Render(plot, "sources_uses.png", title, $"{summary.Scenario} · base case, all years summed", "Funds (all construction years)", $"Amount ({scale.Unit})", options, Alignment.UpperRight);
        return chart;
    }

    /// <summary>Capex split over the district's components by their planned (base) cost, then the interest reserve.</summary>
    private static List<(string Name, double Yuan)> Uses(Statement statement, District district)
    {
        var capex = statement.CapexYuan.Sum();
        var components = district.Capex.Components.Select(c => (c.Name, Planned: c.AmountYuan.BaseValue)).Where(c => c.Planned > 0).ToList();
        var planned = components.Sum(c => c.Planned);
        var uses = planned > 0
            ? components.Select(c => ($"capex: {c.Name}", capex * c.Planned / planned)).ToList()
            : [("capex", capex)];
        var reserve = statement.InterestReserveFundingYuan.Sum();
        if (reserve != 0) uses.Add(("interest reserve", reserve));
        return uses;
    }

    private static void Stack(Plot plot, double position, List<(string Name, double Yuan)> parts, MoneyScale scale, IPalette palette, ref int colour)
    {
        var bottom = 0.0;
        foreach (var (name, yuan) in parts)
        {
            var value = scale.ToUnit(yuan);
            var bar = new Bar { Position = position, ValueBase = bottom, Value = bottom + value, Size = 0.6, FillColor = palette.GetColor(colour++) };
            var bars = plot.Add.Bars(new[] { bar });
            bars.LegendText = $"{name}: {scale.Format(yuan)}";
            bottom += value;
        }
    }

    public static Chart RevenueByStream(Summary summary, Statement statement, ChartOptions options)
    {
        using var plot = new Plot();
        const string title = "Base case: revenue by stream and year (stacked)";
        const string xLabel = "Year (0 = first construction year)";
        var streams = statement.Revenue.Where(s => s.Yuan.Any(v => v != 0)).ToList();
        var years = statement.Years;
        var totals = new double[years];
        foreach (var stream in streams)
        {
            for (var y = 0; y < Math.Min(years, stream.Yuan.Length); y++) totals[y] += Math.Max(stream.Yuan[y], 0);
        }
        var scale = MoneyScale.For(totals);
        var yLabel = $"Revenue per year ({scale.Unit})";
        var subtitle = $"{summary.Scenario} · base case";
        if (streams.Count == 0)
        {
            ChartCanvas.AddNote(plot, "No revenue in the base case");
            return ChartCanvas.Render(plot, "revenue_by_stream.png", title, subtitle, xLabel, yLabel, options);
        }

        var palette = new ScottPlot.Palettes.Category10();
        var bottoms = new double[years];
        for (var s = 0; s < streams.Count; s++)
        {
            var bars = new List<Bar>();
            for (var y = 0; y < Math.Min(years, streams[s].Yuan.Length); y++)
            {
                var value = scale.ToUnit(streams[s].Yuan[y]);
                if (value == 0) continue;
                bars.Add(new Bar { Position = y, ValueBase = bottoms[y], Value = bottoms[y] + value, Size = 0.8, FillColor = palette.GetColor(s), LineWidth = 0 });
                bottoms[y] += value;
            }
            var plottable = plot.Add.Bars(bars);
            plottable.LegendText = streams[s].Name;
        }
        plot.Axes.Margins(bottom: 0);
        return ChartCanvas.Render(plot, "revenue_by_stream.png", title, subtitle, xLabel, yLabel, options, legendOutside: true);
    }
}
