using DistrictSim.Statistics;
using FsCheck;
using FsCheck.Xunit;
using Xunit;

namespace DistrictSim.Simulator.Tests.Statistics;

public class PercentileTests
{
    [Theory]
    // numpy.percentile([1, 2, 3, 4], 25) = 1.75: h = (4 - 1) 0.25 = 0.75, so x[0] + 0.75 (x[1] - x[0]) = 1 + 0.75.
    [InlineData(0.25, 1.75)]
    // h = 1.5: 2 + 0.5 (3 - 2) = 2.5 (the median of an even count).
    [InlineData(0.50, 2.5)]
    // h = 2.25: 3 + 0.25 (4 - 3) = 3.25.
    [InlineData(0.75, 3.25)]
    // the ends are the extreme order statistics
    [InlineData(0.0, 1.0)]
    [InlineData(1.0, 4.0)]
    public void Type7_of_one_to_four_matches_numpy(double p, double expected)
    {
        Assert.Equal(expected, Percentile.Type7([1.0, 2.0, 3.0, 4.0], p));
    }

    [Fact]
    public void Type7_matches_excel_percentile_inc_example()
    {
        // Excel documentation, PERCENTILE.INC({1,3,2,4}, 0.3) = 1.9: sorted 1,2,3,4; h = 3 × 0.3 = 0.9; 1 + 0.9 × (2 - 1).
        Assert.Equal(1.9, Percentile.Type7([1.0, 2.0, 3.0, 4.0], 0.3), 12);
    }

    [Fact]
    public void Type7_of_one_value_is_that_value_and_of_none_is_NaN()
    {
        Assert.Equal(7.0, Percentile.Type7([7.0], 0.37));
        Assert.True(double.IsNaN(Percentile.Type7([], 0.5)));
    }

    [Fact]
    public void Type7_for_many_levels_agrees_with_one_level_at_a_time()
    {
        // sorted 10, 20, 30, 40, 50: P10 h = 0.4 → 14; P90 h = 3.6 → 46.
        double[] sorted = [10, 20, 30, 40, 50];
        var values = Percentile.Type7(sorted, [0.1, 0.5, 0.9]);
        Assert.Equal(14.0, values[0], 12);
        Assert.Equal(30.0, values[1]);
        Assert.Equal(46.0, values[2], 12);
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void Type7_rejects_a_level_outside_zero_one(double p)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Percentile.Type7([1.0, 2.0], p));
        Assert.Equal("p", error.ParamName);
    }

    [Property]
    public bool Type7_is_monotone_in_the_level_and_within_the_range(NormalFloat[] raw)
    {
        var sorted = raw.Select(x => x.Get).Order().ToArray();
        if (sorted.Length == 0)
        {
            return true;
        }

        var values = Percentile.Type7(sorted, Percentiles.Levels);
        for (var i = 1; i < values.Length; i++)
        {
            if (!(values[i - 1] <= values[i]))
            {
                return false;
            }
        }

        return values[0] >= sorted[0] && values[^1] <= sorted[^1];
    }

    [Property(MaxTest = 300)]
    public bool Selection_gives_the_same_type7_percentiles_as_a_full_sort(int[] raw, int duplicates)
    {
        // Integers with many repeats exercise the three-way partition; the result must equal sorting.
        var values = raw.Select(x => (double)(duplicates % 7 == 0 ? x % 5 : x)).Concat(Enumerable.Repeat(3.0, Math.Abs(duplicates % 40))).ToArray();
        var sorted = values.Order().ToArray();
        var expected = sorted.Length == 0 ? [.. Enumerable.Repeat(double.NaN, 9)] : Percentile.Type7(sorted, Percentiles.Levels);
        var actual = new double[Percentiles.Levels.Length];
        OrderStatistics.Type7(values, Percentiles.Levels, actual);
        return expected.Zip(actual).All(p => BitConverter.DoubleToInt64Bits(p.First) == BitConverter.DoubleToInt64Bits(p.Second));
    }

    [Fact]
    public void Selection_matches_a_sort_on_a_million_values()
    {
        var random = new Random(17);
        var values = Enumerable.Range(0, 1_000_000).Select(_ => random.NextDouble() * 100 - 50).ToArray();
        var expected = Percentile.Type7(values.Order().ToArray(), Percentiles.Levels);
        var actual = new double[Percentiles.Levels.Length];
        OrderStatistics.Type7(values, Percentiles.Levels, actual);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Bucketed_selection_matches_a_sort_with_ties_zeros_and_a_narrow_range(int kind)
    {
        // 40,000 values (above the radix threshold): mostly zeros of either sign; whole years; a narrow cluster; few
        // distinct values with a wide outlier. Given or found extremes must give the same values as sorting.
        var random = new Random(kind);
        var values = Enumerable.Range(0, 40_000).Select(i => kind switch
        {
            1 => i % 10 == 0 ? random.NextDouble() * 1e9 : (i % 3 == 0 ? -0.0 : 0.0),
            2 => 2030 + random.Next(30),
            3 => 1e8 + (random.NextDouble() * 1e-4),
            _ => i == 7 ? -1e300 : random.Next(3),
        }).ToArray();
        var expected = Percentile.Type7(values.Order().ToArray(), Percentiles.Levels);
        foreach (var extremes in new[] { false, true })
        {
            var copy = values.ToArray();
            var actual = new double[Percentiles.Levels.Length];
            if (extremes)
            {
                OrderStatistics.Type7(copy, Percentiles.Levels, actual, null, values.Min(), values.Max());
            }
            else
            {
                OrderStatistics.Type7(copy, Percentiles.Levels, actual);
            }

            Assert.Equal(expected, actual); // double.Equals: the sign of a zero may differ (see SelectByBuckets)
        }
    }
}
