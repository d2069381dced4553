using DistrictSim.Compilation;
using DistrictSim.MonteCarlo;
using DistrictSim.Simulator.Tests.Reference;
using DistrictSim.Statistics;
using SummaryAssert = DistrictSim.Simulator.Tests.Statistics.SummaryAssert;
using Xunit;

namespace DistrictSim.Simulator.Tests.MonteCarlo;

public sealed class ConvergenceTests
{
    [Fact]
    public void Reference_mean_npv_at_200k_paths_lies_within_4_standard_errors_of_a_2m_path_run()
    {
        var compiled = DistrictCompiler.Compile(ReferenceDistrictModel.Build());
        var small = MonteCarloEngine.Run(compiled, new RunOptions { Paths = 200_000, Seed = 11 }).Summary.Metrics[MetricNames.Npv];
        var large = MonteCarloEngine.Run(compiled, new RunOptions { Paths = 2_000_000, Seed = 12 }).Summary.Metrics[MetricNames.Npv];
        // Independent runs: the difference of the means has SE sqrt(se1² + se2²).
        var se = Math.Sqrt(small.StandardError * small.StandardError + large.StandardError * large.StandardError);
        Assert.True(Math.Abs(small.Mean - large.Mean) <= 4 * se,
            $"mean NPV {small.Mean:N0} (200k) vs {large.Mean:N0} (2M): difference {small.Mean - large.Mean:N0} exceeds 4 SE = {4 * se:N0}");
        var p = small.Percentiles;
        Assert.True(p.P1 <= p.P5 && p.P5 <= p.P10 && p.P10 <= p.P25 && p.P25 <= p.P50 && p.P50 <= p.P75 && p.P75 <= p.P90 && p.P90 <= p.P95 && p.P95 <= p.P99,
            "percentiles of NPV are not ordered");
    }

    [Fact]
    public void Run_timings_split_the_wall_clock_into_set_up_paths_and_summary()
    {
        var compiled = DistrictCompiler.Compile(ReferenceDistrictModel.Build());
        var result = MonteCarloEngine.Run(compiled, new RunOptions { Paths = 20_000, Seed = 3 });
        var t = result.Timings;
        Assert.True(t.SetupSeconds >= 0 && t.PathsSeconds > 0 && t.SummarySeconds > 0, t.ToString());
        // The summary records the time before it was built: set-up and paths, read a moment later.
        Assert.InRange(result.Summary.ElapsedSeconds - (t.SetupSeconds + t.PathsSeconds), 0, 0.5);
    }

    [Fact]
    public void Early_stop_at_a_target_standard_error_is_deterministic_and_meets_the_target()
    {
        var compiled = DistrictCompiler.Compile(ReferenceDistrictModel.Build());
        var options = new RunOptions { Paths = 1_000_000, Seed = 5, TargetRelativeStandardError = 0.01, CheckpointPaths = 10_000 };
        var a = MonteCarloEngine.Run(compiled, options with { Threads = 1 }).Summary;
        var b = MonteCarloEngine.Run(compiled, options with { Threads = 2 }).Summary;
        Assert.True(a.StoppedEarly);
        Assert.True(a.Paths < 1_000_000 && a.Paths % 10_000 == 0, $"stopped at {a.Paths} paths");
        var npv = a.Metrics[MetricNames.Npv];
        Assert.True(npv.StandardError / Math.Abs(npv.Mean) <= 0.01);
        SummaryAssert.BitIdentical(a, b);
    }

    [Fact]
    public void Cancellation_stops_the_run_and_progress_counts_paths()
    {
        var compiled = DistrictCompiler.Compile(ReferenceDistrictModel.Build());
        using var cts = new CancellationTokenSource();
        long reported = 0;
        var progress = new SynchronousProgress(done =>
        {
            Interlocked.Exchange(ref reported, done);
            if (done >= 20_000) cts.Cancel();
        });
        var result = MonteCarloEngine.Run(compiled, new RunOptions { Paths = 5_000_000, Seed = 1, BlockPaths = 1_000 }, progress, cts.Token);
        Assert.True(result.Summary.StoppedEarly);
        Assert.True(result.Summary.Paths < 5_000_000);
        Assert.True(Interlocked.Read(ref reported) >= 20_000);
    }

    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
