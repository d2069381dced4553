using DistrictSim.Statistics;
using FsCheck;
using FsCheck.Xunit;
using Xunit;
using static DistrictSim.Simulator.Tests.Statistics.StatisticsFixtures;

namespace DistrictSim.Simulator.Tests.Statistics;

/// <summary>
/// Guards the hard requirement: the summary is bit-identical whatever the thread count, block order,
/// shard boundaries and merge order.
/// </summary>
public class MergeDeterminismTests
{
    [Property(MaxTest = 100)]
    public void Merged_summary_equals_single_accumulator_summary_for_FsCheck_values(NormalFloat[] raw, PositiveInt blockSize, int seed)
    {
        // Metric and band values cycle through the generated doubles; every seventh generated value (index 3 mod 7) is NaN (undefined).
        var layout = FiveMetrics;
        var paths = raw.Length;
        var values = raw.Select((x, i) => i % 7 == 3 ? double.NaN : x.Get).ToArray();
        var metrics = new double[paths * layout.MetricCount];
        var bands = new double[paths * layout.BandSeries.Count * layout.Years];
        for (var i = 0; i < metrics.Length; i++)
        {
            metrics[i] = paths == 0 ? 0 : values[(i * 31) % paths];
        }

        for (var i = 0; i < bands.Length; i++)
        {
            bands[i] = paths == 0 ? 0 : values[(i * 17) % paths];
        }

        AssertMergedEqualsSingle(new PathData(layout, metrics, bands), blockSize.Get, new Random(seed));
    }

    [Theory]
    [InlineData(1, 12_345)]
    [InlineData(2, 4_096)]
    [InlineData(3, 777)]
    public void Merged_summary_equals_single_accumulator_summary_across_convergence_checkpoints(int seed, int paths)
    {
        var random = new Random(seed);
        var data = PathData.Random(FiveMetrics, paths, random);
        for (var trial = 0; trial < 3; trial++)
        {
            AssertMergedEqualsSingle(data, 4096, random);
        }
    }

    [Property(MaxTest = 50)]
    public bool Overlapping_shards_are_rejected(PositiveInt firstLength, PositiveInt secondStart, PositiveInt secondLength)
    {
        var data = PathData.Random(FiveMetrics, 1, new Random(0));
        var a = new RunAccumulator(FiveMetrics);
        var b = new RunAccumulator(FiveMetrics);
        var aLength = (firstLength.Get % 50) + 1;
        var bStart = secondStart.Get % 60;
        var bLength = (secondLength.Get % 50) + 1;
        RecordConstant(a, data, 0, aLength);
        RecordConstant(b, data, bStart, bLength);
        var overlaps = bStart < aLength;
        try
        {
            a.Merge(b);
            return !overlaps && a.PathCount == aLength + bLength;
        }
        catch (InvalidOperationException)
        {
            return overlaps && a.PathCount == aLength;
        }
    }

    [Property(MaxTest = 100)]
    public bool Percentiles_are_ordered_and_within_the_range(NormalFloat[] raw)
    {
        var summary = SummaryBuilder.Build(NpvOnly([.. raw.Select(x => x.Get)]), Context);
        var npv = summary.Metrics[MetricNames.Npv];
        if (npv.Defined == 0)
        {
            return true;
        }

        var p = SummaryAssert.PercentileValues(npv.Percentiles);
        return npv.Min <= p[0] && p[^1] <= npv.Max && p.Zip(p.Skip(1)).All(pair => pair.First <= pair.Second);
    }

    private static void RecordConstant(RunAccumulator accumulator, PathData onePath, long first, int count)
    {
        accumulator.BeginBlock(first, count);
        for (var path = first; path < first + count; path++)
        {
            accumulator.RecordMetrics(path, onePath.Metrics(0));
        }

        accumulator.EndBlock();
    }

    /// <summary>
    /// One accumulator recording every path in order, against: random block boundaries, blocks dealt to
    /// 1-5 workers and recorded in shuffled order, and the workers merged in a random tree.
    /// </summary>
    private static void AssertMergedEqualsSingle(PathData data, int singleBlockSize, Random random)
    {
        var layout = FiveMetrics;
        var paths = (int)data.Paths;
        var single = new RunAccumulator(layout);
        for (var first = 0; first < paths; first += singleBlockSize)
        {
            RecordBlock(single, data, first, Math.Min(singleBlockSize, paths - first));
        }

        var blocks = new List<(int First, int Count)>();
        for (var first = 0; first < paths;)
        {
            var count = Math.Min(paths - first, 1 + random.Next(Math.Max(1, paths / 3)));
            blocks.Add((first, count));
            first += count;
        }

        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(blocks));
        var workers = Enumerable.Range(0, 1 + random.Next(5)).Select(_ => new RunAccumulator(layout)).ToList();
        foreach (var (first, count) in blocks)
        {
            RecordBlock(workers[random.Next(workers.Count)], data, first, count);
        }

        while (workers.Count > 1)
        {
            var from = random.Next(workers.Count);
            var source = workers[from];
            workers.RemoveAt(from);
            workers[random.Next(workers.Count)].Merge(source);
        }

        Assert.Equal(paths, workers[0].PathCount);
        var context = Context with { ElapsedSeconds = 0 };
        SummaryAssert.BitIdentical(SummaryBuilder.Build(single, context), SummaryBuilder.Build(workers[0], context with { ElapsedSeconds = 99 }));
    }
}
