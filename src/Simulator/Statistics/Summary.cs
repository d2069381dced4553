using DistrictSim.Model;

namespace DistrictSim.Statistics;

/// <summary>
/// The result of a run: what summary.json carries (the stable contract), built from merged accumulators.
/// Money in yuan, rates as fractions. A statistic that does not exist (no defined value) is NaN here
/// and null in JSON.
/// </summary>
public sealed record Summary
{
    public required string Scenario { get; init; }
    public required long Paths { get; init; }
    public required ulong Seed { get; init; }
    public required SamplingMethod Sampling { get; init; }
    public required string Currency { get; init; }
    public required double CoverageRequirement { get; init; }
    /// <summary>By metric name (see <see cref="MetricNames"/>), in the order of the metric catalogue.</summary>
    public required IReadOnlyDictionary<string, MetricSummary> Metrics { get; init; }
    public required Probabilities Probabilities { get; init; }
    /// <summary>Per-year percentile bands by series name (<see cref="BandNames"/>).</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<BandPoint>> Bands { get; init; }
    /// <summary>Running mean and standard error of each convergence metric at checkpoints.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<ConvergencePoint>> Convergence { get; init; }
    /// <summary>Wall-clock seconds of the run; the only field that differs between identical runs.</summary>
    public double ElapsedSeconds { get; init; }
    /// <summary>True when the run stopped early (target standard error reached, or cancelled).</summary>
    public bool StoppedEarly { get; init; }
}

public sealed record MetricSummary
{
    public required string Name { get; init; }
    /// <summary>Unit of the values: "yuan", "fraction", "ratio", "year".</summary>
    public required string Unit { get; init; }
    /// <summary>Paths where the metric is defined; statistics are over these only.</summary>
    public required long Defined { get; init; }
    /// <summary>Paths where the metric is undefined (no IRR, no debt service, never pays back): counted, never averaged.</summary>
    public required long Undefined { get; init; }
    public required double Mean { get; init; }
    /// <summary>Sample standard deviation (n - 1).</summary>
    public required double Std { get; init; }
    /// <summary>Standard error of the mean: std / sqrt(defined).</summary>
    public required double StandardError { get; init; }
    public required double Min { get; init; }
    public required double Max { get; init; }
    /// <summary>Percentiles 1, 5, 10, 25, 50, 75, 90, 95, 99 (Hyndman-Fan type 7).</summary>
    public required Percentiles Percentiles { get; init; }
    public required Histogram Histogram { get; init; }
}

public sealed record Percentiles(double P1, double P5, double P10, double P25, double P50, double P75, double P90, double P95, double P99)
{
    public static readonly double[] Levels = [0.01, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.99];

    public static Percentiles Undefined { get; } = new(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
}

/// <summary>Equal-width bins: Edges has Counts.Length + 1 entries; the last bin includes its upper edge.</summary>
public sealed record Histogram(IReadOnlyList<double> Edges, IReadOnlyList<long> Counts);

public sealed record BandPoint(int Year, double P5, double P25, double P50, double P75, double P95);

public sealed record ConvergencePoint(long Paths, double Mean, double StandardError);

public sealed record Probabilities
{
    /// <summary>P(coverage_ratio &lt; requirement), strict; paths without debt service count as not below.</summary>
    public required double CoverageBelowRequirement { get; init; }
    /// <summary>P(any year with a shortfall: a fiscal top-up or a default).</summary>
    public required double AnyShortfall { get; init; }
    /// <summary>P(the cumulative project cash never turns non-negative within the horizon).</summary>
    public required double NeverPaysBack { get; init; }
    /// <summary>P(project NPV &lt; 0).</summary>
    public required double NegativeNpv { get; init; }
    /// <summary>E[fiscal top-up | any shortfall], yuan; NaN when no path has a shortfall.</summary>
    public required double ExpectedTopupGivenShortfall { get; init; }
    /// <summary>Value at risk of NPV at 95%: minus the 5th percentile of NPV (yuan).</summary>
    public required double NpvValueAtRisk95 { get; init; }
}

/// <summary>Names of the per-path metrics, as in summary.json.</summary>
public static class MetricNames
{
    public const string Npv = "npv";
    public const string EquityNpv = "equity_npv";
    public const string ProjectIrr = "project_irr";
    public const string EquityIrr = "equity_irr";
    public const string MinDscr = "min_dscr";
    public const string CoverageRatio = "coverage_ratio";
    public const string SpecialBondCoverage = "special_bond_coverage";
    public const string Llcr = "llcr";
    public const string PaybackYear = "payback_year";
    public const string FiscalTopup = "fiscal_topup";
    public const string FirstShortfallYear = "first_shortfall_year";
    public const string FundingGap = "funding_gap";
    public const string DefaultAmount = "default_amount";
}

/// <summary>Names of the per-year series that get percentile bands.</summary>
public static class BandNames
{
    public const string Reserve = "reserve";
    public const string Cfads = "cfads";
    public const string Dscr = "dscr";
}
