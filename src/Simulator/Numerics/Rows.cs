using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DistrictSim.Numerics;

/// <summary>
/// Element-wise arithmetic, reductions and searches on year rows, four years at a time where the hardware allows.
/// Each element is computed with exactly the operations, in the order, that the scalar formula in each doc
/// comment gives (IEEE addition, subtraction, multiplication and division are lane-wise, and nothing is fused),
/// so results do not depend on whether the vector path runs. Rows are short (one value per year): these helpers
/// exist because the JIT does not vectorise such loops itself. Every element-wise helper is one
/// <see cref="IElementOp"/> run by <see cref="Map{TOp}"/>, every search one <see cref="ITest"/> run by
/// <see cref="First{TTest}"/> or <see cref="Last{TTest}"/>.
/// </summary>
internal static class Rows
{
    /// <summary>
    /// a &gt; b ? a : b, exactly (NaN in a gives b; equal zeros give b), without a branch: one maxsd on x86, whose
    /// rule is this one. For choices that depend on the data, such as whether a year ends in a shortfall, where a
    /// branch would be mispredicted on many paths.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double GreaterOrSecond(double a, double b) =>
        System.Runtime.Intrinsics.X86.Sse2.IsSupported
            ? System.Runtime.Intrinsics.X86.Sse2.MaxScalar(Vector128.CreateScalarUnsafe(a), Vector128.CreateScalarUnsafe(b)).ToScalar()
            : a > b ? a : b;

    /// <summary>destination[i] += source[i].</summary>
    public static void Add(Span<double> destination, ReadOnlySpan<double> source) => Map(destination, source, source, default(AddOp));

    /// <summary>destination[i] += a[i] + b[i] (the sum a + b first).</summary>
    public static void AddSum(Span<double> destination, ReadOnlySpan<double> a, ReadOnlySpan<double> b) => Map(destination, a, b, default(AddSumOp));

    /// <summary>destination[i] += scale * source[i].</summary>
    public static void AddScaled(Span<double> destination, double scale, ReadOnlySpan<double> source) => Map(destination, source, source, new AddScaledOp(scale));

    /// <summary>destination[i] = scale * a[i] * b[i] (scale * a first).</summary>
    public static void ScaledProduct(Span<double> destination, double scale, ReadOnlySpan<double> a, ReadOnlySpan<double> b) => Map(destination, a, b, new ScaledProductOp(scale));

    /// <summary>destination[i] = scale * a[i] * b[i] (scale * a first), then total[i] += destination[i]: a stream's row and the sum of streams in one pass.</summary>
    public static void ScaledProductAdded(Span<double> destination, Span<double> total, double scale, ReadOnlySpan<double> a, ReadOnlySpan<double> b) =>
        Map2(destination, total, a, b, new ScaledProductAddedOp(scale));

    /// <summary>tax[i] = rate * revenue[i], then cfads[i] = revenue[i] - cost[i] - tax[i] (left to right): a revenue tax and the CFADS in one pass.</summary>
    public static void TaxAndCfads(Span<double> tax, Span<double> cfads, double rate, ReadOnlySpan<double> revenue, ReadOnlySpan<double> cost) =>
        Map2(tax, cfads, revenue, cost, new TaxAndCfadsOp(rate));

    /// <summary>destination[i] = scale * source[i].</summary>
    public static void Scaled(Span<double> destination, double scale, ReadOnlySpan<double> source) => Map(destination, source, source, new ScaledOp(scale));

    /// <summary>destination[i] = a[i] - b[i].</summary>
    public static void Difference(Span<double> destination, ReadOnlySpan<double> a, ReadOnlySpan<double> b) => Map(destination, a, b, default(DifferenceOp));

    /// <summary>destination[i] = denominator[i] &gt; 0 ? numerator[i] / denominator[i] : NaN.</summary>
    public static void RatioWherePositive(Span<double> destination, ReadOnlySpan<double> numerator, ReadOnlySpan<double> denominator) =>
        Map(destination, numerator, denominator, default(RatioWherePositiveOp));

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

    /// <summary>One element-wise operation: the new destination value from the old one and a[i], b[i].</summary>
    /// <summary>An element-wise operation with two results: first[i] and second[i] from their old values and a[i], b[i].</summary>
    internal interface IElementOp2
    {
        void Apply(ref Vector256<double> first, ref Vector256<double> second, Vector256<double> a, Vector256<double> b);

        void Apply(ref double first, ref double second, double a, double b);
    }

    /// <summary>(first[i], second[i]) = op(first[i], second[i], a[i], b[i]) over the common length, four at a time, then one at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Map2<TOp>(Span<double> first, Span<double> second, ReadOnlySpan<double> a, ReadOnlySpan<double> b, TOp op)
        where TOp : struct, IElementOp2
    {
        var n = Math.Min(Math.Min(first.Length, second.Length), Math.Min(a.Length, b.Length));
        ref var f = ref MemoryMarshal.GetReference(first);
        ref var g = ref MemoryMarshal.GetReference(second);
        ref var x = ref MemoryMarshal.GetReference(a);
        ref var y = ref MemoryMarshal.GetReference(b);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - 4; i += 4)
            {
                var one = Vector256.LoadUnsafe(ref f, (nuint)i);
                var two = Vector256.LoadUnsafe(ref g, (nuint)i);
                op.Apply(ref one, ref two, Vector256.LoadUnsafe(ref x, (nuint)i), Vector256.LoadUnsafe(ref y, (nuint)i));
                one.StoreUnsafe(ref f, (nuint)i);
                two.StoreUnsafe(ref g, (nuint)i);
            }
        }
        for (; i < n; i++) op.Apply(ref Unsafe.Add(ref f, i), ref Unsafe.Add(ref g, i), Unsafe.Add(ref x, i), Unsafe.Add(ref y, i));
    }

    private readonly struct ScaledProductAddedOp(double scale) : IElementOp2
    {
        private readonly Vector256<double> _scale = Vector256.Create(scale);

        public void Apply(ref Vector256<double> first, ref Vector256<double> second, Vector256<double> a, Vector256<double> b)
        {
            first = _scale * a * b;
            second += first;
        }

        public void Apply(ref double first, ref double second, double a, double b)
        {
            first = scale * a * b;
            second += first;
        }
    }

    private readonly struct TaxAndCfadsOp(double rate) : IElementOp2
    {
        private readonly Vector256<double> _rate = Vector256.Create(rate);

        public void Apply(ref Vector256<double> first, ref Vector256<double> second, Vector256<double> a, Vector256<double> b)
        {
            first = _rate * a;
            second = a - b - first;
        }

        public void Apply(ref double first, ref double second, double a, double b)
        {
            first = rate * a;
            second = a - b - first;
        }
    }

    internal interface IElementOp
    {
        Vector256<double> Apply(Vector256<double> destination, Vector256<double> a, Vector256<double> b);

        double Apply(double destination, double a, double b);
    }

    /// <summary>destination[i] = op(destination[i], a[i], b[i]) over the common length, four at a time, then one at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Map<TOp>(Span<double> destination, ReadOnlySpan<double> a, ReadOnlySpan<double> b, TOp op)
        where TOp : struct, IElementOp
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
                op.Apply(Vector256.LoadUnsafe(ref d, (nuint)i), Vector256.LoadUnsafe(ref x, (nuint)i), Vector256.LoadUnsafe(ref y, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
            }
        }
        for (; i < n; i++) Unsafe.Add(ref d, i) = op.Apply(Unsafe.Add(ref d, i), Unsafe.Add(ref x, i), Unsafe.Add(ref y, i));
    }

    private readonly struct AddOp : IElementOp
    {
        public Vector256<double> Apply(Vector256<double> destination, Vector256<double> a, Vector256<double> b) => destination + a;

        public double Apply(double destination, double a, double b) => destination + a;
    }

    private readonly struct AddSumOp : IElementOp
    {
        public Vector256<double> Apply(Vector256<double> destination, Vector256<double> a, Vector256<double> b) => destination + (a + b);

        public double Apply(double destination, double a, double b) => destination + (a + b);
    }

    private readonly struct AddScaledOp(double scale) : IElementOp
    {
        private readonly Vector256<double> _scale = Vector256.Create(scale);

        public Vector256<double> Apply(Vector256<double> destination, Vector256<double> a, Vector256<double> b) => destination + (_scale * a);

        public double Apply(double destination, double a, double b) => destination + (scale * a);
    }

    private readonly struct ScaledOp(double scale) : IElementOp
    {
        private readonly Vector256<double> _scale = Vector256.Create(scale);

        public Vector256<double> Apply(Vector256<double> destination, Vector256<double> a, Vector256<double> b) => _scale * a;

        public double Apply(double destination, double a, double b) => scale * a;
    }

    private readonly struct ScaledProductOp(double scale) : IElementOp
    {
        private readonly Vector256<double> _scale = Vector256.Create(scale);

        public Vector256<double> Apply(Vector256<double> destination, Vector256<double> a, Vector256<double> b) => _scale * a * b;

        public double Apply(double destination, double a, double b) => scale * a * b;
    }

    private readonly struct DifferenceOp : IElementOp
    {
        public Vector256<double> Apply(Vector256<double> destination, Vector256<double> a, Vector256<double> b) => a - b;

        public double Apply(double destination, double a, double b) => a - b;
    }

    private readonly struct RatioWherePositiveOp : IElementOp
    {
        public Vector256<double> Apply(Vector256<double> destination, Vector256<double> a, Vector256<double> b) =>
            Vector256.ConditionalSelect(Vector256.GreaterThan(b, Vector256<double>.Zero), a / b, Vector256.Create(double.NaN));

        public double Apply(double destination, double a, double b) => b > 0 ? a / b : double.NaN;
    }

    // Reductions keep four running sums, one per lane (year i goes to lane i mod 4 for the years that fill
    // whole lanes), add the lanes as (0 + 1) + (2 + 3) (Lanes), then the remaining years in order. Vector256 gives
    // the same lane arithmetic with or without hardware support, so the result is one fixed function of the row.

    /// <summary>The lanes of a four-lane running sum added in the reductions' fixed order: (0 + 1) + (2 + 3).</summary>
    public static double Lanes(Vector256<double> lanes) => (lanes.GetElement(0) + lanes.GetElement(1)) + (lanes.GetElement(2) + lanes.GetElement(3));

    /// <summary>Σ values[i], summed four lanes at a time (see above).</summary>
    public static double Sum(ReadOnlySpan<double> values)
    {
        ref var x = ref MemoryMarshal.GetReference(values);
        var n = values.Length;
        var acc = Vector256<double>.Zero;
        var i = 0;
        for (; i <= n - 4; i += 4) acc += Vector256.LoadUnsafe(ref x, (nuint)i);
        var sum = Lanes(acc);
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
        var sum = Lanes(acc);
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

    /// <summary>The first index with values[i] &lt; 0 (NaN and -0 are not), or -1.</summary>
    public static int FirstNegative(ReadOnlySpan<double> values) => First(values, default(NegativeTest));

    /// <summary>The first index with values[i] &gt;= 0 (NaN is not; -0 is), or -1.</summary>
    public static int FirstNonNegative(ReadOnlySpan<double> values) => First(values, default(NonNegativeTest));

    /// <summary>The first index where values[i] &lt;= 0 is false (positive or NaN), or -1.</summary>
    public static int FirstPositiveOrNaN(ReadOnlySpan<double> values) => First(values, default(PositiveOrNaNTest));

    /// <summary>The last index where values[i] &lt;= 0 is false (positive or NaN), or -1.</summary>
    public static int LastPositiveOrNaN(ReadOnlySpan<double> values) => Last(values, default(PositiveOrNaNTest));

    /// <summary>The first index with values[i] != 0 (NaN is), or -1.</summary>
    public static int FirstNonZero(ReadOnlySpan<double> values) => First(values, default(NonZeroTest));

    /// <summary>The last index with values[i] != 0 (NaN is), or -1.</summary>
    public static int LastNonZero(ReadOnlySpan<double> values) => Last(values, default(NonZeroTest));

    /// <summary>A test of one value, and of four at a time as a 4-bit mask (bit k for lane k).</summary>
    internal interface ITest
    {
        uint Mask(Vector256<double> values);

        bool Test(double value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int First<TTest>(ReadOnlySpan<double> values, TTest test)
        where TTest : struct, ITest
    {
        ref var x = ref MemoryMarshal.GetReference(values);
        var n = values.Length;
        var i = 0;
        for (; i <= n - 4; i += 4)
        {
            var mask = test.Mask(Vector256.LoadUnsafe(ref x, (nuint)i));
            if (mask != 0) return i + BitOperations.TrailingZeroCount(mask);
        }
        for (; i < n; i++)
        {
            if (test.Test(Unsafe.Add(ref x, i))) return i;
        }
        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Last<TTest>(ReadOnlySpan<double> values, TTest test)
        where TTest : struct, ITest
    {
        ref var x = ref MemoryMarshal.GetReference(values);
        var i = values.Length;
        for (; i >= 4; i -= 4)
        {
            var mask = test.Mask(Vector256.LoadUnsafe(ref x, (nuint)(i - 4)));
            if (mask != 0) return i - 4 + (31 - BitOperations.LeadingZeroCount(mask));
        }
        for (i--; i >= 0; i--)
        {
            if (test.Test(Unsafe.Add(ref x, i))) return i;
        }
        return -1;
    }

    private readonly struct NegativeTest : ITest
    {
        public uint Mask(Vector256<double> values) => Vector256.LessThan(values, Vector256<double>.Zero).ExtractMostSignificantBits();

        public bool Test(double value) => value < 0;
    }

    private readonly struct NonNegativeTest : ITest
    {
        public uint Mask(Vector256<double> values) => Vector256.GreaterThanOrEqual(values, Vector256<double>.Zero).ExtractMostSignificantBits();

        public bool Test(double value) => value >= 0;
    }

    private readonly struct PositiveOrNaNTest : ITest
    {
        public uint Mask(Vector256<double> values) => ~Vector256.LessThanOrEqual(values, Vector256<double>.Zero).ExtractMostSignificantBits() & 0b1111;

        public bool Test(double value) => !(value <= 0);
    }

    private readonly struct NonZeroTest : ITest
    {
        public uint Mask(Vector256<double> values) => ~Vector256.Equals(values, Vector256<double>.Zero).ExtractMostSignificantBits() & 0b1111;

        public bool Test(double value) => value != 0;
    }
}
