using DistrictSim.Model;

namespace DistrictSim.Statistics;

/// <summary>
/// What the summary reports besides the accumulated paths: the run's identity and settings, and which
/// metrics feed the probabilities and the convergence traces (the standard names by default).
/// </summary>
public sealed record SummaryContext
{
    public required string Scenario { get; init; }
    public required ulong Seed { get; init; }
    public required SamplingMethod Sampling { get; init; }
    public string Currency { get; init; } = "CNY";
    public double CoverageRequirement { get; init; } = 1.2;
    public double ElapsedSeconds { get; init; }
    public bool StoppedEarly { get; init; }

    /// <summary>Metric for P(NPV &lt; 0) and the value at risk.</summary>
    public string NpvMetric { get; init; } = MetricNames.Npv;

    /// <summary>Metric compared (strictly) with <see cref="CoverageRequirement"/>.</summary>
    public string CoverageMetric { get; init; } = MetricNames.CoverageRatio;

    /// <summary>Metric whose being defined marks a path with a shortfall.</summary>
    public string ShortfallMetric { get; init; } = MetricNames.FirstShortfallYear;

    /// <summary>Metric whose being undefined marks a path that never pays back.</summary>
    public string PaybackMetric { get; init; } = MetricNames.PaybackYear;

    /// <summary>Metric averaged over the paths with a shortfall.</summary>
    public string TopupMetric { get; init; } = MetricNames.FiscalTopup;

    /// <summary>Metrics traced in <see cref="Summary.Convergence"/> (those the layout records).</summary>
    public IReadOnlyList<string> ConvergenceMetrics { get; init; } = [MetricNames.Npv, MetricNames.CoverageRatio];
}
