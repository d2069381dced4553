using DistrictSim.Sampling;
using MathNet.Numerics;
using Xunit;

namespace DistrictSim.Simulator.Tests.Sampling;

/// <summary>The sampler's own normal quantile (AS 241) and CDF (Cody) against MathNet, the reference, on dense grids.</summary>
public class NormalFunctionTests
{
    /// <summary>MathNet's own relative error (about 4e-16 against 40-digit arithmetic), added to the stated bound.</summary>
    private const double MathNetQuantileError = 5e-16;

    private static double MathNetQuantile(double u) => -Constants.Sqrt2 * SpecialFunctions.ErfcInv(2 * u);

    private static double MathNetLowerTail(double z) => 0.5 * SpecialFunctions.Erfc(-z * Constants.Sqrt1Over2);

    private static IEnumerable<double> QuantileGrid()
    {
        // Every 1e-5 across (0, 1), the AS 241 region boundaries (0.075, 0.925, exp(-25)) on both sides,
        // and log grids into both tails: u down to 1e-300, 1 - u down to 1e-16.
        for (var i = 1; i < 100_000; i++) yield return i / 100_000.0;
        foreach (var edge in new[] { 0.075, 0.925, Math.Exp(-25), 1 - Math.Exp(-25) })
        {
            var below = edge;
            var above = edge;
            for (var k = 0; k < 50; k++)
            {
                below = Math.BitDecrement(below);
                above = Math.BitIncrement(above);
                yield return below;
                yield return above;
            }
        }
        for (var e = 1.0; e <= 300; e += 0.01) yield return Math.Pow(10, -e);
        for (var e = 1.0; e <= 16; e += 0.001) yield return 1 - Math.Pow(10, -e);
        yield return CounterRng.Uniform(1, 0, 0) * 1e-17; // a 53-bit uniform scaled deep into the tail
    }

    [Fact]
    public void NormalQuantile_AgreesWithMathNetWithinTheStatedError()
    {
        var allowed = SlotDistribution.NormalQuantileMaxRelativeError + MathNetQuantileError;
        foreach (var u in QuantileGrid())
        {
            if (!(u > 0 && u < 1)) continue;
            var expected = MathNetQuantile(u);
            var found = SlotDistribution.StandardNormalQuantile(u);
            var error = expected == 0 ? Math.Abs(found) : Math.Abs(found - expected) / Math.Abs(expected);
            Assert.True(error <= allowed, $"Phi^-1({u:R}): expected {expected:R} (MathNet), found {found:R}, relative error {error:G3} > {allowed:G3}");
        }
    }

    [Fact]
    public void NormalQuantiles_InABatch_EqualTheScalarQuantileBitForBit()
    {
        // Central values go through vector lanes, tail values through the scalar path in short batches and gathered
        // four to a vector in long ones (0, 1, NaN and u beyond r = 5 through the scalar path); batch lengths from 0 to
        // 13 cover full groups of four and the remainders, the longer ones the gathered tails and the 64-value chunks.
        double[] pool = [0.5, 0.3, 0.075, Math.BitIncrement(0.075), 0.925, Math.BitDecrement(0.925), 0.0749, 1e-5, 0.99999, 1e-300, 0, 1, double.NaN, 0.61, 0.42, 0.2, 1e-12, 1 - 1e-12, 0.01, 0.97];
        foreach (var length in Enumerable.Range(0, 14).Concat([16, 17, 23, 63, 64, 65, 130, 257]))
        {
            for (var shift = 0; shift < pool.Length; shift++)
            {
                var u = Enumerable.Range(0, length).Select(i => pool[(i + shift) % pool.Length]).ToArray();
                var z = new double[length + 1];
                z[^1] = 42;
                SlotDistribution.StandardNormalQuantiles(u, z);
                for (var i = 0; i < length; i++) Assert.Equal(SlotDistribution.StandardNormalQuantile(u[i]), z[i]);
                Assert.Equal(42, z[^1]); // nothing written past the batch
            }
        }
    }

    [Fact]
    public void NormalQuantile_IsOddAboutOneHalf_AndInfiniteAtTheEnds()
    {
        Assert.Equal(0, SlotDistribution.StandardNormalQuantile(0.5));
        foreach (var u in new[] { 0.3125, 0.0625, 1.0 / (1 << 17), Math.ScaleB(1, -40) }) // dyadic: 1 - u is exact
        {
            Assert.Equal(-SlotDistribution.StandardNormalQuantile(u), SlotDistribution.StandardNormalQuantile(1 - u), 15);
        }
        Assert.Equal(double.NegativeInfinity, SlotDistribution.StandardNormalQuantile(0));
        Assert.Equal(double.PositiveInfinity, SlotDistribution.StandardNormalQuantile(1));
        Assert.True(double.IsNaN(SlotDistribution.StandardNormalQuantile(double.NaN)));
    }

    [Fact]
    public void NormalQuantile_IsNonDecreasingAcrossItsRegionBoundaries_UpToRounding()
    {
        // The rational pieces meet to within rounding: at u = 0.075 the value steps back by one ulp (like any
        // floating-point evaluation, only monotone up to its error); nothing larger is allowed.
        foreach (var edge in new[] { 0.075, 0.925, Math.Exp(-25), 1 - Math.Exp(-25) })
        {
            var u = edge;
            for (var k = 0; k < 64; k++) u = Math.BitDecrement(u);
            var previous = SlotDistribution.StandardNormalQuantile(u);
            for (var k = 0; k < 128; k++)
            {
                u = Math.BitIncrement(u);
                var x = SlotDistribution.StandardNormalQuantile(u);
                Assert.True(x >= previous - 4e-16 * Math.Abs(previous), $"Phi^-1 decreases at {u:R}: {x:R} < {previous:R}");
                previous = x;
            }
        }
    }

    [Fact]
    public void NormalCdf_AgreesWithMathNetWithinTheStatedError()
    {
        // Both Phi(z) and Q(z) = 1 - Phi(z), each relative to itself, every 1e-4 over [-37, 37] plus the branch edges.
        // MathNet's erfc rounds its argument z / sqrt 2 and then its square, which costs it a relative error of
        // about z^2 eps in the tails; the allowance is the stated bound scaled by (1 + z^2 / 2) (measured worst
        // ratio 5.8e-16 / 1e-15).
        var points = new List<double>();
        for (var i = -370_000; i <= 370_000; i++) points.Add(i / 10_000.0);
        foreach (var edge in new[] { 0.66291, 5.656854249492380195, 40.0 })
        {
            var below = edge;
            var above = edge;
            for (var k = 0; k < 20; k++)
            {
                below = Math.BitDecrement(below);
                above = Math.BitIncrement(above);
                points.AddRange([below, above, -below, -above]);
            }
        }
        foreach (var z in points)
        {
            var allowed = SlotDistribution.NormalCdfMaxRelativeError * (1 + z * z / 2);
            var phi = SlotDistribution.StandardNormalCdf(z, out var q);
            if (Math.Abs(z) >= 37.5)
            {
                // Subnormal or zero: checked for sign and size only.
                Assert.True(Math.Min(phi, q) < 1e-300 && Math.Max(phi, q) == 1, $"Phi({z:R}) = {phi:R}, Q = {q:R}");
                continue;
            }
            var expectedPhi = MathNetLowerTail(z);
            var expectedQ = MathNetLowerTail(-z);
            Assert.True(Math.Abs(phi - expectedPhi) <= allowed * expectedPhi, $"Phi({z:R}): expected {expectedPhi:R} (MathNet), found {phi:R}, relative error {Math.Abs(phi - expectedPhi) / expectedPhi:G3} > {allowed:G3}");
            Assert.True(Math.Abs(q - expectedQ) <= allowed * expectedQ, $"Q({z:R}): expected {expectedQ:R} (MathNet), found {q:R}, relative error {Math.Abs(q - expectedQ) / expectedQ:G3} > {allowed:G3}");
            Assert.Equal(phi, SlotDistribution.StandardNormalCdf(z));
        }
        Assert.Equal(0, SlotDistribution.StandardNormalCdf(-50));
        Assert.Equal(1, SlotDistribution.StandardNormalCdf(double.PositiveInfinity));
        Assert.True(double.IsNaN(SlotDistribution.StandardNormalCdf(double.NaN)));
    }

    [Fact]
    public void NormalCdf_IsNonDecreasing_AndInvertsTheQuantile()
    {
        var previous = 0.0;
        for (var z = -38.0; z <= 9; z += 1e-3)
        {
            var p = SlotDistribution.StandardNormalCdf(z);
            Assert.True(p >= previous, $"Phi decreases at {z:R}: {p:R} < {previous:R}");
            previous = p;
        }
        // Round trip through both functions: Phi(Phi^-1(u)) = u to a few ulps (the quantile's slope amplifies nothing here).
        for (var e = 1.0; e <= 300; e += 0.5)
        {
            var u = Math.Pow(10, -e);
            Assert.Equal(1, SlotDistribution.StandardNormalCdf(SlotDistribution.StandardNormalQuantile(u)) / u, 1e-12 * (1 + e));
        }
    }
}
