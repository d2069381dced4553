using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DistrictSim.Evaluation;

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
}
