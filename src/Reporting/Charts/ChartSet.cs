using DistrictSim.Evaluation;
using DistrictSim.Model;
using DistrictSim.Statistics;

namespace DistrictSim.Reporting.Charts;

/// <summary>
/// The charts of a run, a comparison or a sweep, rendered headless (SkiaSharp) with the embedded CJK font.
/// Inputs are plain results (Summary, the base case's Statement, the District); how they were produced
/// does not matter here. Nothing is written to disk: the caller writes <see cref="Chart.Png"/> and
/// <see cref="Chart.Svg"/> where it wants.
/// </summary>
public static class ChartSet
{
    /// <summary>
    /// Every run's charts, in report order: NPV histogram and CDF, coverage histogram, reserve fan,
    /// DSCR bands, fiscal top-up, sources and uses, revenue by stream, NPV convergence.
    /// </summary>
    public static IReadOnlyList<Chart> ForRun(Summary summary, Statement statement, District district, ChartOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(district);
        options ??= ChartOptions.Default;
        options.Validate();
        return
        [
            DistributionCharts.NpvHistogram(summary, options),
            DistributionCharts.NpvCdf(summary, options),
            DistributionCharts.CoverageHistogram(summary, options),
            YearlyCharts.ReserveFan(summary, options),
            YearlyCharts.DscrBands(summary, options),
            DistributionCharts.FiscalTopupHistogram(summary, options),
            BaseCaseCharts.SourcesAndUses(summary, statement, district, options),
            BaseCaseCharts.RevenueByStream(summary, statement, options),
            ConvergenceChart.MeanNpv(summary, options),
        ];
    }

    /// <summary>Overlaid cumulative distributions of NPV and of the coverage ratio, one line per scenario.</summary>
    public static IReadOnlyList<Chart> ForCompare(IReadOnlyList<Summary> summaries, ChartOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        if (summaries.Count == 0) throw new ArgumentException("Comparing needs at least one summary; got none.", nameof(summaries));
        options ??= ChartOptions.Default;
        options.Validate();
        return [CompareCharts.NpvCdfs(summaries, options), CompareCharts.CoverageCdfs(summaries, options)];
    }

    /// <summary>
    /// One chart per metric (those defined at some point of the sweep): P5-P95 band, median and mean against
    /// the value of <paramref name="field"/>. <paramref name="fieldUnit"/> labels the x axis; by default it is
    /// read from the field's name (…_yuan → 元, share/rate → fraction, …_years → years).
    /// </summary>
    public static IReadOnlyList<Chart> ForSweep(string field, IReadOnlyList<(double Value, Summary Summary)> points, ChartOptions? options = null, string? fieldUnit = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(field);
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0) throw new ArgumentException($"A sweep of '{field}' needs at least one point; got none.", nameof(points));
        if (points.Any(p => !double.IsFinite(p.Value))) throw new ArgumentException($"Every swept value of '{field}' must be a finite number.", nameof(points));
        options ??= ChartOptions.Default;
        options.Validate();
        return SweepCharts.Metrics(field, fieldUnit ?? SweepCharts.GuessUnit(field), points, options);
    }
}
