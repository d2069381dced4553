namespace DistrictSim.Statistics;

/// <summary>One per-path metric an accumulator records: its name (see <see cref="MetricNames"/>) and unit.</summary>
public sealed record MetricDefinition
{
    public MetricDefinition(string name, string unit)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(unit);
        Name = name;
        Unit = unit;
    }

    public string Name { get; }

    /// <summary>"yuan", "fraction", "ratio" or "year".</summary>
    public string Unit { get; }
}

/// <summary>
/// What an accumulator records for every path: the metric vector (in this order), the per-year band
/// series and the calendar years they cover. Immutable; two layouts are equal when every field is.
/// Accumulators merge only when their layouts are equal.
/// </summary>
public sealed class AccumulatorLayout : IEquatable<AccumulatorLayout>
{
    private readonly MetricDefinition[] _metrics;
    private readonly string[] _bandSeries;

    public AccumulatorLayout(IEnumerable<MetricDefinition> metrics, IEnumerable<string> bandSeries, int firstYear, int years)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(bandSeries);
        _metrics = [.. metrics];
        _bandSeries = [.. bandSeries];
        ArgumentOutOfRangeException.ThrowIfNegative(years);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var metric in _metrics)
        {
            if (metric is null || !seen.Add(metric.Name))
            {
                throw new ArgumentException($"Metric names must be present and distinct; '{metric?.Name}' is not.", nameof(metrics));
            }
        }

        seen.Clear();
        foreach (var series in _bandSeries)
        {
            if (string.IsNullOrWhiteSpace(series) || !seen.Add(series))
            {
                throw new ArgumentException($"Band series names must be present and distinct; '{series}' is not.", nameof(bandSeries));
            }
        }

        FirstYear = firstYear;
        Years = years;
    }

    /// <summary>The metrics of <see cref="DistrictSim.Evaluation.Metrics"/> in catalogue order, with their units, and the three band series.</summary>
    public static AccumulatorLayout Standard(int firstYear, int years) => new(StandardMetrics, [BandNames.Reserve, BandNames.Cfads, BandNames.Dscr], firstYear, years);

    /// <summary>The metric catalogue in the order of <see cref="DistrictSim.Evaluation.Metrics"/>.</summary>
    public static IReadOnlyList<MetricDefinition> StandardMetrics { get; } =
    [
        new(MetricNames.Npv, "yuan"),
        new(MetricNames.EquityNpv, "yuan"),
        new(MetricNames.ProjectIrr, "fraction"),
        new(MetricNames.EquityIrr, "fraction"),
        new(MetricNames.MinDscr, "ratio"),
        new(MetricNames.CoverageRatio, "ratio"),
        new(MetricNames.SpecialBondCoverage, "ratio"),
        new(MetricNames.Llcr, "ratio"),
        new(MetricNames.PaybackYear, "year"),
        new(MetricNames.FiscalTopup, "yuan"),
        new(MetricNames.FirstShortfallYear, "year"),
        new(MetricNames.FundingGap, "yuan"),
        new(MetricNames.DefaultAmount, "yuan"),
    ];

    public IReadOnlyList<MetricDefinition> Metrics => _metrics;

    public int MetricCount => _metrics.Length;

    public IReadOnlyList<string> BandSeries => _bandSeries;

    /// <summary>Calendar year of year index 0 of the band series.</summary>
    public int FirstYear { get; }

    /// <summary>Number of years of each band series.</summary>
    public int Years { get; }

    /// <summary>Position of the metric in the recorded vector, or -1 when the layout does not record it.</summary>
    public int IndexOfMetric(string name)
    {
        for (var i = 0; i < _metrics.Length; i++)
        {
            if (string.Equals(_metrics[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Position of the band series, or -1 when the layout does not record it.</summary>
    public int IndexOfBandSeries(string name) => Array.IndexOf(_bandSeries, name);

    public bool Equals(AccumulatorLayout? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (FirstYear == other.FirstYear
                && Years == other.Years
                && _metrics.AsSpan().SequenceEqual(other._metrics)
                && _bandSeries.AsSpan().SequenceEqual(other._bandSeries)));

    public override bool Equals(object? obj) => Equals(obj as AccumulatorLayout);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(FirstYear);
        hash.Add(Years);
        foreach (var metric in _metrics)
        {
            hash.Add(metric);
        }

        foreach (var series in _bandSeries)
        {
            hash.Add(series, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    public override string ToString() =>
        $"{_metrics.Length} metrics [{string.Join(", ", _metrics.Select(m => m.Name))}], bands [{string.Join(", ", _bandSeries)}] over {Years} years from {FirstYear}";
}
