using Xunit;
using DistrictSim.Model;
using DistrictSim.Sampling;
using MathNet.Numerics;
using Dist = MathNet.Numerics.Distributions;

namespace DistrictSim.Simulator.Tests.Sampling;

public class SlotDistributionTests
{
    private const int N = 20_000;

    /// <summary>A distribution with its exact mean and variance and MathNet's CDF, each written out from its formula.</summary>
    private sealed record Case(Distribution Distribution, double Mean, double Variance, Func<double, double> Cdf);

    private static Case CaseNamed(string name)
    {
        switch (name)
        {
            case "uniform":
                // (b - a)^2 / 12 = 16 / 12
                return new(new Model.Uniform(2, 6), 4, 16.0 / 12, x => new Dist.ContinuousUniform(2, 6).CumulativeDistribution(x));
            case "triangular":
                // (a^2 + b^2 + c^2 - ab - ac - bc) / 18 with a = 1, c = 2, b = 6: (1 + 36 + 4 - 6 - 2 - 12) / 18 = 21 / 18
                return new(new Model.Triangular(1, 2, 6), 3, 21.0 / 18, x => new Dist.Triangular(1, 6, 2).CumulativeDistribution(x));
            case "pert":
                {
                    // alpha = 1 + 4 (2 - 1) / 4 = 2, beta = 1 + 4 (5 - 2) / 4 = 4 on [1, 5]:
                    // mean 1 + 4 x 2/6 = 2.3333; variance 16 x (2 x 4) / (6^2 x 7) = 128 / 252
                    return new(new Pert(1, 2, 5), 1 + 4 * 2.0 / 6, 16 * 8.0 / (36 * 7), x => Dist.Beta.CDF(2, 4, (x - 1) / 4));
                }
            case "beta":
                // Beta(0.7, 2.5) on [10, 20]: mean 10 + 10 x 0.7 / 3.2; variance 100 x 0.7 x 2.5 / (3.2^2 x 4.2)
                return new(new Model.Beta(0.7, 2.5, 10, 20), 10 + 10 * 0.7 / 3.2, 100 * 0.7 * 2.5 / (3.2 * 3.2 * 4.2), x => Dist.Beta.CDF(0.7, 2.5, (x - 10) / 10));
            case "normal":
                return new(new Model.Normal(100, 15), 100, 225, x => Dist.Normal.CDF(100, 15, x));
            case "lognormal":
                // mean exp(mu + sigma^2 / 2); variance (exp(sigma^2) - 1) exp(2 mu + sigma^2)
                return new(new Model.LogNormal(1, 0.4), Math.Exp(1 + 0.08), (Math.Exp(0.16) - 1) * Math.Exp(2 + 0.16), x => Dist.LogNormal.CDF(1, 0.4, x));
            case "truncated-normal":
                {
                    // Normal(0.9, 0.1) on [0.6, 1]: a = -3, b = 1, Z = Phi(1) - Phi(-3);
                    // mean mu + sd (phi(a) - phi(b)) / Z; variance sd^2 [1 + (a phi(a) - b phi(b)) / Z - ((phi(a) - phi(b)) / Z)^2]
                    double a = -3, b = 1;
                    var z = Dist.Normal.CDF(0, 1, b) - Dist.Normal.CDF(0, 1, a);
                    var pa = Dist.Normal.PDF(0, 1, a);
                    var pb = Dist.Normal.PDF(0, 1, b);
                    var mean = 0.9 + 0.1 * (pa - pb) / z;
                    var variance = 0.01 * (1 + (a * pa - b * pb) / z - Math.Pow((pa - pb) / z, 2));
                    return new(new TruncatedNormal(0.9, 0.1, 0.6, 1), mean, variance,
                        x => x <= 0.6 ? 0 : x >= 1 ? 1 : (Dist.Normal.CDF(0.9, 0.1, x) - Dist.Normal.CDF(0, 1, a)) / z);
                }
            case "truncated-normal-far-tail":
                {
                    // Normal(0, 1) on [6, 7]: Phi(6) rounds near 1, so the sampler must use upper-tail probabilities.
                    double a = 6, b = 7;
                    var z = Dist.Normal.CDF(0, 1, -a) - Dist.Normal.CDF(0, 1, -b);
                    var pa = Dist.Normal.PDF(0, 1, a);
                    var pb = Dist.Normal.PDF(0, 1, b);
                    var mean = (pa - pb) / z;
                    var variance = 1 + (a * pa - b * pb) / z - Math.Pow((pa - pb) / z, 2);
                    return new(new TruncatedNormal(0, 1, 6, 7), mean, variance,
                        x => x <= 6 ? 0 : x >= 7 ? 1 : (Dist.Normal.CDF(0, 1, -a) - Dist.Normal.CDF(0, 1, -x)) / z);
                }
            case "discrete":
                {
                    // values 3, 1, 2 with weights 1, 2, 1 (unsorted on purpose): P(1) = 1/2, P(2) = 1/4, P(3) = 1/4
                    // mean 1/2 + 2/4 + 3/4 = 1.75; E[X^2] = 1/2 + 4/4 + 9/4 = 3.75; variance 3.75 - 1.75^2 = 0.6875
                    return new(new Discrete([3, 1, 2], [1, 2, 1]), 1.75, 0.6875, x => x < 1 ? 0 : x < 2 ? 0.5 : x < 3 ? 0.75 : 1);
                }
            case "discrete-equal":
                // equal weights over 10, 20, 30, 40: mean 25, variance 125
                return new(new Discrete([10, 20, 30, 40], []), 25, 125, x => Math.Clamp(Math.Floor(x / 10), 0, 4) / 4);
            case "yearly-event":
                // geometric on 1, 2, ...: mean 1 / p = 8, variance (1 - p) / p^2 = 0.875 / 0.015625 = 56
                return new(new YearlyEvent(0.125), 8, 56, x => x < 1 ? 0 : new Dist.Geometric(0.125).CumulativeDistribution(Math.Floor(x)));
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "no such case");
        }
    }

    private static double[] Draw(SlotDistribution distribution, int seed)
    {
        var xs = new double[N];
        for (var i = 0; i < N; i++) xs[i] = distribution.Quantile(CounterRng.Uniform((ulong)seed, i, 0));
        return xs;
    }

    [Theory]
    [InlineData("uniform")]
    [InlineData("triangular")]
    [InlineData("pert")]
    [InlineData("beta")]
    [InlineData("normal")]
    [InlineData("lognormal")]
    [InlineData("truncated-normal")]
    [InlineData("truncated-normal-far-tail")]
    [InlineData("discrete")]
    [InlineData("discrete-equal")]
    [InlineData("yearly-event")]
    public void Quantile_DrawsMatchTheExactMeanVarianceAndCdf(string name)
    {
        var c = CaseNamed(name);
        var slot = SlotDistribution.From(c.Distribution);
        var xs = Draw(slot, seed: 20240601);
        var (mean, variance, m4) = SampleStatistics.Moments(xs);

        // Mean: standard error sd / sqrt(n); 4 standard errors (two-sided p ~ 6e-5).
        var meanTolerance = 4 * Math.Sqrt(c.Variance / N);
        Assert.True(Math.Abs(mean - c.Mean) <= meanTolerance, $"{name}: expected mean {c.Mean}, found {mean} (tolerance {meanTolerance:G3})");
        Assert.Equal(c.Mean, slot.Mean, 1e-12);

        // Variance: large-sample sd of s^2 is sqrt((mu4 - sigma^4) / n), mu4 estimated from the sample; 5 sd.
        var varianceTolerance = 5 * Math.Sqrt(Math.Max(m4 - variance * variance, 0) / N);
        Assert.True(Math.Abs(variance - c.Variance) <= varianceTolerance, $"{name}: expected variance {c.Variance}, found {variance} (tolerance {varianceTolerance:G3})");

        // Kolmogorov-Smirnov against MathNet's CDF: critical 1.63 / sqrt(20,000) = 0.0115 at alpha = 1%.
        var d = SampleStatistics.KsDistance(xs, c.Cdf);
        Assert.True(d < SampleStatistics.KsCritical(N), $"{name}: KS distance {d:G4} exceeds {SampleStatistics.KsCritical(N):G4}");

        // The compiled CDF agrees with MathNet's too.
        foreach (var x in xs.Take(200)) Assert.Equal(c.Cdf(x), slot.Cdf(x), 1e-9);
    }

    [Fact]
    public void BetaTable_ErrorIsWithinTheStatedBoundAgainstMathNet()
    {
        // Shapes from U-shaped (0.5) to sharply peaked (30), PERT's range 1..5 included, on [0, 1];
        // u on a fine interior grid and on a log grid into both tails (1e-1 .. 1e-9).
        double[] shapes = [0.5, 0.8, 1, 1.7, 3, 5, 30];
        var points = new List<double>();
        for (var i = 0; i < 400; i++) points.Add((i + 0.37) / 400);
        for (var e = 1.0; e <= 9; e += 0.25)
        {
            points.Add(Math.Pow(10, -e));
            points.Add(1 - Math.Pow(10, -e));
        }
        foreach (var a in shapes)
        {
            foreach (var b in shapes)
            {
                var slot = SlotDistribution.From(new Model.Beta(a, b));
                foreach (var u in points)
                {
                    var mathNet = Dist.Beta.InvCDF(a, b, u);
                    // MathNet's root finder stops at |F(x) - u| ~ 1e-12, worth |F(x) - u| / f(x) in x:
                    // its own error is added to the bound, measured through MathNet's CDF and density.
                    var pdf = Dist.Beta.PDF(a, b, mathNet);
                    var mathNetError = Math.Abs(SpecialFunctions.BetaRegularized(a, b, mathNet) - u) / pdf;
                    var allowed = SlotDistribution.BetaTableMaxError + 2 * (double.IsFinite(mathNetError) ? mathNetError : 1) + 1e-15;
                    var found = slot.Quantile(u);
                    Assert.True(Math.Abs(found - mathNet) <= allowed,
                        $"Beta({a}, {b}) at u = {u:R}: expected {mathNet:R} (MathNet), found {found:R}, error {Math.Abs(found - mathNet):G3} > {allowed:G3}");
                }
            }
        }
    }

    [Fact]
    public void BetaTable_FromStandardNormal_ErrorIsWithinTheStatedBoundAgainstMathNet()
    {
        // A Gaussian copula's Beta member maps z to F^-1(Phi(z)) straight through the table in z (|z| <= 6) and the
        // exact tail solution beyond. Same shapes as the quantile's test; z every 0.0037 over [-7, 7] (off the node
        // grid) and the table's edges.
        double[] shapes = [0.5, 0.8, 1, 1.7, 3, 5, 30];
        var points = new List<double>();
        for (var z = -7.0; z <= 7; z += 0.0037) points.Add(z);
        points.AddRange([-6, 6, Math.BitDecrement(-6.0), Math.BitIncrement(6.0), -5.9999999, 5.9999999]);
        foreach (var a in shapes)
        {
            foreach (var b in shapes)
            {
                var slot = SlotDistribution.From(new Model.Beta(a, b));
                foreach (var z in points)
                {
                    // MathNet at the nearer of u = Phi(z) and 1 - u, so that the tail probability keeps its digits.
                    var lower = Dist.Normal.CDF(0, 1, z);
                    var upper = Dist.Normal.CDF(0, 1, -z);
                    var mathNet = z <= 0 ? Dist.Beta.InvCDF(a, b, lower) : 1 - Dist.Beta.InvCDF(b, a, upper);
                    var pdf = Dist.Beta.PDF(a, b, mathNet);
                    // MathNet's root finder stops at |F(x) - u| ~ 1e-12, and u itself is rounded: both are worth their
                    // size over the density in x.
                    var mathNetError = z <= 0
                        ? (Math.Abs(SpecialFunctions.BetaRegularized(a, b, mathNet) - lower) + 2.3e-16 * lower) / pdf
                        : (Math.Abs(SpecialFunctions.BetaRegularized(b, a, 1 - mathNet) - upper) + 2.3e-16 * upper) / pdf;
                    var allowed = SlotDistribution.BetaTableMaxError + 2 * (double.IsFinite(mathNetError) ? mathNetError : 1) + 1e-15;
                    var found = slot.FromStandardNormal(z);
                    Assert.True(Math.Abs(found - mathNet) <= allowed,
                        $"Beta({a}, {b}) at z = {z:R}: expected {mathNet:R} (MathNet), found {found:R}, error {Math.Abs(found - mathNet):G3} > {allowed:G3}");
                }
            }
        }
    }

    [Theory]
    [InlineData(0.1, 0.1)]
    [InlineData(0.15, 0.15)]
    [InlineData(0.2, 0.2)]
    [InlineData(0.1, 3)]
    public void BetaTable_HoldsTheStatedBound_ForUShapedBetasAtTheSmallestShapes(double a, double b)
    {
        // U-shaped Betas bend the quantile most in the middle (a table indexed by logit(u) missed the bound here, by up
        // to 10x at Beta(0.1, 0.1)); the table in z holds it. The reference is MathNet's inverse refined by Newton steps
        // on MathNet's CDF, its remaining error allowed for as in the test above.
        var slot = SlotDistribution.From(new Model.Beta(a, b));
        var lnBeta = SpecialFunctions.BetaLn(a, b);
        for (var i = 0; i < 2000; i++)
        {
            var u = (i + 0.41) / 2000;
            var x = Dist.Beta.InvCDF(a, b, u);
            for (var k = 0; k < 4; k++)
            {
                var pdf = Math.Exp((a - 1) * Math.Log(x) + (b - 1) * Math.Log(1 - x) - lnBeta);
                var next = x - (SpecialFunctions.BetaRegularized(a, b, x) - u) / pdf;
                if (next > 0 && next < 1) x = next;
            }
            var residual = Math.Abs(SpecialFunctions.BetaRegularized(a, b, x) - u) / Dist.Beta.PDF(a, b, x);
            var allowed = SlotDistribution.BetaTableMaxError + 2 * (double.IsFinite(residual) ? residual : 1) + 1e-15;
            var found = slot.Quantile(u);
            Assert.True(Math.Abs(found - x) <= allowed, $"Beta({a}, {b}) at u = {u:R}: expected {x:R}, found {found:R}, error {Math.Abs(found - x):G3} > {allowed:G3}");
        }
    }

    [Fact]
    public void BetaTable_TailsSolveTheCdfExactly()
    {
        // Beyond the table (u < 1e-9) the quantile is solved by Newton iteration: F(Q(u)) = u to ~1e-15 relative.
        var slot = SlotDistribution.From(new Model.Beta(2, 5));
        foreach (var u in new[] { 1e-10, 1e-13, 1e-16, CounterRng.Uniform(1, 1, 1) * 1e-12 })
        {
            var x = slot.Quantile(u);
            Assert.Equal(1, SpecialFunctions.BetaRegularized(2, 5, x) / u, 1e-9);
            var v = 1 - u;      // rounds: the upper tail probability is 1 - v, not u
            var upper = slot.Quantile(v);
            // 1 - F(x) loses digits near 1; the symmetric form I_{1-x}(5, 2) keeps them.
            Assert.Equal(1, SpecialFunctions.BetaRegularized(5, 2, 1 - upper) / (1 - v), 1e-6);
        }
    }

    [Fact]
    public void Pert_IsTheBetaWithShapesFromTheMode()
    {
        // PERT(0, 3, 10): alpha = 1 + 4 x 3/10 = 2.2, beta = 1 + 4 x 7/10 = 3.8 on [0, 10].
        var pert = SlotDistribution.From(new Pert(0, 3, 10));
        var beta = SlotDistribution.From(new Model.Beta(2.2, 3.8, 0, 10));
        for (var u = 0.01; u < 1; u += 0.01) Assert.Equal(beta.Quantile(u), pert.Quantile(u), 12);
    }

    [Theory]
    [InlineData(0.5, 0.2, 1)]     // ln(1 - 0.2) / ln(1 - 0.5) = 0.2231 / 0.6931 = 0.322 -> 0 + 1 = 1
    [InlineData(0.2, 0.5, 4)]     // ln(1 - 0.5) / ln(1 - 0.2) = 0.6931 / 0.2231 = 3.106 -> 3 + 1 = 4
    [InlineData(0.1, 0.95, 29)]   // ln(0.05) / ln(0.9) = 2.9957 / 0.10536 = 28.43 -> 28 + 1 = 29
    public void YearlyEvent_IsTheGeometricInverse(double p, double u, double expectedYear)
    {
        Assert.Equal(expectedYear, SlotDistribution.From(new YearlyEvent(p)).Quantile(u));
    }

    [Fact]
    public void YearlyEvent_ExtremeProbabilitiesAreDegenerate()
    {
        var never = SlotDistribution.From(new YearlyEvent(0));
        var always = SlotDistribution.From(new YearlyEvent(1));
        Assert.Equal(YearlyEvent.Never, never.Quantile(0.999));
        Assert.Equal(1, always.Quantile(0.999));
    }

    [Fact]
    public void FromStandardNormal_IsTheQuantileOfPhi()
    {
        foreach (var d in new Distribution[] { new Model.Normal(3, 2), new Model.LogNormal(0.5, 0.3), new Pert(1, 2, 9), new Model.Uniform(-1, 1) })
        {
            var slot = SlotDistribution.From(d);
            foreach (var z in new[] { -3.0, -1.2, 0, 0.4, 2.5 })
            {
                var expected = slot.Quantile(Dist.Normal.CDF(0, 1, z));
                Assert.True(Math.Abs(slot.FromStandardNormal(z) - expected) <= 1e-9 * Math.Max(1, Math.Abs(expected)), $"{d} at z = {z}: expected {expected}, found {slot.FromStandardNormal(z)}");
            }
        }
    }

    [Fact]
    public void From_RejectsProcessesAndInvalidParameters()
    {
        Assert.Contains("process", Assert.Throws<ArgumentException>(() => SlotDistribution.From(new RandomWalk(1, 0, 0.1))).Message);
        Assert.Contains("sd", Assert.Throws<ArgumentException>(() => SlotDistribution.From(new Model.Normal(1, -1))).Message);
        Assert.Contains("mode", Assert.Throws<ArgumentException>(() => SlotDistribution.From(new Triangular(1, 5, 3))).Message);
        Assert.Contains("weight", Assert.Throws<ArgumentException>(() => SlotDistribution.From(new Discrete([1, 2], [1]))).Message);
    }

    [Fact]
    public void Degenerate_ReturnsItsValueExactly()
    {
        var slot = SlotDistribution.From(new Fixed(0.1 + 0.2));
        Assert.True(slot.IsDegenerate);
        Assert.Equal(0.1 + 0.2, slot.Quantile(0.3));
        Assert.Equal(0.1 + 0.2, slot.FromStandardNormal(2));
    }

    [Theory]
    [InlineData(0.1, 0.1)]
    [InlineData(0.1, 1e4)]
    [InlineData(1e4, 0.1)]
    [InlineData(1e4, 1e4)]
    public void Beta_AtTheShapeLimits_GivesFiniteMonotoneQuantiles(double alpha, double beta)
    {
        // The loader and the sampler accept shapes in [0.1, 1e4]; there every quantile is a number in
        // [0, 1], non-decreasing in u, including u deep in both tails.
        var d = SlotDistribution.From(new Model.Beta(alpha, beta));
        var previous = 0.0;
        foreach (var u in new[] { 1e-15, 1e-12, 1e-9, 1e-6, 1e-3, 0.1, 0.3, 0.5, 0.7, 0.9, 1 - 1e-3, 1 - 1e-6, 1 - 1e-9, 1 - 1e-12 })
        {
            var x = d.Quantile(u);
            Assert.True(x >= 0 && x <= 1, $"Beta({alpha}, {beta}) quantile at {u} is {x}");
            Assert.True(x >= previous, $"Beta({alpha}, {beta}) quantile decreases at {u}: {x} < {previous}");
            previous = x;
        }
        var outside = alpha < 1 ? alpha / 2 : alpha * 2; // just beyond the limit: rejected with a message
        Assert.Throws<ArgumentException>(() => SlotDistribution.From(new Model.Beta(outside, beta)));
    }
}
