using DistrictSim.Compilation;
using DistrictSim.Evaluation;
using DistrictSim.Model;
using DistrictSim.MonteCarlo;
using DistrictSim.Simulator.Tests.Reference;
using DistrictSim.Statistics;
using SummaryAssert = DistrictSim.Simulator.Tests.Statistics.SummaryAssert;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace DistrictSim.Simulator.Tests.MonteCarlo;

/// <summary>The results depend only on the district, seed, paths and sampling: never on threads or shards.</summary>
public sealed class DeterminismTests
{
    private static readonly CompiledDistrict Reference = DistrictCompiler.Compile(ReferenceDistrictModel.Build());

    [Theory]
    [InlineData(SamplingMethod.MonteCarlo)]
    [InlineData(SamplingMethod.LatinHypercube)]
    public void One_two_and_sixteen_threads_give_bit_identical_summaries(SamplingMethod sampling)
    {
        var options = new RunOptions { Paths = 12_345, Seed = 7, Sampling = sampling, BlockPaths = 1_000 };
        var one = MonteCarloEngine.Run(Reference, options with { Threads = 1 }).Summary;
        var two = MonteCarloEngine.Run(Reference, options with { Threads = 2 }).Summary;
        var sixteen = MonteCarloEngine.Run(Reference, options with { Threads = 16 }).Summary;
        SummaryAssert.BitIdentical(one, two);
        SummaryAssert.BitIdentical(one, sixteen);
    }

    /// <summary>
    /// The workers draw, evaluate and take IRRs a batch of paths at a time; every path's recorded metrics are still
    /// bit for bit those of drawing and evaluating it alone (with a distributing equity, so the equity IRR is defined).
    /// </summary>
    [Theory]
    [InlineData(false, SamplingMethod.MonteCarlo)]
    [InlineData(true, SamplingMethod.MonteCarlo)]
    [InlineData(true, SamplingMethod.LatinHypercube)]
    public void Each_paths_recorded_metrics_equal_evaluating_it_alone(bool distribute, SamplingMethod sampling)
    {
        var model = ReferenceDistrictModel.Build();
        model = model with { Waterfall = model.Waterfall with { DistributeExcess = distribute } };
        var district = DistrictCompiler.Compile(model);
        var options = new RunOptions { Paths = 1_000, Seed = 11, Sampling = sampling, BlockPaths = 300, Threads = 2 };
        var result = MonteCarloEngine.Run(district, options);
        var sampler = MonteCarloEngine.CreateSampler(district, options);
        var evaluator = new PathEvaluator(district);
        var slots = new double[district.Slots.Count];
        var expected = new double[result.Accumulator.Layout.MetricCount];
        var definedEquityIrrs = 0;
        foreach (var block in result.Accumulator.Blocks)
        {
            for (var path = block.FirstPath; path < block.EndPath; path++)
            {
                sampler.Fill(path, slots);
                MetricVector.Write(evaluator.Evaluate(slots), expected);
                var actual = block.PathValues(path);
                for (var m = 0; m < expected.Length; m++)
                {
                    Assert.True(
                        BitConverter.DoubleToInt64Bits(expected[m]) == BitConverter.DoubleToInt64Bits(actual[m]),
                        $"path {path}, metric {result.Accumulator.Layout.Metrics[m].Name}: {actual[m]:R} recorded, {expected[m]:R} alone");
                }
                if (!double.IsNaN(actual[MetricVector.EquityIrr])) definedEquityIrrs++;
            }
        }
        Assert.Equal(1_000, result.Accumulator.PathCount);
        if (distribute) Assert.True(definedEquityIrrs > 500, $"only {definedEquityIrrs} paths have an equity IRR");
    }

    [Property(MaxTest = 12)]
    public Property Shards_merged_equal_the_single_threaded_run()
    {
        var gen =
            from seed in Gen.Choose(0, int.MaxValue)
            from paths in Gen.Choose(200, 3_000)
            from cuts in Gen.ListOf(Gen.Choose(1, paths - 1)).Select(c => c.Distinct().OrderBy(x => x).Take(4).ToArray())
            from threads in Gen.Choose(1, 4)
            from lhs in Gen.Elements(false, true)
            from block in Gen.Choose(1, 700)
            select (seed, paths, cuts, threads, lhs, block);
        return Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var options = new RunOptions
            {
                Paths = c.paths, Seed = (ulong)c.seed, Threads = 1, BlockPaths = c.block,
                Sampling = c.lhs ? SamplingMethod.LatinHypercube : SamplingMethod.MonteCarlo,
            };
            var whole = MonteCarloEngine.Run(Reference, options).Summary;
            var bounds = new[] { 0 }.Concat(c.cuts).Append(c.paths).ToArray();
            var shards = new List<RunAccumulator>();
            for (var i = 0; i < bounds.Length - 1; i++)
            {
                shards.Add(MonteCarloEngine.RunShard(Reference, options with { Threads = c.threads }, bounds[i], bounds[i + 1] - bounds[i]));
            }
            // Merge in reverse order: order must not matter.
            var merged = new RunAccumulator(MonteCarloEngine.Layout(Reference));
            foreach (var shard in Enumerable.Reverse(shards)) merged.Merge(shard);
            var fromShards = MonteCarloEngine.Summarize(Reference, merged, options);
            SummaryAssert.BitIdentical(whole, fromShards);
        });
    }

    [Fact]
    public void Inputs_with_zero_variance_reproduce_the_base_case_exactly()
    {
        // Every uncertain input replaced by a fixed value at its base: every path is the base case.
        var model = ReferenceDistrictModel.Build();
        var fixedModel = Fix(model);
        var compiled = DistrictCompiler.Compile(fixedModel);
        Assert.Empty(compiled.Slots);
        var baseCase = BaseCase.Evaluate(DistrictCompiler.Compile(model)).Metrics;
        var run = MonteCarloEngine.Run(compiled, new RunOptions { Paths = 500, Seed = 3, Threads = 2 });
        var npv = run.Summary.Metrics[MetricNames.Npv];
        Assert.Equal(baseCase.NpvYuan, npv.Min);
        Assert.Equal(baseCase.NpvYuan, npv.Max);
        Assert.Equal(baseCase.CoverageRatio, run.Summary.Metrics[MetricNames.CoverageRatio].Percentiles.P50);
        Assert.Equal(baseCase.FiscalTopupYuan, run.Summary.Metrics[MetricNames.FiscalTopup].Max);
        foreach (var row in run.Paths())
        {
            Assert.Equal(baseCase.NpvYuan, row.Metrics[0]);
        }
    }

    /// <summary>The model with each uncertain input fixed at its base value (the default year: never).</summary>
    private static District Fix(District d) => d with
    {
        Capex = d.Capex with { Overrun = d.Capex.Overrun.BaseValue },
        Correlations = [],
        Funding = [.. d.Funding.Select(f => f is Loan l ? l with { BaseRate = l.BaseRate.BaseValue } : f)],
        Revenues =
        [
            .. d.Revenues.Select(r => r switch
            {
                OpsContract o => o with { ReletFactor = o.ReletFactor.BaseValue, DefaultProbability = 0 } as RevenueStream,
                Parking p => p with { Occupancy = p.Occupancy.BaseValue, Growth = p.Growth.BaseValue },
                EvCharging e => e with { Utilisation = e.Utilisation.BaseValue },
                PropertyFee f => f with { CollectionRate = f.CollectionRate.BaseValue },
                CommercialLease c => c with { Occupancy = c.Occupancy.BaseValue },
                _ => r,
            }),
        ],
    };
}
