using DistrictSim.Model;
using DistrictSim.Sampling;
using FsCheck.Xunit;
using Xunit;

namespace DistrictSim.Simulator.Tests.Sampling;

public class InputSamplerTests
{
    private static readonly SlotSpec[] Mixed =
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
    ];

    private static double[][] Run(InputSampler sampler)
    {
        var rows = new double[sampler.Paths][];
        for (var p = 0; p < sampler.Paths; p++)
        {
            rows[p] = new double[sampler.SlotCount];
            sampler.Fill(p, rows[p]);
        }
        return rows;
    }

    private static double[] Column(double[][] rows, int j) => rows.Select(r => r[j]).ToArray();

    /// <summary>Asserts that floor(F(x) N) takes every value 0..N-1 exactly once in the column.</summary>
    private static void AssertOneDrawPerStratum(InputSampler sampler, double[][] rows, int slot)
    {
        var n = (int)sampler.Paths;
        var counts = new int[n];
        var distribution = sampler.Distribution(slot);
        foreach (var row in rows)
        {
            var stratum = (int)Math.Floor(distribution.Cdf(row[slot]) * n);
            counts[Math.Clamp(stratum, 0, n - 1)]++;
        }
        for (var k = 0; k < n; k++)
        {
            Assert.True(counts[k] == 1, $"slot '{sampler.Slots[slot].Key}': expected one draw in stratum {k} = [{k}/{n}, {k + 1}/{n}), found {counts[k]}");
        }
    }

    [Fact]
    public void LatinHypercube_EveryContinuousSlotHasOneDrawPerStratum()
    {
        var sampler = new InputSampler(Mixed, [], seed: 11, paths: 1000, SamplingMethod.LatinHypercube);
        var rows = Run(sampler);
        // Every slot except the discrete yearly event (index 5: its CDF is a step) and the fixed tax rate (8).
        foreach (var j in new[] { 0, 1, 2, 3, 4, 6, 7 }) AssertOneDrawPerStratum(sampler, rows, j);
        Assert.All(rows, r => Assert.Equal(0.06, r[8]));
    }

    [Fact]
    public void LatinHypercube_StaysStratifiedUnderACopulaAndImanConover()
    {
        double[] matrix = [1, 0.7, -0.3, 0.7, 1, 0, -0.3, 0, 1];
        CorrelationGroup[] groups =
        [
            new([0, 1, 2], matrix, CorrelationMethod.GaussianCopula),
            new([3, 4, 6], matrix, CorrelationMethod.ImanConover),
        ];
        var sampler = new InputSampler(Mixed, groups, seed: 12, paths: 1000, SamplingMethod.LatinHypercube);
        var rows = Run(sampler);
        foreach (var j in new[] { 0, 1, 2, 3, 4, 6, 7 }) AssertOneDrawPerStratum(sampler, rows, j);
    }

    // Spearman's rho of a Gaussian copula with latent correlation rho is (6 / pi) asin(rho / 2):
    // rho = 0.7 gives 0.6829, rho = -0.4 gives -0.3848. The sd of a sample Spearman is below 1 / sqrt(n),
    // so 4 / sqrt(20,000) = 0.0283 is a 4-sd tolerance.
    [Theory]
    [InlineData(SamplingMethod.MonteCarlo)]
    [InlineData(SamplingMethod.LatinHypercube)]
    public void GaussianCopula_RankCorrelationMatchesTheLatentCorrelation(SamplingMethod method)
    {
        const int n = 20_000;
        double[] matrix = [1, 0.7, 0, 0.7, 1, -0.4, 0, -0.4, 1];
        var sampler = new InputSampler(Mixed, [new([0, 2, 3], matrix, CorrelationMethod.GaussianCopula)], seed: 7, paths: n, method);
        var rows = Run(sampler);
        var tolerance = 4 / Math.Sqrt(n);
        AssertSpearman(rows, 0, 2, 6 / Math.PI * Math.Asin(0.7 / 2), tolerance);
        AssertSpearman(rows, 2, 3, 6 / Math.PI * Math.Asin(-0.4 / 2), tolerance);
        AssertSpearman(rows, 0, 3, 0, tolerance); // the matrix sets 0 between the first and the third
        AssertSpearman(rows, 0, 1, 0, tolerance); // slot 1 is outside the group
    }

    [Theory]
    [InlineData(SamplingMethod.MonteCarlo)]
    [InlineData(SamplingMethod.LatinHypercube)]
    public void ImanConover_RankCorrelationMatchesTheTarget(SamplingMethod method)
    {
        // The target is a rank correlation; tolerance 4 / sqrt(20,000) = 0.0283 as above.
        const int n = 20_000;
        double[] matrix = [1, 0.6, -0.3, 0.6, 1, 0.2, -0.3, 0.2, 1];
        var sampler = new InputSampler(Mixed, [new([1, 4, 5], matrix, CorrelationMethod.ImanConover)], seed: 8, paths: n, method);
        var rows = Run(sampler);
        var tolerance = 4 / Math.Sqrt(n);
        AssertSpearman(rows, 1, 4, 0.6, tolerance);
        AssertSpearman(rows, 1, 5, -0.3, tolerance);
        AssertSpearman(rows, 4, 5, 0.2, tolerance);
    }

    [Fact]
    public void ImanConover_MonteCarloKeepsEachColumnsIndependentDraws()
    {
        // Iman-Conover only rearranges: the multiset of a slot's values is that of its N independent draws.
        double[] matrix = [1, 0.8, 0.8, 1];
        var plain = Run(new InputSampler(Mixed, [], seed: 9, paths: 500, SamplingMethod.MonteCarlo));
        var rearranged = Run(new InputSampler(Mixed, [new([0, 1], matrix, CorrelationMethod.ImanConover)], seed: 9, paths: 500, SamplingMethod.MonteCarlo));
        for (var j = 0; j < 2; j++)
        {
            var expected = Column(plain, j).Order().ToArray();
            Assert.Equal(expected, Column(rearranged, j).Order().ToArray());
        }
    }

    private static void AssertSpearman(double[][] rows, int a, int b, double expected, double tolerance)
    {
        var found = SampleStatistics.Spearman(Column(rows, a), Column(rows, b));
        Assert.True(Math.Abs(found - expected) <= tolerance, $"slots {a} and {b}: expected Spearman {expected:F4}, found {found:F4} (tolerance {tolerance:F4})");
    }

    [Fact]
    public void SlotKeys_GiveCommonRandomNumbersAcrossScenarios()
    {
        // Scenario B has the fee at another index, a different neighbour and another N: under Monte Carlo
        // the fee's draws for a path are the same, because the stream is keyed by the name.
        var a = new InputSampler(Mixed, [], seed: 5, paths: 100, SamplingMethod.MonteCarlo);
        var b = new InputSampler([new("other", new Model.Uniform(0, 1)), new("parking.fee", new Model.Normal(300, 30))], [], seed: 5, paths: 200, SamplingMethod.MonteCarlo);
        Span<double> va = stackalloc double[a.SlotCount];
        Span<double> vb = stackalloc double[b.SlotCount];
        for (var p = 0; p < 100; p++)
        {
            a.Fill(p, va);
            b.Fill(p, vb);
            Assert.Equal(va[1], vb[1]);
        }
    }

    [Fact]
    public void ManySlots_DrawnOneByOne_EqualTheSameSlotsDrawnInOneBatch()
    {
        // 300 slots (yearly processes take one slot a year) exceed the batch; those draws are made one by
        // one. Keyed streams make them equal, slot for slot, to a small sampler's batched draws, also
        // inside a Gaussian copula.
        SlotSpec Slot(int i) => new($"input.{i}", i % 3 == 0 ? new Model.Normal(0, 1) : new Model.Beta(2 + i % 5, 3));
        var many = Enumerable.Range(0, 300).Select(Slot).ToArray();
        var few = new[] { 0, 1, 2, 150, 299 }.Select(Slot).ToArray();
        double[] matrix = [1, 0.5, 0.5, 1];
        var large = new InputSampler(many, [new CorrelationGroup([1, 2], matrix, Model.CorrelationMethod.GaussianCopula)], seed: 8, paths: 50, SamplingMethod.MonteCarlo);
        var small = new InputSampler(few, [new CorrelationGroup([1, 2], matrix, Model.CorrelationMethod.GaussianCopula)], seed: 8, paths: 50, SamplingMethod.MonteCarlo);
        var vl = new double[large.SlotCount];
        var vs = new double[small.SlotCount];
        for (var p = 0; p < 50; p++)
        {
            large.Fill(p, vl);
            small.Fill(p, vs);
            Assert.Equal([vs[0], vs[1], vs[2], vs[3], vs[4]], new[] { vl[0], vl[1], vl[2], vl[150], vl[299] });
        }
    }

    [Fact]
    public void DegenerateSlots_ReturnExactlyTheirMean_EvenInsideAGroup()
    {
        SlotSpec[] slots = [new("a", new Model.Normal(1, 0.1)), new("b", new Model.Uniform(0.3, 0.3)), new("c", new Pert(2, 2, 2))];
        double[] matrix = [1, 0.5, 0.5, 0.5, 1, 0.5, 0.5, 0.5, 1];
        foreach (var method in new[] { SamplingMethod.MonteCarlo, SamplingMethod.LatinHypercube })
        {
            foreach (var how in new[] { CorrelationMethod.GaussianCopula, CorrelationMethod.ImanConover })
            {
                var sampler = new InputSampler(slots, [new([0, 1, 2], matrix, how)], seed: 3, paths: 50, method);
                foreach (var row in Run(sampler))
                {
                    Assert.Equal(0.3, row[1]);
                    Assert.Equal(2, row[2]);
                }
            }
        }
    }

    [Fact]
    public void Constructor_RejectsDuplicateKeysAndOverlappingGroups()
    {
        var duplicate = Assert.Throws<ArgumentException>(() => new InputSampler([new("x", new Fixed(1)), new("x", new Fixed(2))], [], 1, 10, SamplingMethod.MonteCarlo));
        Assert.Contains("'x'", duplicate.Message);
        double[] m = [1, 0, 0, 1];
        var overlap = Assert.Throws<ArgumentException>(() => new InputSampler(Mixed, [new([0, 1], m, CorrelationMethod.GaussianCopula), new([1, 2], m, CorrelationMethod.ImanConover)], 1, 10, SamplingMethod.MonteCarlo));
        Assert.Contains("'parking.fee'", overlap.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new InputSampler(Mixed, [], 1, 10, SamplingMethod.MonteCarlo).Fill(10, new double[Mixed.Length]));
    }

    // Determinism: one sampler per method, with every kind of slot (independent, copula, Iman-Conover, fixed).
    private static readonly CorrelationGroup[] DeterminismGroups =
    [
        new([0, 1, 2], [1, 0.5, 0.2, 0.5, 1, 0.1, 0.2, 0.1, 1], CorrelationMethod.GaussianCopula),
        new([3, 4], [1, -0.4, -0.4, 1], CorrelationMethod.ImanConover),
    ];

    private static readonly InputSampler[] Samplers =
    [
        new(Mixed, DeterminismGroups, seed: 99, paths: 300, SamplingMethod.MonteCarlo),
        new(Mixed, DeterminismGroups, seed: 99, paths: 300, SamplingMethod.LatinHypercube),
    ];

    private static readonly double[][][] Sequential = Samplers.Select(Run).ToArray();

    [Property(MaxTest = 30)]
    public bool Fill_IsTheSameWhateverTheOrderAndThread(int shuffleSeed, bool latinHypercube, bool rebuild)
    {
        var which = latinHypercube ? 1 : 0;
        // rebuild: a fresh sampler stands for another shard or process that compiles the same run.
        var sampler = rebuild
            ? new InputSampler(Mixed, DeterminismGroups, seed: 99, paths: 300, latinHypercube ? SamplingMethod.LatinHypercube : SamplingMethod.MonteCarlo)
            : Samplers[which];
        var order = Enumerable.Range(0, 300).ToArray();
        new Random(shuffleSeed).Shuffle(order);
        var rows = new double[300][];
        Parallel.ForEach(order, new ParallelOptions { MaxDegreeOfParallelism = 4 }, p =>
        {
            var row = new double[sampler.SlotCount];
            sampler.Fill(p, row);
            rows[p] = row;
        });
        for (var p = 0; p < 300; p++)
        {
            if (!rows[p].SequenceEqual(Sequential[which][p])) return false;
        }
        return true;
    }
}
