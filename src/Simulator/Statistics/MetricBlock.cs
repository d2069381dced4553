namespace DistrictSim.Statistics;

/// <summary>
/// The metric values of a contiguous range of paths [FirstPath, FirstPath + Count), column-major (one
/// contiguous column per metric): the value of metric m for path FirstPath + i is <c>Values[m * Count + i]</c>;
/// NaN = undefined. Immutable once the accumulator that recorded it has ended it, which is what lets merged
/// accumulators share blocks instead of copying them.
/// </summary>
public sealed class MetricBlock
{
    private readonly double[] _values;

    /// <summary>A block from serialised data: <paramref name="values"/> holds count × metricCount values, column-major (see <see cref="Values"/>).</summary>
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

    /// <summary>Column-major values, MetricCount columns of Count: metric m of path FirstPath + i at [m × Count + i].</summary>
    public ReadOnlySpan<double> Values => _values.AsSpan(0, Count * MetricCount);

    /// <summary>The values of metric <paramref name="metric"/> (layout index) for the block's paths, in path order.</summary>
    public ReadOnlySpan<double> Column(int metric)
    {
        if ((uint)metric >= (uint)MetricCount)
        {
            throw new ArgumentOutOfRangeException(nameof(metric), metric, $"The block records {MetricCount} metrics.");
        }

        return _values.AsSpan(metric * Count, Count);
    }

    /// <summary>A new array holding the metric vector of <paramref name="path"/> (which must lie in this block).</summary>
    public double[] PathValues(long path)
    {
        if (path < FirstPath || path >= EndPath)
        {
            throw new ArgumentOutOfRangeException(nameof(path), path, $"Path {path} lies outside block [{FirstPath}, {EndPath}).");
        }

        var i = (int)(path - FirstPath);
        var vector = new double[MetricCount];
        for (var m = 0; m < vector.Length; m++)
        {
            vector[m] = _values[(m * Count) + i];
        }

        return vector;
    }

    public override string ToString() => $"paths [{FirstPath}, {EndPath})";

    /// <summary>Wraps storage the accumulator filled, column-major with columns of exactly <paramref name="count"/> values; the array may be longer.</summary>
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
