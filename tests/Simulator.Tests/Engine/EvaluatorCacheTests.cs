using DistrictSim.Compilation;
using DistrictSim.Evaluation;
using DistrictSim.Model;
using DistrictSim.MonteCarlo;
using Xunit;

namespace DistrictSim.Simulator.Tests.Engine;

/// <summary>
/// An evaluator keeps what no drawn input changes (yearly rows, growth and re-let indices, debt schedules, the
/// funding years) from one path to the next. Whatever paths came before, a path's statement must be bit for bit
/// what a fresh evaluator gives, also when the operation start moves with a drawn delay.
/// </summary>
public sealed class EvaluatorCacheTests
{
    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    public void A_reused_evaluator_gives_what_a_fresh_one_gives_on_every_path(ulong seed)
    {
        var district = DistrictCompiler.Compile(AllocationTests.EveryPart());
        var options = new RunOptions { Paths = 300, Seed = seed };
        var sampler = MonteCarloEngine.CreateSampler(district, options);
        var reused = new PathEvaluator(district);
        var slots = new double[district.Slots.Count];
        var starts = new HashSet<int>();
        for (var path = 0; path < options.Paths; path++)
        {
            sampler.Fill(path, slots);
            var fresh = new PathEvaluator(district);
            var expected = fresh.ToStatement(fresh.Evaluate(slots));
            var actual = reused.ToStatement(reused.Evaluate(slots));
            starts.Add(actual.OperationStartYear);
            AssertSame(expected, actual, path);
        }
        // The drawn delay moved the operation start between paths, so the kept rows were checked across a change.
        Assert.True(starts.Count > 1, $"the operation start never moved: {string.Join(", ", starts)}");
    }

    private static void AssertSame(Statement expected, Statement actual, int path)
    {
        Assert.Equal(expected.OperationStartYear, actual.OperationStartYear);
        foreach (var (name, e, a) in Rows(expected).Zip(Rows(actual), (e, a) => (e.Name, e.Values, a.Values)))
        {
            Assert.True(e.Length == a.Length, $"path {path}, {name}: {a.Length} years against {e.Length}");
            for (var t = 0; t < e.Length; t++)
            {
                Assert.True(BitConverter.DoubleToInt64Bits(e[t]) == BitConverter.DoubleToInt64Bits(a[t]), $"path {path}, {name}, year {t}: {a[t]:R} reused, {e[t]:R} fresh");
            }
        }
        Assert.Equal(expected.Metrics, actual.Metrics);
    }

    private static IEnumerable<(string Name, double[] Values)> Rows(Statement s)
    {
        yield return ("capex", s.CapexYuan);
        yield return ("interest reserve funding", s.InterestReserveFundingYuan);
        foreach (var x in s.Sources) yield return ("source " + x.Name, x.Yuan);
        yield return ("funding gap", s.FundingGapYuan);
        yield return ("construction cash", s.ConstructionCashYuan);
        foreach (var x in s.Revenue) yield return ("revenue " + x.Name, x.Yuan);
        yield return ("revenue", s.RevenueYuan);
        yield return ("operating cost", s.OperatingCostYuan);
        yield return ("tax", s.TaxYuan);
        yield return ("CFADS", s.CfadsYuan);
        foreach (var x in s.InterestDue) yield return ("interest " + x.Name, x.Yuan);
        foreach (var x in s.PrincipalDue) yield return ("principal " + x.Name, x.Yuan);
        foreach (var x in s.DebtBalance) yield return ("balance " + x.Name, x.Yuan);
        yield return ("debt service", s.DebtServiceYuan);
        yield return ("DSCR", s.Dscr);
        yield return ("reserve", s.ReserveYuan);
        yield return ("top-up", s.FiscalTopupYuan);
        yield return ("default", s.DefaultYuan);
        yield return ("equity distribution", s.EquityDistributionYuan);
        yield return ("cumulative project cash", s.CumulativeProjectCashYuan);
    }
}
