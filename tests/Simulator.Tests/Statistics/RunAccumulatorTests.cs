using DistrictSim.Statistics;
using Xunit;
using static DistrictSim.Simulator.Tests.Statistics.StatisticsFixtures;

namespace DistrictSim.Simulator.Tests.Statistics;

public class RunAccumulatorTests
{
    [Fact]
    public void Merge_rejects_overlapping_paths_and_leaves_the_target_unchanged()
    {
        var a = new RunAccumulator(FiveMetrics);
        var b = new RunAccumulator(FiveMetrics);
        var data = PathData.Random(FiveMetrics, 200, new Random(1));
        RecordBlock(a, data, 0, 100);
        RecordBlock(b, data, 150, 50);
        RecordBlock(b, data, 99, 10); // overlaps a's [0, 100) at path 99

        var error = Assert.Throws<InvalidOperationException>(() => a.Merge(b));
        Assert.Contains("overlap", error.Message, StringComparison.Ordinal);
        Assert.Equal(100, a.PathCount);
        Assert.Single(a.Blocks);
    }

    [Fact]
    public void BeginBlock_rejects_a_range_already_recorded()
    {
        var a = new RunAccumulator(FiveMetrics);
        RecordBlock(a, PathData.Random(FiveMetrics, 10, new Random(2)), 0, 10);
        Assert.Throws<InvalidOperationException>(() => a.BeginBlock(5, 10));
    }

    [Fact]
    public void Paths_of_a_block_are_recorded_in_order()
    {
        var a = new RunAccumulator(FiveMetrics);
        a.BeginBlock(10, 2);
        Assert.Throws<ArgumentException>(() => a.RecordMetrics(11, new double[5]));
        a.RecordMetrics(10, new double[5]);
        a.RecordMetrics(11, new double[5]);
        Assert.Throws<ArgumentException>(() => a.RecordMetrics(12, new double[5]));
        Assert.Throws<ArgumentException>(() => a.RecordMetrics(12, new double[4]));
    }

    [Fact]
    public void Merge_and_build_refuse_an_open_block()
    {
        var a = new RunAccumulator(FiveMetrics);
        var b = new RunAccumulator(FiveMetrics);
        b.BeginBlock(0, 1);
        Assert.Throws<InvalidOperationException>(() => a.Merge(b));
        Assert.Throws<InvalidOperationException>(() => SummaryBuilder.Build(b, Context));
    }

    [Fact]
    public void Merge_refuses_a_different_layout()
    {
        var a = new RunAccumulator(FiveMetrics);
        var b = new RunAccumulator(AccumulatorLayout.Standard(2025, 3));
        Assert.Throws<ArgumentException>(() => a.Merge(b));
    }

    [Fact]
    public void Layouts_with_equal_fields_are_equal()
    {
        Assert.Equal(AccumulatorLayout.Standard(2025, 30), AccumulatorLayout.Standard(2025, 30));
        Assert.NotEqual(AccumulatorLayout.Standard(2025, 30), AccumulatorLayout.Standard(2026, 30));
        Assert.Equal(5, FiveMetrics.MetricCount);
        Assert.Equal(-1, FiveMetrics.IndexOfMetric(MetricNames.Llcr));
    }

    [Fact]
    public void EndBlock_of_a_partly_recorded_block_keeps_the_recorded_paths()
    {
        var a = new RunAccumulator(FiveMetrics);
        a.BeginBlock(0, 10);
        a.RecordMetrics(0, [1, 2, 3, 4, 5]);
        a.RecordMetrics(1, [6, 7, 8, 9, 10]);
        a.EndBlock();
        Assert.Equal(2, a.PathCount);
        Assert.Equal(2, a.Blocks[0].EndPath);
        Assert.Equal([6.0, 7, 8, 9, 10], a.Blocks[0].PathValues(1).ToArray());
    }

    [Fact]
    public void RelativeStandardError_over_a_prefix_and_refused_over_a_gap()
    {
        // npv 1, 3 on paths 0, 1: mean 2, std sqrt(2), standard error sqrt(2)/sqrt(2) = 1; relative 1 / 2.
        var a = NpvOnly(1, 3, 100);
        Assert.Equal(0.5, a.RelativeStandardError(MetricNames.Npv, 2), 15);

        var gapped = new RunAccumulator(a.Layout);
        gapped.BeginBlock(0, 2);
        gapped.RecordMetrics(0, [1]);
        gapped.RecordMetrics(1, [3]);
        gapped.EndBlock();
        gapped.BeginBlock(3, 1);
        gapped.RecordMetrics(3, [5]);
        gapped.EndBlock();
        Assert.Equal(2, gapped.PrefixRecorded());
        Assert.Throws<InvalidOperationException>(() => gapped.RelativeStandardError(MetricNames.Npv, 3));
        Assert.Throws<ArgumentException>(() => gapped.RelativeStandardError(MetricNames.Llcr, 1));
    }

    [Fact]
    public void RelativeStandardError_does_not_depend_on_how_the_prefix_was_recorded()
    {
        var data = PathData.Random(FiveMetrics, 500, new Random(3));
        var single = new RunAccumulator(FiveMetrics);
        RecordBlock(single, data, 0, 500);
        var left = new RunAccumulator(FiveMetrics);
        var right = new RunAccumulator(FiveMetrics);
        RecordBlock(right, data, 0, 123);
        RecordBlock(left, data, 123, 377);
        left.Merge(right);
        Assert.Equal(
            BitConverter.DoubleToInt64Bits(single.RelativeStandardError(MetricNames.Npv, 400)),
            BitConverter.DoubleToInt64Bits(left.RelativeStandardError(MetricNames.Npv, 400)));
    }

    [Fact]
    public void Recording_a_path_allocates_nothing()
    {
        var a = new RunAccumulator(FiveMetrics);
        var data = PathData.Random(FiveMetrics, 1, new Random(4));
        var metrics = data.Metrics(0).ToArray();
        var reserve = data.Bands(0, 0).ToArray();
        var dscr = data.Bands(0, 1).ToArray();
        a.BeginBlock(0, 2000);
        a.RecordBands(0, reserve); // first values size the sketches' stores
        a.RecordBands(1, dscr);
        a.RecordMetrics(0, metrics);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var path = 1; path < 2000; path++)
        {
            a.RecordBands(0, reserve);
            a.RecordBands(1, dscr);
            a.RecordMetrics(path, metrics);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        a.EndBlock();
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Serialised_state_restores_an_equal_summary()
    {
        // Blocks and sketch counts are the whole state: copy them into a fresh accumulator.
        var data = PathData.Random(FiveMetrics, 300, new Random(5));
        var original = new RunAccumulator(FiveMetrics);
        RecordBlock(original, data, 0, 170);
        RecordBlock(original, data, 170, 130);

        var restored = new RunAccumulator(FiveMetrics);
        foreach (var block in original.Blocks)
        {
            restored.AddBlock(new MetricBlock(block.FirstPath, block.Count, block.MetricCount, block.Values.ToArray()));
        }

        for (var s = 0; s < FiveMetrics.BandSeries.Count; s++)
        {
            for (var y = 0; y < FiveMetrics.Years; y++)
            {
                var sketch = original.BandSketch(s, y);
                restored.BandSketch(s, y).AddCounts(sketch.ZeroCount, sketch.Positive.FirstIndex, sketch.Positive.Counts, sketch.Negative.FirstIndex, sketch.Negative.Counts);
            }
        }

        SummaryAssert.BitIdentical(SummaryBuilder.Build(original, Context), SummaryBuilder.Build(restored, Context));
    }
}
