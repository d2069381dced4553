using System.Runtime.Intrinsics;
using DistrictSim.Finance;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace DistrictSim.Simulator.Tests.Engine;

/// <summary>
/// <see cref="Irr.ComputeMany"/>, which runs Halley's iteration for four rows at a time, gives for every row exactly
/// the bits <see cref="Irr.Compute"/> gives: on project-shaped rows (where the batched iteration is the path taken),
/// mixed with every case that leaves it (NaN and infinite flows, all zeros, two flows, no or several sign changes,
/// IRRs beyond the search interval) and with rows whose trimmed ranges differ.
/// </summary>
public sealed class IrrBatchProperties
{
    /// <summary>
    /// Capex in the first 1-4 years (after <paramref name="lead"/> zero years), then income with noise up to
    /// <paramref name="trail"/> zero years before the end; the income scale puts the IRR anywhere from below -99%
    /// to above 100%, and now and then a zero year or a late negative year (a second sign change) turns up.
    /// </summary>
    private static Gen<double[]> Project(int length, int lead, int trail) =>
        from capexYears in Gen.Choose(1, 4)
        from capex in Gen.Choose(100, 100_000).Select(c => c * 10.0)
        from scale in Gen.Frequency(
            (8, Gen.Choose(20, 200).Select(s => s / 1000.0)),
            (1, Gen.Elements(1e-7, 1e-4, 0.005, 0.01)),
            (1, Gen.Elements(0.8, 2.0, 30.0, 1e4)),
            (1, Gen.Elements(1e-315, 1e-303, 1e-290, 1e290, 1e303)))
        from noise in Gen.ArrayOf(Gen.Choose(-400, 400).Select(i => 1 + (i / 1000.0)), length)
        from holes in Gen.ArrayOf(Gen.Frequency((30, Gen.Constant(1.0)), (1, Gen.Constant(0.0)), (1, Gen.Constant(-3.0))), length)
        select Enumerable.Range(0, length).Select(t =>
            t < lead || t >= length - trail ? 0
            : t < lead + capexYears ? -capex * noise[t] / capexYears
            : capex * scale * noise[t] * holes[t]).ToArray();

    /// <summary>Any flows: zeros, both signs, large and small magnitudes, NaN and infinities.</summary>
    private static Gen<double[]> Anything(int length) => Gen.ArrayOf(
        Gen.Frequency(
            (6, Gen.Choose(-1_000_000, 1_000_000).Select(i => i / 7.0)),
            (3, Gen.Constant(0.0)),
            (1, Gen.Constant(-0.0)),
            (1, Gen.Choose(-9, 9).Select(e => Math.Pow(10, 3 * e))),
            (1, Gen.Elements(double.NaN, double.PositiveInfinity, double.NegativeInfinity))),
        length);

    /// <summary>Two non-zero flows of opposite sign among zeros (the closed form).</summary>
    private static Gen<double[]> TwoFlows(int length) =>
        from at in Gen.Choose(0, Math.Max(0, length - 2))
        from f0 in Gen.Choose(1, 1_000_000)
        from f1 in Gen.Choose(1, 3_000_000)
        select Enumerable.Range(0, length).Select(t => length < 2 ? 0 : t == at ? -f0 : t == at + 1 ? f1 : 0.0).ToArray();

    /// <summary>A batch: the row length, the row count (often 0, 1, 3, 5 or 64), and the rows one after another.</summary>
    private static Arbitrary<(int Length, int Count, double[] Flows)> Batches => Arb.From(
        from length in Gen.Frequency((4, Gen.Constant(30)), (3, Gen.Choose(3, 40)), (1, Gen.Choose(0, 2)), (1, Gen.Choose(60, 70)))
        from count in Gen.Frequency((3, Gen.Elements(0, 1, 3, 5, 64)), (3, Gen.Choose(0, 70)))
        from lead in Gen.Frequency((4, Gen.Constant(0)), (1, Gen.Choose(0, 3)))
        from trail in Gen.Frequency((4, Gen.Constant(0)), (1, Gen.Choose(0, 3)))
        from mixed in Gen.Elements(false, true)
        from rows in Gen.ArrayOf(
            Gen.Frequency(
                (mixed ? 6 : 30, Project(length, Math.Min(lead, length), Math.Min(trail, Math.Max(0, length - lead)))),
                (mixed ? 2 : 0, Gen.Choose(0, 3).SelectMany(l => Gen.Choose(0, 3).SelectMany(t => Project(length, Math.Min(l, length), Math.Min(t, Math.Max(0, length - l)))))),
                (1, Anything(length)),
                (1, TwoFlows(length)),
                (1, Gen.Constant(new double[length]))),
            count)
        select (length, count, rows.SelectMany(r => r).ToArray()));

    private static bool SameBits(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);

    [Property(MaxTest = 400)]
    public Property ComputeMany_GivesComputeOfEachRow_BitForBit() => Prop.ForAll(Batches, b =>
    {
        var (length, count, flows) = b;
        var irrs = new double[count + 1];
        irrs[count] = 12345; // past the batch: untouched
        Irr.ComputeMany(flows, length, count, irrs);
        for (var i = 0; i < count; i++)
        {
            var expected = Irr.Compute(flows.AsSpan(i * length, length));
            if (!SameBits(expected, irrs[i])) return false.Label($"row {i}: {irrs[i]:R}, Compute {expected:R}");
        }
        return (irrs[count] == 12345).Label("past the batch");
    });

    /// <summary>Money in or out: ordinary amounts, and now and then one near or past the ends of the normal range.</summary>
    private static Gen<double> Money => Gen.Frequency(
        (4, Gen.Choose(1, 1_000_000).Select(i => i * 10.0)),
        (1, from m in Gen.Choose(1, 1000) from e in Gen.Choose(-324, 308) select m * Math.Pow(10, e) / 100));

    /// <summary>Four lanes of guess sums (money in, out, and year-weighted): mean years 0-40 apart, sometimes equal.</summary>
    private static Arbitrary<double[]> GuessSums => Arb.From(
        Gen.ArrayOf(
            from pos in Money
            from neg in Money
            from meanPos in Gen.Choose(0, 4000).Select(t => t / 100.0)
            from meanNeg in Gen.Frequency((4, Gen.Choose(0, 4000).Select(t => t / 100.0)), (1, Gen.Constant(meanPos)))
            select new[] { pos, neg, pos * meanPos, neg * meanNeg },
            4).Select(lanes => Enumerable.Range(0, 4).SelectMany(s => lanes.Select(l => l[s]).Concat(new double[4])).ToArray()));

    [Property(MaxTest = 500)]
    public Property DurationGuess_FourLanes_IsTheScalarGuessOfEachLane_BitForBit() => Prop.ForAll(GuessSums, sums =>
    {
        // Laid out as in a group: pos at [0 .. 8), neg at [8 .. 16), tPos at [16 .. 24), tNeg at [24 .. 32); lanes 0-3.
        var guesses = Irr.DurationGuess(sums, 0);
        for (var j = 0; j < 4; j++)
        {
            var expected = Irr.DurationGuess(sums[j], sums[8 + j], sums[16 + j], sums[24 + j]);
            if (!SameBits(expected, guesses.GetElement(j))) return false.Label($"lane {j}: {guesses.GetElement(j):R}, scalar {expected:R}");
        }
        return true.ToProperty();
    });

    [Fact]
    public void ComputeMany_OnProjectBatches_TakesTheBatchedPath_AndMatchesCompute()
    {
        // 64 project rows of 30 years with IRRs of a few percent: sixteen groups of four through the batched iteration.
        var random = new Random(7);
        foreach (var count in new[] { 0, 1, 3, 4, 5, 63, 64 })
        {
            var flows = new double[count * 30];
            for (var i = 0; i < count; i++)
            {
                var capex = 1000 + (500 * random.NextDouble());
                for (var t = 0; t < 30; t++) flows[(i * 30) + t] = t < 2 ? -capex / 2 : capex * (0.05 + (0.04 * random.NextDouble()));
            }
            var irrs = new double[count];
            Irr.ComputeMany(flows, 30, count, irrs);
            for (var i = 0; i < count; i++)
            {
                var expected = Irr.Compute(flows.AsSpan(i * 30, 30));
                Assert.True(expected is > 0 and < 0.2, $"row {i}: IRR {expected}");
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(irrs[i]));
            }
        }
    }

    [Fact]
    public void ComputeMany_AllocatesNothing()
    {
        // The workers call it once a batch on several threads: scratch is on the stack.
        var random = new Random(3);
        var flows = new double[64 * 30];
        for (var i = 0; i < flows.Length; i++) flows[i] = i % 30 < 2 ? -500 : 60 * (1 + random.NextDouble());
        var irrs = new double[64];
        for (var i = 0; i < 3; i++) Irr.ComputeMany(flows, 30, 64, irrs);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Irr.ComputeMany(flows, 30, 64, irrs);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void ComputeMany_ChecksItsArguments()
    {
        var flows = new double[12];
        var irrs = new double[4];
        Assert.Throws<ArgumentOutOfRangeException>(() => Irr.ComputeMany(flows, -1, 1, irrs));
        Assert.Throws<ArgumentOutOfRangeException>(() => Irr.ComputeMany(flows, 3, -1, irrs));
        Assert.Throws<ArgumentException>(() => Irr.ComputeMany(flows, 4, 4, irrs));
        Assert.Throws<ArgumentException>(() => Irr.ComputeMany(flows, 3, 4, irrs.AsSpan(0, 3).ToArray()));
        Irr.ComputeMany(flows, 3, 4, irrs); // all-zero rows: no IRR
        Assert.All(irrs, r => Assert.True(double.IsNaN(r)));
    }
}
