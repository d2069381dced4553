using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DistrictSim.Numerics;

/// <summary>
/// Element-wise arithmetic on year rows, four years at a time where the hardware allows.
/// Each element is computed with exactly the operations, in the order, that the scalar loop in each
/// doc comment would use (IEEE addition and multiplication are lane-wise, and nothing is fused), so
/// results do not depend on whether the vector path runs. Rows are short (one value per year):
/// these helpers exist because the JIT does not vectorise such loops itself.
/// </summary>
internal static class Rows
{
    /// <summary>destination[i] += source[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(Span<double> destination, ReadOnlySpan<double> source)
    {
        var n = Math.Min(destination.Length, source.Length);
        ref var d = ref MemoryMarshal.GetReference(destination);
        ref var s = ref MemoryMarshal.GetReference(source);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 4; i += 4)
            {
                (Vector256.LoadUnsafe(ref d, (nuint)i) + Vector256.LoadUnsafe(ref s, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
            }
        }
        for (; i < n; i++) Unsafe.Add(ref d, i) += Unsafe.Add(ref s, i);
    }

    /// <summary>destination[i] += a[i] + b[i] (the sum a + b first).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddSum(Span<double> destination, ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var n = Math.Min(destination.Length, Math.Min(a.Length, b.Length));
        ref var d = ref MemoryMarshal.GetReference(destination);
        ref var x = ref MemoryMarshal.GetReference(a);
        ref var y = ref MemoryMarshal.GetReference(b);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 4; i += 4)
            {
                var sum = Vector256.LoadUnsafe(ref x, (nuint)i) + Vector256.LoadUnsafe(ref y, (nuint)i);
                (Vector256.LoadUnsafe(ref d, (nuint)i) + sum).StoreUnsafe(ref d, (nuint)i);
            }
        }
        for (; i < n; i++) Unsafe.Add(ref d, i) += Unsafe.Add(ref x, i) + Unsafe.Add(ref y, i);
    }

    /// <summary>destination[i] += scale * source[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddScaled(Span<double> destination, double scale, ReadOnlySpan<double> source)
    {
        var n = Math.Min(destination.Length, source.Length);
        ref var d = ref MemoryMarshal.GetReference(destination);
        ref var s = ref MemoryMarshal.GetReference(source);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var k = Vector256.Create(scale);
            for (; i <= n - 4; i += 4)
            {
                (Vector256.LoadUnsafe(ref d, (nuint)i) + (k * Vector256.LoadUnsafe(ref s, (nuint)i))).StoreUnsafe(ref d, (nuint)i);
            }
        }
        for (; i < n; i++) Unsafe.Add(ref d, i) += scale * Unsafe.Add(ref s, i);
    }

    /// <summary>destination[i] = scale * a[i] * b[i] (scale * a first).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ScaledProduct(Span<double> destination, double scale, ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var n = Math.Min(destination.Length, Math.Min(a.Length, b.Length));
        ref var d = ref MemoryMarshal.GetReference(destination);
        ref var x = ref MemoryMarshal.GetReference(a);
        ref var y = ref MemoryMarshal.GetReference(b);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var k = Vector256.Create(scale);
            for (; i <= n - 4; i += 4)
            {
                (k * Vector256.LoadUnsafe(ref x, (nuint)i) * Vector256.LoadUnsafe(ref y, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
            }
        }
        for (; i < n; i++) Unsafe.Add(ref d, i) = scale * Unsafe.Add(ref x, i) * Unsafe.Add(ref y, i);
    }

    /// <summary>destination[i] = a[i] - b[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Difference(Span<double> destination, ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var n = Math.Min(destination.Length, Math.Min(a.Length, b.Length));
        ref var d = ref MemoryMarshal.GetReference(destination);
        ref var x = ref MemoryMarshal.GetReference(a);
        ref var y = ref MemoryMarshal.GetReference(b);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 4; i += 4)
            {
                (Vector256.LoadUnsafe(ref x, (nuint)i) - Vector256.LoadUnsafe(ref y, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
            }
        }
        for (; i < n; i++) Unsafe.Add(ref d, i) = Unsafe.Add(ref x, i) - Unsafe.Add(ref y, i);
    }

    /// <summary>destination[i] = scale * source[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scaled(Span<double> destination, double scale, ReadOnlySpan<double> source)
    {
        var n = Math.Min(destination.Length, source.Length);
        ref var d = ref MemoryMarshal.GetReference(destination);
        ref var s = ref MemoryMarshal.GetReference(source);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var k = Vector256.Create(scale);
            for (; i <= n - 4; i += 4)
            {
                (k * Vector256.LoadUnsafe(ref s, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
            }
        }
        for (; i < n; i++) Unsafe.Add(ref d, i) = scale * Unsafe.Add(ref s, i);
    }

    /// <summary>destination[i] -= source[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Subtract(Span<double> destination, ReadOnlySpan<double> source)
    {
        var n = Math.Min(destination.Length, source.Length);
        ref var d = ref MemoryMarshal.GetReference(destination);
        ref var s = ref MemoryMarshal.GetReference(source);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 4; i += 4)
            {
                (Vector256.LoadUnsafe(ref d, (nuint)i) - Vector256.LoadUnsafe(ref s, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
            }
        }
        for (; i < n; i++) Unsafe.Add(ref d, i) -= Unsafe.Add(ref s, i);
    }

    /// <summary>destination[i] = denominator[i] &gt; 0 ? numerator[i] / denominator[i] : NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RatioWherePositive(Span<double> destination, ReadOnlySpan<double> numerator, ReadOnlySpan<double> denominator)
    {
        var n = Math.Min(destination.Length, Math.Min(numerator.Length, denominator.Length));
        ref var d = ref MemoryMarshal.GetReference(destination);
        ref var x = ref MemoryMarshal.GetReference(numerator);
        ref var y = ref MemoryMarshal.GetReference(denominator);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var nan = Vector256.Create(double.NaN);
            for (; i <= n - 4; i += 4)
            {
                var den = Vector256.LoadUnsafe(ref y, (nuint)i);
                var ratio = Vector256.LoadUnsafe(ref x, (nuint)i) / den;
                Vector256.ConditionalSelect(Vector256.GreaterThan(den, Vector256<double>.Zero), ratio, nan).StoreUnsafe(ref d, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            var den = Unsafe.Add(ref y, i);
            Unsafe.Add(ref d, i) = den > 0 ? Unsafe.Add(ref x, i) / den : double.NaN;
        }
    }

    // Reductions keep four running sums, one per lane (year i goes to lane i mod 4 for the years that fill
    // whole lanes), add the lanes as (0 + 1) + (2 + 3), then the remaining years in order. Vector256 gives the
    // same lane arithmetic with or without hardware support, so the result is one fixed function of the row.

    /// <summary>Σ values[i], summed four lanes at a time (see above).</summary>
    public static double Sum(ReadOnlySpan<double> values)
    {
        ref var x = ref MemoryMarshal.GetReference(values);
        var n = values.Length;
        var acc = Vector256<double>.Zero;
        var i = 0;
        for (; i <= n - 4; i += 4) acc += Vector256.LoadUnsafe(ref x, (nuint)i);
        var sum = (acc.GetElement(0) + acc.GetElement(1)) + (acc.GetElement(2) + acc.GetElement(3));
        for (; i < n; i++) sum += Unsafe.Add(ref x, i);
        return sum;
    }

    /// <summary>Σ a[i] b[i], summed four lanes at a time (see above).</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var n = Math.Min(a.Length, b.Length);
        ref var x = ref MemoryMarshal.GetReference(a);
        ref var y = ref MemoryMarshal.GetReference(b);
        var acc = Vector256<double>.Zero;
        var i = 0;
        for (; i <= n - 4; i += 4) acc += Vector256.LoadUnsafe(ref x, (nuint)i) * Vector256.LoadUnsafe(ref y, (nuint)i);
        var sum = (acc.GetElement(0) + acc.GetElement(1)) + (acc.GetElement(2) + acc.GetElement(3));
        for (; i < n; i++) sum += Unsafe.Add(ref x, i) * Unsafe.Add(ref y, i);
        return sum;
    }

    /// <summary>The least of the values that are not NaN; +∞ when there is none.</summary>
    public static double MinIgnoringNaN(ReadOnlySpan<double> values)
    {
        ref var x = ref MemoryMarshal.GetReference(values);
        var n = values.Length;
        var min = Vector256.Create(double.PositiveInfinity);
        var i = 0;
        for (; i <= n - 4; i += 4)
        {
            var v = Vector256.LoadUnsafe(ref x, (nuint)i);
            min = Vector256.ConditionalSelect(Vector256.LessThan(v, min), v, min);
        }
        var result = double.PositiveInfinity;
        for (var lane = 0; lane < 4; lane++)
        {
            if (min.GetElement(lane) < result) result = min.GetElement(lane);
        }
        for (; i < n; i++)
        {
            if (Unsafe.Add(ref x, i) < result) result = Unsafe.Add(ref x, i);
        }
        return result;
    }

    /// <summary>The first index with values[i] &gt; 0 (NaN is not), or -1.</summary>
    public static int FirstPositive(ReadOnlySpan<double> values) => First(values, Vector256<double>.Zero, greater: true, orEqual: false);

    /// <summary>The first index with values[i] &lt; 0 (NaN and -0 are not), or -1.</summary>
    public static int FirstNegative(ReadOnlySpan<double> values) => First(values, Vector256<double>.Zero, greater: false, orEqual: false);

    /// <summary>The first index with values[i] &gt;= 0 (NaN is not; -0 is), or -1.</summary>
    public static int FirstNonNegative(ReadOnlySpan<double> values) => First(values, Vector256<double>.Zero, greater: true, orEqual: true);

    /// <summary>The first index where values[i] &lt;= 0 is false (positive or NaN), or -1.</summary>
    public static int FirstPositiveOrNaN(ReadOnlySpan<double> values)
    {
        ref var x = ref MemoryMarshal.GetReference(values);
        var n = values.Length;
        var i = 0;
        for (; i <= n - 4; i += 4)
        {
            var mask = ~Vector256.LessThanOrEqual(Vector256.LoadUnsafe(ref x, (nuint)i), Vector256<double>.Zero).ExtractMostSignificantBits() & 0b1111;
            if (mask != 0) return i + System.Numerics.BitOperations.TrailingZeroCount(mask);
        }
        for (; i < n; i++)
        {
            if (!(Unsafe.Add(ref x, i) <= 0)) return i;
        }
        return -1;
    }

    /// <summary>The last index where values[i] &lt;= 0 is false (positive or NaN), or -1.</summary>
    public static int LastPositiveOrNaN(ReadOnlySpan<double> values)
    {
        ref var x = ref MemoryMarshal.GetReference(values);
        var i = values.Length;
        for (; i >= 4; i -= 4)
        {
            var mask = ~Vector256.LessThanOrEqual(Vector256.LoadUnsafe(ref x, (nuint)(i - 4)), Vector256<double>.Zero).ExtractMostSignificantBits() & 0b1111;
            if (mask != 0) return i - 4 + (31 - System.Numerics.BitOperations.LeadingZeroCount(mask));
        }
        for (i--; i >= 0; i--)
        {
            if (!(Unsafe.Add(ref x, i) <= 0)) return i;
        }
        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int First(ReadOnlySpan<double> values, Vector256<double> bound, bool greater, bool orEqual)
    {
        ref var x = ref MemoryMarshal.GetReference(values);
        var n = values.Length;
        var i = 0;
        for (; i <= n - 4; i += 4)
        {
            var v = Vector256.LoadUnsafe(ref x, (nuint)i);
            var hit = greater
                ? (orEqual ? Vector256.GreaterThanOrEqual(v, bound) : Vector256.GreaterThan(v, bound))
                : (orEqual ? Vector256.LessThanOrEqual(v, bound) : Vector256.LessThan(v, bound));
            var mask = hit.ExtractMostSignificantBits();
            if (mask != 0) return i + System.Numerics.BitOperations.TrailingZeroCount(mask);
        }
        var b = bound.GetElement(0);
        for (; i < n; i++)
        {
            var v = Unsafe.Add(ref x, i);
            if (greater ? (orEqual ? v >= b : v > b) : (orEqual ? v <= b : v < b)) return i;
        }
        return -1;
    }

    /// <summary>The first index with values[i] != 0 (NaN is), or -1.</summary>
    public static int FirstNonZero(ReadOnlySpan<double> values)
    {
        ref var x = ref MemoryMarshal.GetReference(values);
        var n = values.Length;
        var i = 0;
        for (; i <= n - 4; i += 4)
        {
            var mask = Vector256.Equals(Vector256.LoadUnsafe(ref x, (nuint)i), Vector256<double>.Zero).ExtractMostSignificantBits();
            if (mask != 0b1111) return i + System.Numerics.BitOperations.TrailingZeroCount(~mask);
        }
        for (; i < n; i++)
        {
            if (Unsafe.Add(ref x, i) != 0) return i;
        }
        return -1;
    }

    /// <summary>Sets a short row to +0 with vector stores, inline (a call to Clear costs more for a few years).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Zero(Span<double> destination)
    {
        ref var d = ref MemoryMarshal.GetReference(destination);
        var n = destination.Length;
        var i = 0;
        for (; i <= n - 4; i += 4) Vector256<double>.Zero.StoreUnsafe(ref d, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref d, i) = 0;
    }

    /// <summary>The last index with values[i] != 0 (NaN is), or -1.</summary>
    public static int LastNonZero(ReadOnlySpan<double> values)
    {
        ref var x = ref MemoryMarshal.GetReference(values);
        var i = values.Length;
        for (; i >= 4; i -= 4)
        {
            var mask = Vector256.Equals(Vector256.LoadUnsafe(ref x, (nuint)(i - 4)), Vector256<double>.Zero).ExtractMostSignificantBits();
            if (mask != 0b1111) return i - 4 + (31 - System.Numerics.BitOperations.LeadingZeroCount(~mask & 0b1111));
        }
        for (i--; i >= 0; i--)
        {
            if (Unsafe.Add(ref x, i) != 0) return i;
        }
        return -1;
    }
}
