namespace DistrictSim.Statistics;

/// <summary>
/// The metric values of a contiguous range of paths [FirstPath, FirstPath + Count), path-major:
/// the value of metric m for path FirstPath + i is <c>Values[i * metricCount + m]</c>; NaN = undefined.
/// Immutable once the accumulator that recorded it has ended it, which is what lets merged accumulators
/// share blocks instead of copying them.
/// </summary>
public sealed class MetricBlock
{
    private readonly double[] _values;

    /// <summary>A block from serialised data: <paramref name="values"/> holds count × metricCount values, path-major.</summary>
    public MetricBlock(long firstPath, int count, int metricCount, double[] values)
        : this(firstPath, count, metricCount, Validate(values, count, metricCount, firstPath), trusted: true)
    {
    }

    private MetricBlock(long firstPath, int count, int metricCount, double[] values, bool trusted)
    {
        _ = trusted;
        FirstPath = firstPath;
        Count = count;
        MetricCount = metricCount;
        _values = values;
    }

    public long FirstPath { get; }

    public int Count { get; }

    public int MetricCount { get; }

    /// <summary>One past the last path.</summary>
    public long EndPath => FirstPath + Count;

    /// <summary>Path-major values, Count × MetricCount.</summary>
    public ReadOnlySpan<double> Values => _values.AsSpan(0, Count * MetricCount);

    /// <summary>The metric vector of <paramref name="path"/> (which must lie in this block).</summary>
    public ReadOnlySpan<double> PathValues(long path)
    {
        if (path < FirstPath || path >= EndPath)
        {
            throw new ArgumentOutOfRangeException(nameof(path), path, $"Path {path} lies outside block [{FirstPath}, {EndPath}).");
        }

        return _values.AsSpan((int)(path - FirstPath) * MetricCount, MetricCount);
    }

    public override string ToString() => $"paths [{FirstPath}, {EndPath})";

    /// <summary>Wraps storage the accumulator filled; the array may be longer than Count × MetricCount.</summary>
    internal static MetricBlock Wrap(long firstPath, int count, int metricCount, double[] values) => new(firstPath, count, metricCount, values, trusted: true);

    private static double[] Validate(double[] values, int count, int metricCount, long firstPath)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(firstPath);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegative(metricCount);
        if (values.LongLength != (long)count * metricCount)
        {
            throw new ArgumentException($"A block of {count} paths × {metricCount} metrics needs {(long)count * metricCount} values; found {values.LongLength}.", nameof(values));
        }

        return (double[])values.Clone();
    }
}
