using DistrictSim.Reporting.Formatting;
using DistrictSim.Statistics;

namespace DistrictSim.Reporting.Charts;

/// <summary>
/// How one metric's values read on an axis or in a table: a display name, a unit and the factor from
/// summary.json units (yuan, fraction, ratio, year) to the shown unit. Money picks its
/// <see cref="MoneyScale"/> from the largest magnitude shown, once per chart.
/// </summary>
public sealed record MetricAxis(string Name, string Unit, double Divisor)
{
    /// <summary>"Project NPV (万元)".</summary>
    public string Label => $"{Name} ({Unit})";

    public double Show(double value) => value / Divisor;

    public double[] Show(IEnumerable<double> values) => values.Select(Show).ToArray();

    /// <summary>The axis for <paramref name="unit"/> values whose largest magnitude is <paramref name="maxAbs"/>.</summary>
    public static MetricAxis For(string metric, string unit, double maxAbs)
    {
        var name = DisplayName(metric);
        return unit switch
        {
            "yuan" => Money(name, MoneyScale.For(maxAbs)),
            "fraction" => new MetricAxis(name, "%", 0.01),
            "ratio" => new MetricAxis(name, "×", 1),
            "year" => new MetricAxis(name, "year", 1),
            _ => new MetricAxis(name, unit, 1),
        };
    }

    /// <summary>A money axis in <paramref name="scale"/>.</summary>
    public static MetricAxis Money(string name, MoneyScale scale) => new(name, scale.Unit, scale.YuanPerUnit);

    /// <summary>The axis for a metric summary: scale from its range and percentiles.</summary>
    public static MetricAxis For(MetricSummary metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return For(metric.Name, metric.Unit, MaxAbs(metric));
    }

    internal static double MaxAbs(MetricSummary metric)
    {
        var values = new List<double> { metric.Min, metric.Max, metric.Mean, metric.Percentiles.P5, metric.Percentiles.P95 };
        values.AddRange(metric.Histogram.Edges);
        return values.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max();
    }

    /// <summary>Readable names for the metric catalogue; unknown names show as given.</summary>
    public static string DisplayName(string metric) => metric switch
    {
        MetricNames.Npv => "Project NPV",
        MetricNames.EquityNpv => "Equity NPV",
        MetricNames.ProjectIrr => "Project IRR",
        MetricNames.EquityIrr => "Equity IRR",
        MetricNames.MinDscr => "Minimum DSCR",
        MetricNames.CoverageRatio => "Coverage ratio",
        MetricNames.SpecialBondCoverage => "Special-bond coverage",
        MetricNames.Llcr => "LLCR",
        MetricNames.PaybackYear => "Payback year",
        MetricNames.FiscalTopup => "Fiscal top-up",
        MetricNames.FirstShortfallYear => "First shortfall year",
        MetricNames.FundingGap => "Funding gap",
        MetricNames.DefaultAmount => "Default amount",
        _ => metric,
    };
}
