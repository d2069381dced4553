using DistrictSim.Model;
using DistrictSim.Reporting.Charts;
using DistrictSim.Reporting.Formatting;
using DistrictSim.Statistics;

namespace DistrictSim.Reporting.Report;

/// <summary>
/// What a report says, independent of how it is written: the title, one section per scenario (its
/// answer, statistics, probabilities and sources) and the charts. <see cref="ReportWriter"/> turns it
/// into HTML or Markdown; both carry the same content.
/// </summary>
public sealed record ReportContent(string Title, IReadOnlyList<ScenarioSection> Scenarios, IReadOnlyList<Chart> Charts)
{
    /// <summary>The report of one run.</summary>
    public static ReportContent ForRun(Summary summary, District? district, IReadOnlyList<Chart> charts)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(charts);
        return new ReportContent($"districtsim report: {summary.Scenario}", [ScenarioSection.For(summary, district)], charts);
    }

    /// <summary>The report of a comparison; <paramref name="districts"/> (optional) supply each scenario's sources, matched by position.</summary>
    public static ReportContent ForCompare(IReadOnlyList<Summary> summaries, IReadOnlyList<District>? districts, IReadOnlyList<Chart> charts)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        ArgumentNullException.ThrowIfNull(charts);
        if (districts is not null && districts.Count != summaries.Count)
            throw new ArgumentException($"Expected one district per summary ({summaries.Count}), found {districts.Count}.", nameof(districts));
        var sections = summaries.Select((s, i) => ScenarioSection.For(s, districts?[i])).ToList();
        return new ReportContent($"districtsim comparison: {string.Join(" vs ", summaries.Select(s => s.Scenario))}", sections, charts);
    }
}

/// <summary>One scenario's part of a report.</summary>
public sealed record ScenarioSection(
    string Scenario,
    string Answer,
    string RunLine,
    IReadOnlyList<MetricRow> Metrics,
    IReadOnlyList<(string Label, string Value)> Probabilities,
    IReadOnlyList<SourceNote> SeedFigures,
    IReadOnlyList<SourceNote> Assumptions)
{
    public static ScenarioSection For(Summary summary, District? district)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var p = summary.Probabilities;
        var npvScale = MoneyScale.For(Math.Abs(p.NpvValueAtRisk95));
        var topupScale = MoneyScale.For(Math.Abs(p.ExpectedTopupGivenShortfall));
        var requirement = Numbers.Significant(summary.CoverageRequirement);
        var sources = district?.Metadata.Sources ?? default;
        var sampling = summary.Sampling == SamplingMethod.LatinHypercube ? "Latin hypercube" : "Monte Carlo";
        var runLine = $"{Numbers.Count(summary.Paths)} paths, seed {summary.Seed}, {sampling} sampling, currency {summary.Currency}, coverage requirement {requirement}"
            + (summary.StoppedEarly ? ", stopped early" : "");
        return new ScenarioSection(
            summary.Scenario,
            Report.Answer.For(summary),
            runLine,
            summary.Metrics.Values.Select(MetricRow.For).ToList(),
            [
                ($"P(coverage < {requirement})", Numbers.Percent(p.CoverageBelowRequirement)),
                ("P(any shortfall: fiscal top-up or default)", Numbers.Percent(p.AnyShortfall)),
                ("P(never pays back within the horizon)", Numbers.Percent(p.NeverPaysBack)),
                ("P(project NPV < 0)", Numbers.Percent(p.NegativeNpv)),
                ("Expected fiscal top-up given a shortfall", topupScale.Format(p.ExpectedTopupGivenShortfall)),
                ("Value at risk of NPV at 95% (minus P5)", npvScale.Format(p.NpvValueAtRisk95)),
            ],
            sources.Where(s => s.Kind == SourceKind.Seed).ToList(),
            sources.Where(s => s.Kind == SourceKind.Assumed).ToList());
    }
}

/// <summary>A metric's row in the summary table, formatted in one unit chosen for the row.</summary>
public sealed record MetricRow(string Metric, string Unit, string Mean, string P5, string P50, string P95, long Defined, long Undefined)
{
    public static MetricRow For(MetricSummary metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var axis = MetricAxis.For(metric);
        string Show(double value) => Numbers.Significant(axis.Show(value));
        return new MetricRow(axis.Name, axis.Unit, Show(metric.Mean), Show(metric.Percentiles.P5), Show(metric.Percentiles.P50), Show(metric.Percentiles.P95), metric.Defined, metric.Undefined);
    }
}
