namespace DistrictSim.Statistics;

/// <summary>
/// Sample percentiles by linear interpolation between order statistics: Hyndman and Fan's type 7,
/// the default of NumPy (<c>method="linear"</c>), R (<c>type = 7</c>) and Excel's PERCENTILE.INC.
/// For sorted values x[0..n-1] and a level p in [0, 1]: h = (n - 1) p, and the percentile is
/// x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]).
/// </summary>
public static class Percentile
{
    /// <summary>The type-7 percentile of <paramref name="sorted"/> (ascending, no NaN) at level <paramref name="p"/> in [0, 1]; NaN when empty.</summary>
    public static double Type7(ReadOnlySpan<double> sorted, double p)
    {
        if (!(p >= 0.0 && p <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, $"A percentile level must lie in [0, 1]; found {p}.");
        }

        return Type7Unchecked(sorted, p);
    }

    /// <summary>
    /// The type-7 percentiles of <paramref name="sorted"/> at each of <paramref name="levels"/>, written to
    /// <paramref name="destination"/> (same length as the levels).
    /// </summary>
    public static void Type7(ReadOnlySpan<double> sorted, ReadOnlySpan<double> levels, Span<double> destination)
    {
        if (destination.Length != levels.Length)
        {
            throw new ArgumentException($"The destination has {destination.Length} entries but {levels.Length} levels were asked for.", nameof(destination));
        }

        for (var i = 0; i < levels.Length; i++)
        {
            destination[i] = Type7(sorted, levels[i]);
        }
    }

    /// <summary>The type-7 percentiles at <paramref name="levels"/> as a new array.</summary>
    public static double[] Type7(ReadOnlySpan<double> sorted, ReadOnlySpan<double> levels)
    {
        var result = new double[levels.Length];
        Type7(sorted, levels, result);
        return result;
    }

    private static double Type7Unchecked(ReadOnlySpan<double> sorted, double p)
    {
        var n = sorted.Length;
        if (n == 0)
        {
            return double.NaN;
        }

        var h = (n - 1) * p;
        var lower = (int)Math.Floor(h);
        if (lower >= n - 1)
        {
            return sorted[n - 1];
        }

        var fraction = h - lower;
        var a = sorted[lower];
        var b = sorted[lower + 1];
        if (fraction == 0.0 || a == b)
        {
            return a;
        }

        // a + (b - a) t can round past b by an ulp; clamping keeps percentiles monotone in p.
        var value = a + ((b - a) * fraction);
        return Math.Clamp(value, a, b);
    }
}
