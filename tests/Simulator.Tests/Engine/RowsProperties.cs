using DistrictSim.Numerics;
using DistrictSim.Finance;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace DistrictSim.Simulator.Tests.Engine;

/// <summary>
/// The row helpers the evaluator runs four years at a time give, element by element, what the scalar loops in
/// their doc comments give (bit for bit), and the reductions the documented lane order; IRR's batched grid scan
/// finds the same root as the scan one rate at a time.
/// </summary>
public sealed class RowsProperties
{
    /// <summary>Rows of 0 to 40 years with zeros, signs, small and large magnitudes, and now and then a NaN or -0.</summary>
    private static Arbitrary<double[]> RowsOf(bool withNaN) => Arb.From(
        Gen.Choose(0, 40).SelectMany(n => Gen.ArrayOf(
            Gen.Frequency(
                (6, Gen.Choose(-1_000_000, 1_000_000).Select(i => i / 7.0)),
                (2, Gen.Constant(0.0)),
                (1, Gen.Constant(-0.0)),
                (1, Gen.Choose(-9, 9).Select(e => Math.Pow(10, 3 * e))),
                (withNaN ? 1 : 0, Gen.Constant(double.NaN))), n)));

    private static Arbitrary<(double[] A, double[] B, double S)> Pairs => Arb.From(
        from a in RowsOf(withNaN: true).Generator
        from b in Gen.ArrayOf(Gen.Choose(-1_000_000, 1_000_000).Select(i => i / 3.0), a.Length)
        from s in Gen.Choose(-1000, 1000).Select(i => i / 13.0)
        select (a, b, s));

    private static bool Same(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length) return false;
        for (var i = 0; i < x.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(x[i]) != BitConverter.DoubleToInt64Bits(y[i])) return false;
        }
        return true;
    }

    [Property(MaxTest = 300)]
    public Property ElementWiseHelpers_EqualTheirScalarLoops_BitForBit() => Prop.ForAll(Pairs, p =>
    {
        var (a, b, s) = p;
        var n = a.Length;
        double[] Expected(Func<int, double> f) => Enumerable.Range(0, n).Select(f).ToArray();
        var d = (double[])b.Clone();
        Rows.Add(d, a);
        var ok = Same(d, Expected(i => b[i] + a[i]));
        d = (double[])b.Clone();
        Rows.AddSum(d, a, b);
        ok &= Same(d, Expected(i => b[i] + (a[i] + b[i])));
        d = (double[])b.Clone();
        Rows.AddScaled(d, s, a);
        ok &= Same(d, Expected(i => b[i] + (s * a[i])));
        d = new double[n];
        Rows.ScaledProduct(d, s, a, b);
        ok &= Same(d, Expected(i => s * a[i] * b[i]));
        var total = (double[])a.Clone();
        Rows.ScaledProductAdded(d, total, s, b, a);
        ok &= Same(d, Expected(i => s * b[i] * a[i])) && Same(total, Expected(i => a[i] + (s * b[i] * a[i])));
        var cfads = new double[n];
        Rows.TaxAndCfads(d, cfads, s, a, b);
        ok &= Same(d, Expected(i => s * a[i])) && Same(cfads, Expected(i => a[i] - b[i] - (s * a[i])));
        Rows.Difference(d, a, b);
        ok &= Same(d, Expected(i => a[i] - b[i]));
        Rows.Scaled(d, s, a);
        ok &= Same(d, Expected(i => s * a[i]));
        Rows.RatioWherePositive(d, b, a);
        ok &= Same(d, Expected(i => a[i] > 0 ? b[i] / a[i] : double.NaN));
        return ok;
    });

    [Property(MaxTest = 300)]
    public Property Reductions_FollowTheDocumentedLaneOrder_AndSearchesFindWhatALoopFinds() => Prop.ForAll(Pairs, p =>
    {
        var (a, b, _) = p;
        var n = a.Length;
        double LaneOrder(Func<int, double> term)
        {
            var lanes = new double[4];
            var whole = n / 4 * 4;
            for (var i = 0; i < whole; i++) lanes[i % 4] += term(i);
            var sum = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
            for (var i = whole; i < n; i++) sum += term(i);
            return sum;
        }
        var ok = Same([Rows.Sum(a)], [LaneOrder(i => a[i])]) && Same([Rows.Dot(a, b)], [LaneOrder(i => a[i] * b[i])]);
        var min = a.Where(v => !double.IsNaN(v)).DefaultIfEmpty(double.PositiveInfinity).Min();
        ok &= Rows.MinIgnoringNaN(a) == min;
        int First(Func<double, bool> test) => Array.FindIndex(a, v => test(v));
        ok &= Rows.FirstNegative(a) == First(v => v < 0);
        ok &= Rows.FirstNonNegative(a) == First(v => v >= 0);
        ok &= Rows.FirstNonZero(a) == First(v => v != 0);
        ok &= Rows.FirstPositiveOrNaN(a) == First(v => !(v <= 0));
        ok &= Rows.LastPositiveOrNaN(a) == Array.FindLastIndex(a, v => !(v <= 0));
        ok &= Rows.LastNonZero(a) == Array.FindLastIndex(a, v => v != 0);
        return ok;
    });

    [Fact]
    public void IrrWithManySignChanges_FindsTheRootNearestZero_WhenItIsFarOnTheGrid()
    {
        // Flows with roots at 60% and 70%: the grid scan passes more than one batch of eight rates upward.
        // NPV(r) = x (f0 + f1 x + f2 x²) with x = 1 / (1 + r); -(x - a)(x - b) has its roots at x = a, b.
        double[] flows = [-1 / (1.6 * 1.7), (1 / 1.6) + (1 / 1.7), -1];
        Assert.Equal(0.6, Irr.Compute(flows), 1e-10);
        // Mirrored below zero: roots at -40% and -45%, the nearer one wins.
        double[] below = [-1 / (0.6 * 0.55), (1 / 0.6) + (1 / 0.55), -1];
        Assert.Equal(-0.4, Irr.Compute(below), 1e-10);
        Assert.Equal(0, Irr.Npv(Irr.Compute(below), below), 1e-12);
    }

    /// <summary>The IRR's first guess uses an approximate power: within 1e-5 relative of Math.Pow over the ratios and exponents it meets.</summary>
    [Property(MaxTest = 500)]
    public Property ApproximatePower_IsWithin1e5_OfMathPow() => Prop.ForAll(
        Arb.From(
            from mantissa in Gen.Choose(1, 1_000_000)
            from decade in Gen.Choose(-12, 12)
            from exponent in Gen.Choose(-20_000, 20_000)
            select (X: mantissa / 1e6 * Math.Pow(10, decade), Y: exponent / 1000.0)),
        c =>
        {
            var expected = Math.Pow(c.X, c.Y);
            var actual = Irr.ApproximatePower(c.X, c.Y);
            return (Math.Abs(actual - expected) <= 1e-5 * expected).Label($"{c.X}^{c.Y}: {actual} against {expected}");
        });

    [Fact]
    public void ApproximatePower_OverflowsAndUnderflowsLikePow_AndFallsBackOutsideTheNormalRange()
    {
        Assert.Equal(double.PositiveInfinity, Irr.ApproximatePower(1e300, 10));
        Assert.Equal(0, Irr.ApproximatePower(1e-300, 10));
        Assert.Equal(1, Irr.ApproximatePower(1, 123.4));
        Assert.Equal(Math.Pow(5e-320, 0.5), Irr.ApproximatePower(5e-320, 0.5));
        Assert.True(double.IsNaN(Irr.ApproximatePower(-2, 0.5)));
    }
}
