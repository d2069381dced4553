using DistrictSim.Statistics;

namespace DistrictSim.Cli.Commands;

/// <summary>A difference B - A of two runs over the same paths, and its standard error.</summary>
public readonly record struct Difference(double Value, double StandardError, long Pairs);

/// <summary>
/// Differences between two runs with common random numbers. The standard error of a difference of means
/// comes from the per-path differences d_i = b_i - a_i over paths where both are defined:
/// SE = sd(d) / sqrt(n). Because paired paths share their draws, this is far smaller than
/// sqrt(SE_a² + SE_b²) when the scenarios move together.
/// </summary>
public static class PairedDifference
{
    /// <summary>The per-path values of a metric, in path order (NaN = undefined).</summary>
    public static double[] Column(RunAccumulator accumulator, string metric)
    {
        ArgumentNullException.ThrowIfNull(accumulator);
        var m = accumulator.Layout.IndexOfMetric(metric);
        if (m < 0) throw new ArgumentException($"The run does not record the metric '{metric}'.", nameof(metric));
        var column = new double[accumulator.PathCount];
        var n = 0;
        foreach (var block in accumulator.Blocks.OrderBy(b => b.FirstPath))
        {
            block.Column(m).CopyTo(column.AsSpan(n));
            n += block.Count;
        }
        return column;
    }

    /// <summary>Mean of (b_i - a_i) over paths where both values are defined, with its standard error.</summary>
    public static Difference Of(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"Paired runs need the same paths; got {a.Length} and {b.Length}.", nameof(b));
        long n = 0;
        double mean = 0, m2 = 0;
        for (var i = 0; i < a.Length; i++)
        {
            if (double.IsNaN(a[i]) || double.IsNaN(b[i])) continue;
            var d = b[i] - a[i];
            n++;
            var delta = d - mean;
            mean += delta / n;
            m2 += delta * (d - mean);
        }
        if (n == 0) return new Difference(double.NaN, double.NaN, 0);
        var se = n > 1 ? Math.Sqrt(m2 / (n - 1) / n) : double.NaN;
        return new Difference(mean, se, n);
    }

    /// <summary>Indicator of a per-path event (1 or 0, never NaN), for paired differences of probabilities.</summary>
    public static double[] Indicator(double[] values, Func<double, bool> happens)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(happens);
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++) result[i] = happens(values[i]) ? 1 : 0;
        return result;
    }
}
