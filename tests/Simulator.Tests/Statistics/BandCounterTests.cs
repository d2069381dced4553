using DistrictSim.Statistics;
using FsCheck;
using FsCheck.Xunit;
using Xunit;

namespace DistrictSim.Simulator.Tests.Statistics;

/// <summary>
/// <see cref="BandCounter"/> keeps each series' rows (as slots) until <see cref="BandCounter.Batch"/> have come, then
/// counts them year by year: whatever the grouping (full and partial batches, series interleaved, reads and merges in
/// between), the sketches must hold the counts of adding every value to them one at a time.
/// </summary>
public class BandCounterTests
{
    // Signed zeros, magnitudes below, at and above the kept range, infinities, NaN, subnormals, huge finite values,
    // and a bucket's bounds.
    private static readonly double[] Special =
    [
        0.0, -0.0, 1e-12, -1e-12, 1e-9, -1e-9, Math.BitDecrement(1e-9), 1e18, -1e18, Math.BitIncrement(1e18), 3e20, -3e20,
        double.MaxValue, double.MinValue, double.PositiveInfinity, double.NegativeInfinity, double.NaN, -double.NaN,
        double.Epsilon, -double.Epsilon, 1.0, -1.0, Math.BitDecrement(1.0), 1.5, -2.0,
    ];

    [Property(MaxTest = 60)]
    public bool Rows_in_any_grouping_count_as_adding_each_value(NormalFloat[] raw, PositiveInt yearsSeed, PositiveInt rowsSeed, int seed)
    {
        // 1 to 40 years (the scalar path below four, vectors of four and eight and their overlapping ends), up to three
        // batches and a part, the series in random order, sketches read (folded) at random points.
        var years = (yearsSeed.Get % 40) + 1;
        var rows = rowsSeed.Get % ((3 * BandCounter.Batch) + 20);
        var random = new Random(seed);
        var values = raw.Select(x => x.Get).Concat(Special).ToArray();
        var layout = new AccumulatorLayout([new MetricDefinition(MetricNames.Npv, "yuan")], [BandNames.Reserve, BandNames.Cfads, BandNames.Dscr], 2025, years);
        var accumulator = new RunAccumulator(layout);
        var expected = Enumerable.Range(0, 3 * years).Select(_ => new LogBucketSketch()).ToArray();
        accumulator.BeginBlock(0, Math.Max(1, rows));
        var row = new double[years];
        var next = random.Next(values.Length);
        for (var r = 0; r < rows; r++)
        {
            foreach (var series in Enumerable.Range(0, 3).Where(_ => random.Next(4) != 0).OrderBy(_ => random.Next()))
            {
                for (var y = 0; y < years; y++)
                {
                    row[y] = values[next++ % values.Length];
                    expected[(series * years) + y].Add(row[y]);
                }

                accumulator.RecordBands(series, row);
            }

            if (random.Next(50) == 0)
            {
                accumulator.BandSketch(random.Next(3), random.Next(years)); // folds every sketch, waiting rows included
            }

            accumulator.RecordMetrics(r, [0.0]);
        }

        accumulator.EndBlock();
        return Enumerable.Range(0, expected.Length).All(k => SameCounts(accumulator.BandSketch(k / years, k % years), expected[k]));
    }

    [Fact]
    public void Waiting_rows_are_counted_when_merged_and_the_source_goes_on_counting()
    {
        // 100 rows of one series (a batch counted, 36 waiting) and 5 of the other, merged; then more rows in the source.
        var layout = new AccumulatorLayout([new MetricDefinition(MetricNames.Npv, "yuan")], [BandNames.Reserve, BandNames.Dscr], 2025, 30);
        var source = new RunAccumulator(layout);
        var target = new RunAccumulator(layout);
        var expected = Enumerable.Range(0, 2 * 30).Select(_ => new LogBucketSketch()).ToArray();
        var row = new double[30];
        void Record(RunAccumulator accumulator, int series, int seed, bool count)
        {
            for (var y = 0; y < row.Length; y++)
            {
                row[y] = Special[(seed + y) % Special.Length] * (seed % 3 == 0 ? 1 : 1000.5 * seed);
                if (count) expected[(series * 30) + y].Add(row[y]);
            }

            accumulator.RecordBands(series, row);
        }

        source.BeginBlock(0, 100);
        for (var p = 0; p < 100; p++)
        {
            Record(source, 0, p, count: true);
            if (p < 5) Record(source, 1, p + 7, count: true);
            source.RecordMetrics(p, [p]);
        }

        source.EndBlock();
        target.Merge(source);
        for (var k = 0; k < expected.Length; k++)
        {
            Assert.True(SameCounts(target.BandSketch(k / 30, k % 30), expected[k]), $"sketch {k} after the merge");
        }

        // The source's waiting rows were counted into its sketches by the merge, once: recording on adds to them.
        source.BeginBlock(100, 70);
        for (var p = 100; p < 170; p++)
        {
            Record(source, 1, p, count: true);
            source.RecordMetrics(p, [p]);
        }

        source.EndBlock();
        for (var k = 0; k < expected.Length; k++)
        {
            Assert.True(SameCounts(source.BandSketch(k / 30, k % 30), expected[k]), $"sketch {k} of the source");
        }
    }

    [Fact]
    public void A_row_of_the_wrong_length_or_series_is_refused()
    {
        var counter = new BandCounter(2, 30);
        var error = Assert.Throws<ArgumentException>(() => counter.AddRow(0, new double[29]));
        Assert.Contains("30 values", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => counter.AddRow(2, new double[30]));
        Assert.Throws<ArgumentOutOfRangeException>(() => counter.AddRow(-1, new double[30]));
        Assert.Equal(0, counter.SinceFold);
    }

    private static bool SameCounts(LogBucketSketch actual, LogBucketSketch expected) =>
        actual.Count == expected.Count && actual.ZeroCount == expected.ZeroCount
        && Buckets(actual.Positive).SequenceEqual(Buckets(expected.Positive))
        && Buckets(actual.Negative).SequenceEqual(Buckets(expected.Negative));

    // The nonzero buckets of a store, in index order (stores may span different ranges).
    private static IEnumerable<(int Index, long Count)> Buckets(BucketStore store)
    {
        var first = store.FirstIndex;
        return store.Counts.ToArray().Select((count, i) => (Index: first + i, Count: count)).Where(b => b.Count != 0).ToList();
    }
}
