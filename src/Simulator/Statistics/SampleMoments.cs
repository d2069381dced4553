using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DistrictSim.Statistics;

/// <summary>
/// Count, mean, sample standard deviation (n - 1) and standard error of the defined (non-NaN) values of a
/// span. Two passes: the mean, then the squared deviations from it. Each sum is compensated (Neumaier) in
/// <see cref="Lanes"/> lanes, value i going to lane i mod <see cref="Lanes"/>, and the lanes are added in a fixed
/// order at the end: a fixed function of the values in the order given, so the same values in the same order
/// give the same bits, on any machine whether or not it has vector instructions.
/// </summary>
internal readonly record struct SampleMoments(long Defined, double Mean, double Std)
{
    /// <summary>Independent compensated partial sums (two vectors of four).</summary>
    public const int Lanes = 8;

    /// <summary>std / sqrt(defined); NaN when Std is.</summary>
    public double StandardError => Std / Math.Sqrt(Defined);

    public static SampleMoments Of(ReadOnlySpan<double> values) => Of(values, out _, out _);

    /// <summary>The moments, and the smallest and largest defined values (NaN when there are none), in the first pass.</summary>
    public static SampleMoments Of(ReadOnlySpan<double> values, out double min, out double max)
    {
        var (n, sum) = SumDefined(values, out min, out max);
        if (n == 0)
        {
            return new SampleMoments(0, double.NaN, double.NaN);
        }

        var mean = sum / n;
        if (n < 2)
        {
            return new SampleMoments(n, mean, double.NaN);
        }

        return new SampleMoments(n, mean, Math.Sqrt(SquaredDeviations(values, mean) / (n - 1)));
    }

    /// <summary>The mean of the defined values (NaN when there are none): the first pass alone.</summary>
    public static double MeanOf(ReadOnlySpan<double> values)
    {
        var (n, sum) = SumDefined(values, out _, out _);
        return n == 0 ? double.NaN : sum / n;
    }

    /// <summary>Number and compensated sum of the defined values, with their minimum and maximum (NaN when none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs a few times a run, on a million values
    private static (long Defined, double Sum) SumDefined(ReadOnlySpan<double> values, out double min, out double max)
    {
        var vectors = values.Length / Lanes;
        var sum0 = Vector256<double>.Zero;
        var sum1 = Vector256<double>.Zero;
        var compensation0 = Vector256<double>.Zero;
        var compensation1 = Vector256<double>.Zero;
        var defined0 = Vector256<long>.Zero;
        var defined1 = Vector256<long>.Zero;
        var min0 = Vector256.Create(double.PositiveInfinity);
        var min1 = min0;
        var max0 = Vector256.Create(double.NegativeInfinity);
        var max1 = max0;
        ref var source = ref MemoryMarshal.GetReference(values);
        for (var v = 0; v < vectors; v++)
        {
            var x0 = Vector256.LoadUnsafe(ref source, (nuint)(v * Lanes));
            var x1 = Vector256.LoadUnsafe(ref source, (nuint)((v * Lanes) + 4));
            var is0 = Vector256.Equals(x0, x0); // all ones where defined
            var is1 = Vector256.Equals(x1, x1);
            defined0 -= is0.AsInt64();
            defined1 -= is1.AsInt64();
            min0 = Vector256.Min(min0, Vector256.ConditionalSelect(is0, x0, min0));
            min1 = Vector256.Min(min1, Vector256.ConditionalSelect(is1, x1, min1));
            max0 = Vector256.Max(max0, Vector256.ConditionalSelect(is0, x0, max0));
            max1 = Vector256.Max(max1, Vector256.ConditionalSelect(is1, x1, max1));
            x0 &= is0;
            x1 &= is1;
            Neumaier(ref sum0, ref compensation0, x0);
            Neumaier(ref sum1, ref compensation1, x1);
        }

        // The lanes, then the values left over, in a fixed order.
        long n = 0;
        min = double.PositiveInfinity;
        max = double.NegativeInfinity;
        var total = new CompensatedSum();
        var compensation = new CompensatedSum();
        for (var lane = 0; lane < 4; lane++)
        {
            n += defined0.GetElement(lane) + defined1.GetElement(lane);
            total.Add(sum0.GetElement(lane));
            total.Add(sum1.GetElement(lane));
            compensation.Add(compensation0.GetElement(lane));
            compensation.Add(compensation1.GetElement(lane));
            min = Math.Min(min, Math.Min(min0.GetElement(lane), min1.GetElement(lane)));
            max = Math.Max(max, Math.Max(max0.GetElement(lane), max1.GetElement(lane)));
        }

        foreach (var x in values[(vectors * Lanes)..])
        {
            if (!double.IsNaN(x))
            {
                total.Add(x);
                min = Math.Min(min, x);
                max = Math.Max(max, x);
                n++;
            }
        }

        total.Add(compensation.Value);
        if (n == 0)
        {
            min = max = double.NaN;
        }

        return (n, total.Value);
    }

    /// <summary>Compensated sum of (x - mean)² over the defined values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double SquaredDeviations(ReadOnlySpan<double> values, double mean)
    {
        var vectors = values.Length / Lanes;
        var sum0 = Vector256<double>.Zero;
        var sum1 = Vector256<double>.Zero;
        var compensation0 = Vector256<double>.Zero;
        var compensation1 = Vector256<double>.Zero;
        var center = Vector256.Create(mean);
        ref var source = ref MemoryMarshal.GetReference(values);
        for (var v = 0; v < vectors; v++)
        {
            var x0 = Vector256.LoadUnsafe(ref source, (nuint)(v * Lanes));
            var x1 = Vector256.LoadUnsafe(ref source, (nuint)((v * Lanes) + 4));
            var d0 = (x0 - center) & Vector256.Equals(x0, x0);
            var d1 = (x1 - center) & Vector256.Equals(x1, x1);
            Neumaier(ref sum0, ref compensation0, d0 * d0);
            Neumaier(ref sum1, ref compensation1, d1 * d1);
        }

        var total = new CompensatedSum();
        var compensation = new CompensatedSum();
        for (var lane = 0; lane < 4; lane++)
        {
            total.Add(sum0.GetElement(lane));
            total.Add(sum1.GetElement(lane));
            compensation.Add(compensation0.GetElement(lane));
            compensation.Add(compensation1.GetElement(lane));
        }

        foreach (var x in values[(vectors * Lanes)..])
        {
            if (!double.IsNaN(x))
            {
                var d = x - mean;
                total.Add(d * d);
            }
        }

        total.Add(compensation.Value);
        return total.Value;
    }

    /// <summary>One Neumaier step in each lane: sum += x, with the rounding error kept in compensation.</summary>
    private static void Neumaier(ref Vector256<double> sum, ref Vector256<double> compensation, Vector256<double> x)
    {
        var t = sum + x;
        var sumLarger = Vector256.GreaterThanOrEqual(Vector256.Abs(sum), Vector256.Abs(x));
        compensation += Vector256.ConditionalSelect(sumLarger, (sum - t) + x, (x - t) + sum);
        sum = t;
    }

    /// <summary>Neumaier's improved Kahan summation.</summary>
    private struct CompensatedSum
    {
        private double _sum;
        private double _compensation;

        public readonly double Value => _sum + _compensation;

        public void Add(double x)
        {
            var t = _sum + x;
            _compensation += Math.Abs(_sum) >= Math.Abs(x) ? (_sum - t) + x : (x - t) + _sum;
            _sum = t;
        }
    }
}
