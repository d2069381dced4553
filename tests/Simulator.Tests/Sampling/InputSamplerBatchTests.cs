using DistrictSim.Compilation;
using DistrictSim.Model;
using DistrictSim.MonteCarlo;
using DistrictSim.Sampling;
using DistrictSim.Simulator.Tests.Reference;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace DistrictSim.Simulator.Tests.Sampling;

/// <summary><see cref="InputSampler.FillBatch"/> writes, bit for bit, what <see cref="InputSampler.Fill"/> writes path by path.</summary>
public class InputSamplerBatchTests
{
    // Every distribution kind, a degenerate one among them.
    private static readonly SlotSpec[] AllKinds =
    [
        new("parking.occupancy", new Model.Beta(8, 2)),
        new("parking.fee", new Model.Normal(300, 30)),
        new("capex.overrun", new Pert(0.95, 1.05, 1.4)),
        new("lease.rent", new Model.LogNormal(1.2, 0.2)),
        new("lease.occupancy", new Model.Triangular(0.6, 0.85, 0.95)),
        new("ops.default_year", new YearlyEvent(0.08)),
        new("fee.collection", new TruncatedNormal(0.8, 0.1, 0.5, 1)),
        new("rate.shock", new Model.Uniform(-0.01, 0.01)),
        new("tax.rate", new Fixed(0.06)),
        new("units.sold", new Discrete([10, 20, 35], [0.2, 0.5, 0.3])),
        new("ev.utilisation", new Model.Triangular(0.05, 0.1, 0.2)),
        new("shop.occupancy", new Model.Beta(0.3, 0.4, 0, 1)),
        new("growth", new TruncatedNormal(0.02, 0.01, 0.025, 0.1)), // the upper-tail form
    ];

    private static readonly double[] Three = [1, 0.6, 0.6, 0.6, 1, 0.6, 0.6, 0.6, 1];
    private static readonly double[] Four = [1, 0.5, 0.2, -0.3, 0.5, 1, 0.1, 0, 0.2, 0.1, 1, 0.4, -0.3, 0, 0.4, 1];

    // Groups: none; a three-member copula (its unrolled form) with every marginal it maps specially; a four-member
    // copula (the general form) holding a fixed slot, a two-member one; Iman-Conover (ranked or sourced slots).
    private static readonly CorrelationGroup[][] Groupings =
    [
        [],
        [new([0, 4, 3], Three, CorrelationMethod.GaussianCopula), new([1, 2], [1, -0.7, -0.7, 1], CorrelationMethod.GaussianCopula)],
        [new([5, 8, 6, 11], Four, CorrelationMethod.GaussianCopula), new([9, 10, 12], Three, CorrelationMethod.GaussianCopula)],
        [new([0, 1, 7], Three, CorrelationMethod.ImanConover), new([4, 3, 2], Three, CorrelationMethod.GaussianCopula)],
    ];

    private static readonly CompiledDistrict Reference = DistrictCompiler.Compile(ReferenceDistrictModel.Build());

    private static InputSampler Build(int which, ulong seed, long paths, SamplingMethod method) =>
        which < Groupings.Length
            ? new InputSampler(AllKinds, Groupings[which], seed, paths, method)
            : MonteCarloEngine.CreateSampler(Reference, new RunOptions { Seed = seed, Paths = paths, Sampling = method });

    private static bool SameBits(InputSampler sampler, long first, int count)
    {
        var width = sampler.SlotCount;
        var batch = new double[count * width + 1];
        batch[^1] = 12345; // nothing written past the batch
        sampler.FillBatch(first, count, batch);
        var row = new double[width];
        for (var k = 0; k < count; k++)
        {
            sampler.Fill(first + k, row);
            for (var j = 0; j < width; j++)
            {
                if (BitConverter.DoubleToInt64Bits(row[j]) != BitConverter.DoubleToInt64Bits(batch[k * width + j])) return false;
            }
        }
        return batch[^1] == 12345;
    }

    [Property(MaxTest = 200)]
    public Property FillBatch_EqualsFillPathByPath()
    {
        var gen =
            from which in Gen.Choose(0, Groupings.Length) // the last is the reference district
            from seed in ArbMap.Default.GeneratorFor<ulong>()
            from paths in Gen.Choose(1, 400)
            from first in Gen.Choose(0, paths - 1)
            from toEnd in Gen.Elements(false, true)
            from count in toEnd ? Gen.Constant(paths - first) : Gen.Choose(0, paths - first)
            from lhs in Gen.Elements(false, true)
            select (which, seed, paths, first, count, lhs);
        return Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var sampler = Build(c.which, c.seed, c.paths, c.lhs ? SamplingMethod.LatinHypercube : SamplingMethod.MonteCarlo);
            return SameBits(sampler, c.first, c.count);
        });
    }

    [Theory]
    [InlineData(0, SamplingMethod.MonteCarlo)]
    [InlineData(3, SamplingMethod.MonteCarlo)]
    [InlineData(4, SamplingMethod.MonteCarlo)]
    [InlineData(4, SamplingMethod.LatinHypercube)]
    public void FillBatch_OfAWholeRunInOneCall_EqualsFill(int which, SamplingMethod method)
    {
        // Counts above the sampler's internal batch of 64, paths past 2^32 (the counter's high word changes inside a batch).
        Assert.True(SameBits(Build(which, 2024, 1_000, method), 0, 1_000));
        if (method == SamplingMethod.MonteCarlo && which != 3) // Iman-Conover ranks at most 2^31 - 1 paths
        {
            var large = Build(which, 7, (1L << 32) + 500, method);
            Assert.True(SameBits(large, (1L << 32) - 37, 300));
        }
    }

    [Fact]
    public void FillBatch_ChecksItsArguments()
    {
        var sampler = Build(1, 1, 100, SamplingMethod.MonteCarlo);
        var values = new double[100 * sampler.SlotCount];
        Assert.Throws<ArgumentOutOfRangeException>(() => sampler.FillBatch(-1, 1, values));
        Assert.Throws<ArgumentOutOfRangeException>(() => sampler.FillBatch(0, -1, values));
        Assert.Throws<ArgumentOutOfRangeException>(() => sampler.FillBatch(99, 2, values));
        Assert.Throws<ArgumentOutOfRangeException>(() => sampler.FillBatch(100, 1, values));
        Assert.Throws<ArgumentException>(() => sampler.FillBatch(0, 3, new double[3 * sampler.SlotCount - 1]));
        sampler.FillBatch(100, 0, []); // an empty batch at the end is fine
        sampler.FillBatch(0, 100, values);
    }

    // The batched marginals on their own, at inputs a run rarely draws: the tails beyond the Beta table (|z| > 6),
    // u next to 0 and 1, the Triangular mode, infinities and NaN.
    private static readonly double[] SpecialScores =
        [-40, -8, -6.000001, -6, -5.999, -0.5, 0, -0.0, 1e-300, 0.7, 5.9999, 6, 6.0000001, 9, 38, double.NaN, double.NegativeInfinity, double.PositiveInfinity];

    [Property(MaxTest = 200)]
    public Property BatchedMarginals_EqualTheScalarOnes()
    {
        var level = Gen.OneOf(
            Gen.Choose(1, 999_999).Select(i => i / 1e6),
            Gen.Elements(double.Epsilon, 1e-300, 1e-12, 0.075, 0.5, 0.925, 1 - 1e-12, Math.BitDecrement(1.0), 0.25, 0.7));
        var score = Gen.OneOf(Gen.Choose(-700_000, 700_000).Select(i => i / 1e5), Gen.Elements(SpecialScores));
        var gen =
            from slot in Gen.Choose(0, AllKinds.Length - 1)
            from n in Gen.Choose(0, 23)
            from u in level.ArrayOf(n)
            from z in score.ArrayOf(n)
            select (slot, u, z);
        return Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var d = SlotDistribution.From(AllKinds[c.slot].Distribution);
            var n = c.u.Length;
            var quantiles = new double[n];
            var fromScores = new double[n];
            var fromNormals = (double[])c.z.Clone(); // in place, as the copula does
            d.Quantiles(c.u, quantiles);
            var scores = new double[n];
            SlotDistribution.StandardNormalQuantiles(c.u, scores);
            if (d.IsNormalScored) d.FromNormalScores(scores, c.u, fromScores);
            d.FromStandardNormals(fromNormals, fromNormals);
            for (var i = 0; i < n; i++)
            {
                if (!Same(d.Quantile(c.u[i]), quantiles[i])) return false;
                if (d.IsNormalScored && !Same(d.FromNormalScore(scores[i], c.u[i]), fromScores[i])) return false;
                if (!Same(d.FromStandardNormal(c.z[i]), fromNormals[i])) return false;
            }
            return true;
        });
    }

    private static bool Same(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);
}
