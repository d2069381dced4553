using System.Diagnostics;
using DistrictSim.Compilation;
using DistrictSim.Evaluation;
using DistrictSim.Finance;
using DistrictSim.Sampling;
using DistrictSim.Statistics;

namespace DistrictSim.MonteCarlo;

/// <summary>
/// Monte Carlo = sampler x path evaluator x accumulator. Paths are cut into blocks that workers take
/// in turn; each worker has its own evaluator, input buffer and accumulator; accumulators merge.
/// <para>
/// Determinism: path i's inputs come from the counter-based generator keyed by (seed, i, slot key)
/// (see <see cref="InputSampler"/>), its metrics from a pure evaluation, and the summary's statistics
/// are computed in path order from the merged accumulator. So the summary is bit-identical on any
/// number of threads and when the range is run as shards (<see cref="RunShard"/>) and merged.
/// </para>
/// </summary>
public static class MonteCarloEngine
{
    /// <summary>Runs every path of the run and summarises it.</summary>
    public static RunResult Run(CompiledDistrict district, RunOptions options, IProgress<long>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(district);
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems(district);
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems), nameof(options));
        var clock = Stopwatch.StartNew();
        var sampler = CreateSampler(district, options);
        var setupSeconds = clock.Elapsed.TotalSeconds;
        var accumulator = new RunAccumulator(Layout(district));
        long done = 0;
        var stoppedEarly = false;
        var checkpoint = options.TargetRelativeStandardError is null ? options.Paths : Math.Max(options.BlockPaths, options.CheckpointPaths);
        for (long first = 0; first < options.Paths; first += checkpoint)
        {
            var count = Math.Min(checkpoint, options.Paths - first);
            var part = RunRange(district, sampler, options, first, count, progress, done, cancellation);
            accumulator.Merge(part);
            done += count;
            if (cancellation.IsCancellationRequested)
            {
                stoppedEarly = true;
                break;
            }
            if (options.TargetRelativeStandardError is { } target && done < options.Paths)
            {
                var rse = accumulator.RelativeStandardError(options.TargetMetric, done);
                if (rse <= target)
                {
                    stoppedEarly = true;
                    break;
                }
            }
        }
        var pathsSeconds = clock.Elapsed.TotalSeconds - setupSeconds;
        var summary = Summarize(district, accumulator, options, clock.Elapsed.TotalSeconds, stoppedEarly);
        var timings = new RunTimings(setupSeconds, pathsSeconds, clock.Elapsed.TotalSeconds - setupSeconds - pathsSeconds);
        return new RunResult(summary, accumulator, sampler, district) { Timings = timings };
    }

    /// <summary>
    /// Runs paths [firstPath, firstPath + count) of a run of <see cref="RunOptions.Paths"/> paths and
    /// returns the accumulator; shards of one run merge (<see cref="RunAccumulator.Merge"/>) into
    /// the accumulator of the whole run.
    /// </summary>
    public static RunAccumulator RunShard(CompiledDistrict district, RunOptions options, long firstPath, long count, IProgress<long>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(district);
        ArgumentNullException.ThrowIfNull(options);
        if (firstPath < 0 || count < 0 || firstPath + count > options.Paths)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"the shard [{firstPath}, {firstPath + count}) lies outside the run's {options.Paths} paths");
        }
        var sampler = CreateSampler(district, options);
        return RunRange(district, sampler, options, firstPath, count, progress, 0, cancellation);
    }

    /// <summary>The summary of a (merged) accumulator.</summary>
    public static Summary Summarize(CompiledDistrict district, RunAccumulator accumulator, RunOptions options, double elapsedSeconds = 0, bool stoppedEarly = false)
    {
        var model = district.Model;
        return SummaryBuilder.Build(accumulator, new SummaryContext
        {
            Scenario = model.Metadata.Name,
            Seed = options.Seed,
            Sampling = options.Sampling,
            Currency = model.Metadata.Currency,
            CoverageRequirement = model.Analysis.CoverageRequirement,
            ElapsedSeconds = elapsedSeconds,
            StoppedEarly = stoppedEarly,
        });
    }

    /// <summary>The accumulator layout of a district: the standard metrics and the per-year bands.</summary>
    public static AccumulatorLayout Layout(CompiledDistrict district) => AccumulatorLayout.Standard(0, district.Years);

    /// <summary>The sampler of a run: the district's slots and correlations, with the run's seed, paths and method.</summary>
    public static InputSampler CreateSampler(CompiledDistrict district, RunOptions options) =>
        new(
            district.Slots.Select(s => new SlotSpec(s.Key, s.Distribution)).ToArray(),
            district.Correlations.Select(c => new CorrelationGroup(c.Slots, c.Matrix, c.Method)).ToArray(),
            options.Seed,
            options.Paths,
            options.Sampling);

    private static RunAccumulator RunRange(
        CompiledDistrict district, InputSampler sampler, RunOptions options, long first, long count,
        IProgress<long>? progress, long doneBefore, CancellationToken cancellation)
    {
        var layout = Layout(district);
        var blockPaths = Math.Max(1, options.BlockPaths);
        var blocks = (count + blockPaths - 1) / blockPaths;
        var threads = (int)Math.Max(1, Math.Min(options.EffectiveThreads, blocks));
        var workers = new Worker[threads];
        long nextBlock = -1;
        long done = doneBefore;

        void Work(Worker worker)
        {
            while (!cancellation.IsCancellationRequested)
            {
                var b = Interlocked.Increment(ref nextBlock);
                if (b >= blocks) break;
                var start = first + b * blockPaths;
                var n = (int)Math.Min(blockPaths, first + count - start);
                worker.RunBlock(start, n);
                var total = Interlocked.Add(ref done, n);
                progress?.Report(total);
            }
        }

        for (var w = 0; w < threads; w++) workers[w] = new Worker(district, sampler, layout);
        if (threads == 1)
        {
            Work(workers[0]);
        }
        else
        {
            var running = new Thread[threads - 1];
            for (var w = 1; w < threads; w++)
            {
                var worker = workers[w];
                running[w - 1] = new Thread(() => Work(worker)) { IsBackground = true, Name = $"districtsim worker {w}" };
                running[w - 1].Start();
            }
            Work(workers[0]);
            foreach (var thread in running) thread.Join();
        }

        var merged = workers[0].Accumulator;
        for (var w = 1; w < threads; w++) merged.Merge(workers[w].Accumulator);
        return merged;
    }

    /// <summary>One worker's evaluator, buffers and accumulator.</summary>
    private sealed class Worker(CompiledDistrict district, InputSampler sampler, AccumulatorLayout layout)
    {
        private readonly PathEvaluator _evaluator = new(district);
        private readonly int _reserve = layout.IndexOfBandSeries(BandNames.Reserve);
        private readonly int _cfads = layout.IndexOfBandSeries(BandNames.Cfads);
        private readonly int _dscr = layout.IndexOfBandSeries(BandNames.Dscr);

        public RunAccumulator Accumulator { get; } = new(layout);

        /// <summary>Paths whose inputs are drawn together, and whose IRRs are computed together.</summary>
        private const int SampleBatch = 64;

        private readonly double[] _batchSlots = new double[SampleBatch * district.Slots.Count];
        private readonly double[] _batchMetrics = new double[SampleBatch * layout.MetricCount];
        private readonly double[] _projectFlows = new double[SampleBatch * district.Years];
        private readonly double[] _equityFlows = new double[SampleBatch * district.Years];
        private readonly double[] _irrs = new double[SampleBatch];

        /// <summary>
        /// Runs paths [start, start + count) in path order, a batch of paths at a time: their inputs are drawn
        /// together (<see cref="InputSampler.FillBatch"/>), then each path is evaluated and its bands recorded, then
        /// their IRRs are computed together (<see cref="Irr.ComputeMany"/>) and their metrics recorded. Each stage's
        /// code stays warm over a batch and the batched stages run several paths at once; the numbers are bit for bit
        /// those of one path at a time.
        /// </summary>
        public void RunBlock(long start, int count)
        {
            var width = district.Slots.Count;
            var years = district.Years;
            var metricCount = layout.MetricCount;
            Accumulator.BeginBlock(start, count);
            for (var first = start; first < start + count; first += SampleBatch)
            {
                var n = (int)Math.Min(SampleBatch, start + count - first);
                sampler.FillBatch(first, n, _batchSlots);
                for (var k = 0; k < n; k++)
                {
                    var m = _evaluator.EvaluateExceptIrr(_batchSlots.AsSpan(k * width, width));
                    MetricVector.Write(m, _batchMetrics.AsSpan(k * metricCount, metricCount));
                    _evaluator.ProjectFlow.CopyTo(_projectFlows.AsSpan(k * years, years));
                    if (_evaluator.HasEquity) _evaluator.EquityFlow.CopyTo(_equityFlows.AsSpan(k * years, years));
                    Accumulator.RecordBands(_reserve, _evaluator.Reserve);
                    Accumulator.RecordBands(_cfads, _evaluator.Cfads);
                    Accumulator.RecordBands(_dscr, _evaluator.Dscr);
                }
                Irr.ComputeMany(_projectFlows, years, n, _irrs);
                for (var k = 0; k < n; k++) _batchMetrics[(k * metricCount) + MetricVector.ProjectIrr] = _irrs[k];
                if (_evaluator.HasEquity)
                {
                    Irr.ComputeMany(_equityFlows, years, n, _irrs);
                    for (var k = 0; k < n; k++) _batchMetrics[(k * metricCount) + MetricVector.EquityIrr] = _irrs[k];
                }
                for (var k = 0; k < n; k++) Accumulator.RecordMetrics(first + k, _batchMetrics.AsSpan(k * metricCount, metricCount));
            }
            Accumulator.EndBlock();
        }
    }
}

/// <summary>The metrics of a path as the vector of <see cref="AccumulatorLayout.StandardMetrics"/>, in its order.</summary>
public static class MetricVector
{
    /// <summary>The position of the project IRR in the vector.</summary>
    public const int ProjectIrr = 2;

    /// <summary>The position of the equity IRR in the vector.</summary>
    public const int EquityIrr = 3;

    public static void Write(in Metrics m, Span<double> destination)
    {
        destination[0] = m.NpvYuan;
        destination[1] = m.EquityNpvYuan;
        destination[ProjectIrr] = m.ProjectIrr;
        destination[EquityIrr] = m.EquityIrr;
        destination[4] = m.MinDscr;
        destination[5] = m.CoverageRatio;
        destination[6] = m.SpecialBondCoverage;
        destination[7] = m.Llcr;
        destination[8] = m.PaybackYear;
        destination[9] = m.FiscalTopupYuan;
        destination[10] = m.FirstShortfallYear;
        destination[11] = m.FundingGapYuan;
        destination[12] = m.DefaultYuan;
    }
}
