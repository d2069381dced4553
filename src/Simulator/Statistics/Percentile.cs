using System.Numerics;
using System.Runtime.CompilerServices;

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

/// <summary>
/// Order statistics without a full sort: a quickselect that partitions only the ranges holding the
/// wanted ranks (expected O(n log m) for m ranks). Deterministic: median-of-three pivots, no randomness.
/// </summary>
public static class OrderStatistics
{
    /// <summary>
    /// Type-7 percentiles of <paramref name="values"/> (no NaN) at <paramref name="levels"/>, possibly reordering
    /// <paramref name="values"/> in place; equal to <see cref="Percentile.Type7(ReadOnlySpan{double}, ReadOnlySpan{double}, Span{double})"/> on the sorted values.
    /// </summary>
    public static void Type7(Span<double> values, ReadOnlySpan<double> levels, Span<double> destination) =>
        Type7(values, levels, destination, null);

    /// <summary>
    /// As <see cref="Type7(Span{double}, ReadOnlySpan{double}, Span{double})"/>, with <paramref name="bucketCounts"/>
    /// (at least <see cref="BucketCount"/> long, or null to allocate) for the radix pre-selection's counts.
    /// </summary>
    internal static void Type7(Span<double> values, ReadOnlySpan<double> levels, Span<double> destination, int[]? bucketCounts) =>
        Type7(values, levels, destination, bucketCounts, double.NaN, double.NaN);

    /// <summary>
    /// As <see cref="Type7(Span{double}, ReadOnlySpan{double}, Span{double}, int[])"/>, given the smallest and largest
    /// value (NaN: not known, found by a pass over the values).
    /// </summary>
    internal static void Type7(Span<double> values, ReadOnlySpan<double> levels, Span<double> destination, int[]? bucketCounts, double min, double max)
    {
        var n = values.Length;
        if (n == 0)
        {
            destination[..levels.Length].Fill(double.NaN);
            return;
        }
        Span<int> ranks = stackalloc int[2 * levels.Length];
        for (var i = 0; i < levels.Length; i++)
        {
            var h = (n - 1) * levels[i];
            var k = (int)Math.Floor(h);
            ranks[2 * i] = k;
            ranks[2 * i + 1] = Math.Min(k + 1, n - 1);
        }
        ranks.Sort();
        Span<double> statistics = stackalloc double[ranks.Length]; // statistics[j]: the order statistic of rank ranks[j]
        if (n >= BucketedSelectionMinimum)
        {
            SelectByBuckets(values, ranks, statistics, bucketCounts ?? new int[BucketCount], min, max);
        }
        else
        {
            Select(values, 0, n - 1, ranks);
            for (var j = 0; j < ranks.Length; j++) statistics[j] = values[ranks[j]];
        }
        for (var i = 0; i < levels.Length; i++)
        {
            var h = (n - 1) * levels[i];
            var k = (int)Math.Floor(h);
            var lower = statistics[ranks.IndexOf(k)];
            var upper = statistics[ranks.IndexOf(Math.Min(k + 1, n - 1))];
            destination[i] = lower + (h - k) * (upper - lower);
        }
    }

    /// <summary>From this many values on, order statistics are found by <see cref="SelectByBuckets"/>.</summary>
    private const int BucketedSelectionMinimum = 1 << 15;

    private const int BucketBits = 16;

    /// <summary>Buckets of the radix pre-selection.</summary>
    internal const int BucketCount = 1 << BucketBits;

    /// <summary>
    /// Order statistics of <paramref name="ranks"/> (sorted) by a radix pre-selection: the range of an order-preserving
    /// key of the values' bits comes from the given extremes (or one pass), a pass counts the values in 2^16 equal
    /// slices of that range, another moves the values of the slices that hold a wanted rank to the front (in place,
    /// noting each slice's least and greatest value), a slice whose values are all equal gives its order statistics
    /// at once, and <see cref="Select"/> finishes inside the others. Order statistics are unique values, so the result is that of any exact selection (only
    /// the sign of a zero may differ, which the type-7 interpolation, lower + f (upper - lower), never passes on:
    /// -0 + (+0) = +0). <paramref name="values"/> is reordered.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs a few times a run, on a million values
    private static void SelectByBuckets(Span<double> values, ReadOnlySpan<int> ranks, Span<double> statistics, int[] counts, double min, double max)
    {
        ulong lowest, highest;
        if (double.IsNaN(min) || double.IsNaN(max))
        {
            lowest = ulong.MaxValue;
            highest = ulong.MinValue;
            foreach (var x in values)
            {
                var key = Key(x);
                lowest = Math.Min(lowest, key);
                highest = Math.Max(highest, key);
            }
        }
        else
        {
            // A zero extreme may be either zero: take the wider key.
            lowest = Key(min == 0 ? -0.0 : min);
            highest = Key(max == 0 ? 0.0 : max);
        }

        var range = highest - lowest;
        if (range == 0)
        {
            // One key: every value has the same bits (all zeros, say), and so has every order statistic.
            statistics.Fill(values[0]);
            return;
        }

        var shift = Math.Max(0, 64 - BitOperations.LeadingZeroCount(range) - BucketBits);
        var buckets = counts.AsSpan(0, BucketCount);
        buckets.Clear();
        foreach (var x in values) buckets[(int)((Key(x) - lowest) >> shift)]++;

        // The bucket of each rank and its rank inside the bucket.
        Span<int> bucketOf = stackalloc int[ranks.Length];
        Span<int> rankInBucket = stackalloc int[ranks.Length];
        long below = 0;
        var r = 0;
        for (var b = 0; b < buckets.Length && r < ranks.Length; b++)
        {
            var c = buckets[b];
            while (r < ranks.Length && ranks[r] < below + c)
            {
                bucketOf[r] = b;
                rankInBucket[r] = (int)(ranks[r] - below);
                r++;
            }
            below += c;
        }

        // The distinct buckets wanted, in order, and where each starts among the values moved to the front.
        Span<int> wanted = stackalloc int[ranks.Length];
        Span<int> offset = stackalloc int[ranks.Length + 1];
        var w = 0;
        offset[0] = 0;
        for (var j = 0; j < ranks.Length; j++)
        {
            if (w > 0 && wanted[w - 1] == bucketOf[j]) continue;
            wanted[w] = bucketOf[j];
            offset[w + 1] = offset[w] + buckets[bucketOf[j]];
            w++;
        }
        // buckets becomes the map bucket -> 1 + its place in wanted (0: not wanted). The values of wanted buckets
        // move to the front, and each wanted bucket's least and greatest value is noted on the way.
        buckets.Clear();
        for (var i = 0; i < w; i++) buckets[wanted[i]] = i + 1;
        Span<double> least = stackalloc double[w];
        Span<double> greatest = stackalloc double[w];
        least.Fill(double.PositiveInfinity);
        greatest.Fill(double.NegativeInfinity);
        var front = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var x = values[i];
            var m = buckets[(int)((Key(x) - lowest) >> shift)];
            if (m != 0)
            {
                values[i] = values[front];
                values[front++] = x;
                least[m - 1] = Math.Min(least[m - 1], x);
                greatest[m - 1] = Math.Max(greatest[m - 1], x);
            }
        }

        // A bucket whose values are all equal (ties: zeros, whole years) gives its order statistics at once; only
        // the values of the other wanted buckets stay at the front, for the selection.
        Span<bool> settled = stackalloc bool[w];
        Span<int> start = stackalloc int[w];
        var kept = 0;
        for (var i = 0; i < w; i++)
        {
            settled[i] = BitConverter.DoubleToInt64Bits(least[i]) == BitConverter.DoubleToInt64Bits(greatest[i]);
            start[i] = kept;
            if (!settled[i]) kept += offset[i + 1] - offset[i];
        }
        if (kept < front)
        {
            var k = 0;
            for (var i = 0; i < front; i++)
            {
                var x = values[i];
                if (!settled[buckets[(int)((Key(x) - lowest) >> shift)] - 1]) values[k++] = x;
            }
        }

        // Every value of a wanted bucket lies below every value of a later one, so the rank of an order statistic
        // among the kept values is the sizes of the kept buckets before its own plus its rank inside it.
        Span<int> local = stackalloc int[ranks.Length];
        var selected = 0;
        for (int j = 0, i = 0; j < ranks.Length; j++)
        {
            while (wanted[i] != bucketOf[j]) i++;
            if (settled[i])
            {
                statistics[j] = least[i];
            }
            else
            {
                local[selected++] = start[i] + rankInBucket[j];
            }
        }
        if (selected > 0)
        {
            Select(values, 0, kept - 1, local[..selected]);
        }
        for (int j = 0, i = 0, t = 0; j < ranks.Length; j++)
        {
            while (wanted[i] != bucketOf[j]) i++;
            if (!settled[i]) statistics[j] = values[local[t++]];
        }
    }

    /// <summary>A key that orders doubles as their values do (negatives flipped, positives with the sign bit set).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Key(double x)
    {
        var bits = BitConverter.DoubleToInt64Bits(x);
        return (ulong)bits ^ ((ulong)(bits >> 63) | 0x8000_0000_0000_0000UL);
    }

    /// <summary>Places the order statistics of <paramref name="ranks"/> (sorted, within [lo, hi]) at their positions.</summary>
    private static void Select(Span<double> a, int lo, int hi, ReadOnlySpan<int> ranks)
    {
        while (ranks.Length > 0)
        {
            if (hi - lo < 24)
            {
                a[lo..(hi + 1)].Sort();
                return;
            }
            var mid = lo + ((hi - lo) >> 1);
            // Median of three as the pivot.
            if (a[mid] < a[lo]) (a[mid], a[lo]) = (a[lo], a[mid]);
            if (a[hi] < a[lo]) (a[hi], a[lo]) = (a[lo], a[hi]);
            if (a[hi] < a[mid]) (a[hi], a[mid]) = (a[mid], a[hi]);
            var pivot = a[mid];
            // Three-way partition: [lo, lt) < pivot, [lt, gt] == pivot, (gt, hi] > pivot.
            int lt = lo, i = lo, gt = hi;
            while (i <= gt)
            {
                var x = a[i];
                if (x < pivot) { a[i] = a[lt]; a[lt] = x; lt++; i++; }
                else if (x > pivot) { a[i] = a[gt]; a[gt] = x; gt--; }
                else i++;
            }
            var leftCount = 0;
            while (leftCount < ranks.Length && ranks[leftCount] < lt) leftCount++;
            var rightStart = leftCount;
            while (rightStart < ranks.Length && ranks[rightStart] <= gt) rightStart++;
            var left = ranks[..leftCount];
            var right = ranks[rightStart..];
            // Recurse into the smaller side, loop on the larger.
            if (lt - lo < hi - gt)
            {
                if (left.Length > 0) Select(a, lo, lt - 1, left);
                ranks = right;
                lo = gt + 1;
            }
            else
            {
                if (right.Length > 0) Select(a, gt + 1, hi, right);
                ranks = left;
                hi = lt - 1;
            }
        }
    }
}
