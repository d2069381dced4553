using DistrictSim.Reporting.Formatting;
using DistrictSim.Statistics;

namespace DistrictSim.Reporting.Report;

/// <summary>
/// The question the finance team asks, answered in one sentence with numbers:
/// "Coverage of at least 1.2 in 63% of 100,000 paths; expected fiscal top-up 410 万元 (4.1 million yuan)."
/// </summary>
public static class Answer
{
    public static string For(Summary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var paths = Numbers.Count(summary.Paths);
        var requirement = Numbers.Significant(summary.CoverageRequirement);
        var coverage = summary.Metrics.GetValueOrDefault(MetricNames.CoverageRatio);
        string first;
        if (coverage is { Defined: 0 })
        {
            first = $"No debt service in any of {paths} paths, so the coverage requirement of {requirement} does not apply";
        }
        else
        {
            var met = Numbers.Percent(1 - summary.Probabilities.CoverageBelowRequirement);
            first = $"Coverage of at least {requirement} in {met} of {paths} paths";
            if (coverage is { Undefined: > 0 })
                first += $" ({Numbers.Count(coverage.Undefined)} of them without debt service, counted as covered)";
        }
        return $"{first}; {Topup(summary)}.";
    }

    private static string Topup(Summary summary)
    {
        if (summary.Metrics.GetValueOrDefault(MetricNames.FiscalTopup) is not { Defined: > 0 } topup || !double.IsFinite(topup.Mean))
            return "no fiscal top-up figures in this run";
        if (topup.Mean == 0) return "no fiscal top-up needed in any path";
        var scale = MoneyScale.For(topup.Mean);
        var millions = Numbers.Significant(topup.Mean / 1e6);
        return $"expected fiscal top-up {scale.Format(topup.Mean)} ({millions} million yuan)";
    }
}
