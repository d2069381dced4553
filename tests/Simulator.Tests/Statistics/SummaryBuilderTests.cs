using DistrictSim.Statistics;
using Xunit;
using static DistrictSim.Simulator.Tests.Statistics.StatisticsFixtures;

namespace DistrictSim.Simulator.Tests.Statistics;

public class SummaryBuilderTests
{
    [Fact]
    public void Mean_std_and_standard_error_of_a_worked_example()
    {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 40 / 8 = 5; squared deviations 9 + 1 + 1 + 1 + 0 + 0 + 4 + 16 = 32;
        // sample variance 32 / 7; std sqrt(32 / 7) = 2.13809...; standard error std / sqrt(8) = 0.75593...
        var summary = SummaryBuilder.Build(NpvOnly(2, 4, 4, 4, 5, 5, 7, 9), Context);
        var npv = summary.Metrics[MetricNames.Npv];
        Assert.Equal(8, npv.Defined);
        Assert.Equal(0, npv.Undefined);
        Assert.Equal(5.0, npv.Mean);
        Assert.Equal(Math.Sqrt(32.0 / 7.0), npv.Std, 14);
        Assert.Equal(Math.Sqrt(32.0 / 7.0) / Math.Sqrt(8.0), npv.StandardError, 14);
        Assert.Equal(2.0, npv.Min);
        Assert.Equal(9.0, npv.Max);
        // P50: h = 7 × 0.5 = 3.5 → 4 + 0.5 (5 - 4) = 4.5; P25: h = 1.75 → 4; P75: h = 5.25 → 5 + 0.25 × 2 = 5.5.
        Assert.Equal(4.5, npv.Percentiles.P50);
        Assert.Equal(4.0, npv.Percentiles.P25);
        Assert.Equal(5.5, npv.Percentiles.P75);
    }

    [Fact]
    public void Undefined_values_are_counted_and_never_averaged()
    {
        // Defined 1, 3 (mean 2, std sqrt(2)); two NaN paths are counted as undefined.
        var summary = SummaryBuilder.Build(NpvOnly(1, double.NaN, 3, double.NaN), Context);
        var npv = summary.Metrics[MetricNames.Npv];
        Assert.Equal(4, summary.Paths);
        Assert.Equal(2, npv.Defined);
        Assert.Equal(2, npv.Undefined);
        Assert.Equal(2.0, npv.Mean);
        Assert.Equal(Math.Sqrt(2.0), npv.Std, 15);
        Assert.Equal(2.0, npv.Percentiles.P50);
        Assert.Equal(2, npv.Histogram.Counts.Sum());
    }

    [Fact]
    public void A_metric_never_defined_has_NaN_statistics_and_an_empty_histogram()
    {
        var npv = SummaryBuilder.Build(NpvOnly(double.NaN, double.NaN), Context).Metrics[MetricNames.Npv];
        Assert.Equal(0, npv.Defined);
        Assert.Equal(2, npv.Undefined);
        Assert.All(new[] { npv.Mean, npv.Std, npv.StandardError, npv.Min, npv.Max }, x => Assert.True(double.IsNaN(x)));
        Assert.All(SummaryAssert.PercentileValues(npv.Percentiles), x => Assert.True(double.IsNaN(x)));
        Assert.Empty(npv.Histogram.Counts);
    }

    [Fact]
    public void One_defined_value_has_a_mean_but_no_std()
    {
        var npv = SummaryBuilder.Build(NpvOnly(3.5), Context).Metrics[MetricNames.Npv];
        Assert.Equal(3.5, npv.Mean);
        Assert.True(double.IsNaN(npv.Std));
        Assert.True(double.IsNaN(npv.StandardError));
        Assert.Equal(3.5, npv.Percentiles.P1);
    }

    [Fact]
    public void Histogram_of_zero_to_ten_in_five_bins()
    {
        // width (10 - 0) / 5 = 2; edges 0 2 4 6 8 10; bins [0,2) [2,4) [4,6) [6,8) [8,10] (the last includes 10).
        double[] sorted = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        var histogram = SummaryBuilder.BuildHistogram(sorted, bins: 5);
        Assert.Equal([0.0, 2, 4, 6, 8, 10], histogram.Edges);
        Assert.Equal([2L, 2, 2, 2, 3], histogram.Counts);
    }

    [Fact]
    public void Histogram_spanning_the_whole_double_range_keeps_finite_ordered_edges()
    {
        // max - min overflows to infinity here; the edges must still be finite and ascending.
        double[] sorted = [-1e308, 0, 1e308];
        var histogram = SummaryBuilder.BuildHistogram(sorted, bins: 4);
        Assert.All(histogram.Edges, e => Assert.True(double.IsFinite(e)));
        Assert.Equal(histogram.Edges.Order(), histogram.Edges);
        Assert.Equal([1L, 0, 1, 1], histogram.Counts);
    }

    [Fact]
    public void Histogram_of_equal_values_is_one_bin()
    {
        var histogram = SummaryBuilder.Build(NpvOnly(4, 4, 4), Context).Metrics[MetricNames.Npv].Histogram;
        Assert.Equal([4.0, 4.0], histogram.Edges);
        Assert.Equal([3L], histogram.Counts);
    }

    [Fact]
    public void Summary_histogram_has_forty_bins_covering_every_defined_value()
    {
        var values = Enumerable.Range(0, 1000).Select(i => Math.Sin(i) * 100).ToArray();
        var histogram = SummaryBuilder.Build(NpvOnly(values), Context).Metrics[MetricNames.Npv].Histogram;
        Assert.Equal(40, histogram.Counts.Count);
        Assert.Equal(41, histogram.Edges.Count);
        Assert.Equal(1000, histogram.Counts.Sum());
        Assert.Equal(values.Min(), histogram.Edges[0]);
        Assert.Equal(values.Max(), histogram.Edges[^1]);
    }

    [Fact]
    public void Probabilities_of_a_worked_example()
    {
        // path  npv  coverage  payback  topup  first shortfall
        //   0   -10    1.0      never     50     2030
        //   1    20    1.2      2035       0     none
        //   2    30    none     2032       0     none
        //   3    -5    1.1      never    150     2031
        var nan = double.NaN;
        var accumulator = new RunAccumulator(FiveMetrics);
        accumulator.BeginBlock(0, 4);
        accumulator.RecordMetrics(0, [-10, 1.0, nan, 50, 2030]);
        accumulator.RecordMetrics(1, [20, 1.2, 2035, 0, nan]);
        accumulator.RecordMetrics(2, [30, nan, 2032, 0, nan]);
        accumulator.RecordMetrics(3, [-5, 1.1, nan, 150, 2031]);
        accumulator.EndBlock();

        var p = SummaryBuilder.Build(accumulator, Context).Probabilities;
        // coverage strictly below 1.2: paths 0 and 3 (1.2 is not below; no debt service is not below) → 2 / 4.
        Assert.Equal(0.5, p.CoverageBelowRequirement);
        // a shortfall year on paths 0 and 3 → 2 / 4; never pays back on paths 0 and 3 → 2 / 4; NPV < 0 on 0 and 3.
        Assert.Equal(0.5, p.AnyShortfall);
        Assert.Equal(0.5, p.NeverPaysBack);
        Assert.Equal(0.5, p.NegativeNpv);
        // top-up given a shortfall: (50 + 150) / 2 = 100.
        Assert.Equal(100.0, p.ExpectedTopupGivenShortfall);
        // NPV sorted -10 -5 20 30; P5: h = 3 × 0.05 = 0.15 → -10 + 0.15 × 5 = -9.25; VaR95 = 9.25.
        Assert.Equal(9.25, p.NpvValueAtRisk95, 12);
    }

    [Fact]
    public void Probabilities_of_absent_metrics_are_NaN()
    {
        var p = SummaryBuilder.Build(NpvOnly(1, -1), Context).Probabilities;
        Assert.Equal(0.5, p.NegativeNpv);
        Assert.True(double.IsNaN(p.CoverageBelowRequirement));
        Assert.True(double.IsNaN(p.AnyShortfall));
        Assert.True(double.IsNaN(p.NeverPaysBack));
        Assert.True(double.IsNaN(p.ExpectedTopupGivenShortfall));
    }

    [Fact]
    public void Bands_give_a_point_per_year_and_NaN_where_no_path_was_defined()
    {
        var nan = double.NaN;
        var accumulator = new RunAccumulator(FiveMetrics);
        accumulator.BeginBlock(0, 3);
        for (var path = 0; path < 3; path++)
        {
            // reserve 100, 200, 300 in every year; DSCR undefined in 2025 (no debt service yet), then 1.5.
            accumulator.RecordBands(0, [100.0 * (path + 1), 100.0 * (path + 1), 100.0 * (path + 1)]);
            accumulator.RecordBands(1, [nan, 1.5, 1.5]);
            accumulator.RecordMetrics(path, [0, 0, 0, 0, 0]);
        }

        accumulator.EndBlock();
        var bands = SummaryBuilder.Build(accumulator, Context).Bands;
        var reserve = bands[BandNames.Reserve];
        Assert.Equal([2025, 2026, 2027], reserve.Select(b => b.Year));
        // P50 stands for the order statistic floor(0.5 × 2) = 1, i.e. 200, within 0.5%.
        Assert.InRange(reserve[0].P50, 200 * 0.995, 200 * 1.005);
        Assert.InRange(reserve[0].P5, 100 * 0.995, 100 * 1.005);
        var dscr = bands[BandNames.Dscr];
        Assert.True(double.IsNaN(dscr[0].P50));
        Assert.InRange(dscr[1].P95, 1.5 * 0.995, 1.5 * 1.005);
    }

    [Fact]
    public void Convergence_checkpoints_are_one_two_five_steps_then_the_run()
    {
        Assert.Equal([1000L, 2000, 5000, 10000, 12345], SummaryBuilder.ConvergenceCheckpoints(12345));
        Assert.Equal([1000L, 2000], SummaryBuilder.ConvergenceCheckpoints(2000));
        Assert.Equal([500L], SummaryBuilder.ConvergenceCheckpoints(500));
        Assert.Empty(SummaryBuilder.ConvergenceCheckpoints(0));
    }

    [Fact]
    public void Convergence_traces_the_prefix_means_and_ends_at_the_summary_mean()
    {
        // npv of path i is i: the mean over the first n paths is (n - 1) / 2.
        var values = Enumerable.Range(0, 2500).Select(i => (double)i).ToArray();
        var summary = SummaryBuilder.Build(NpvOnly(values), Context);
        var trace = summary.Convergence[MetricNames.Npv];
        Assert.Equal([1000L, 2000, 2500], trace.Select(c => c.Paths));
        Assert.Equal(999.0 / 2, trace[0].Mean);
        Assert.Equal(1999.0 / 2, trace[1].Mean);
        Assert.Equal(summary.Metrics[MetricNames.Npv].Mean, trace[^1].Mean);
        Assert.Equal(summary.Metrics[MetricNames.Npv].StandardError, trace[^1].StandardError);
        Assert.False(summary.Convergence.ContainsKey(MetricNames.CoverageRatio));
    }

    [Fact]
    public void Summary_carries_the_context()
    {
        var context = Context with { ElapsedSeconds = 1.5, StoppedEarly = true, Currency = "CNY", CoverageRequirement = 1.3 };
        var summary = SummaryBuilder.Build(NpvOnly(1, 2), context);
        Assert.Equal("test", summary.Scenario);
        Assert.Equal(42UL, summary.Seed);
        Assert.Equal(2, summary.Paths);
        Assert.Equal(1.5, summary.ElapsedSeconds);
        Assert.True(summary.StoppedEarly);
        Assert.Equal(1.3, summary.CoverageRequirement);
    }

    [Fact]
    public void Standard_layout_reports_metrics_in_catalogue_order_with_units()
    {
        var accumulator = new RunAccumulator(AccumulatorLayout.Standard(2025, 2));
        var summary = SummaryBuilder.Build(accumulator, Context);
        Assert.Equal(AccumulatorLayout.StandardMetrics.Select(m => m.Name), summary.Metrics.Keys);
        Assert.Equal("ratio", summary.Metrics[MetricNames.MinDscr].Unit);
        Assert.Equal(0, summary.Paths);
        Assert.True(double.IsNaN(summary.Probabilities.NegativeNpv));
        Assert.Equal([BandNames.Reserve, BandNames.Cfads, BandNames.Dscr], summary.Bands.Keys);
    }
}
