using DistrictSim.Compilation;
using DistrictSim.Evaluation;
using DistrictSim.Model;
using Xunit;

namespace DistrictSim.Simulator.Tests.Engine;

/// <summary>The per-path evaluation must allocate nothing: a worker calls it millions of times.</summary>
public sealed class AllocationTests
{
    [Fact]
    public void Evaluate_OnAWarmedUpEvaluator_AllocatesNothing()
    {
        var district = EveryPart();
        var compiled = DistrictCompiler.Compile(district);
        var evaluator = new PathEvaluator(compiled);
        // Two input vectors (the base case and a shifted one) so that branches vary between calls.
        var a = compiled.BaseSlotValues.ToArray();
        var b = a.Select((x, i) => compiled.Slots[i].Key.Contains("default_year", StringComparison.Ordinal) ? 3 : x * 1.01).ToArray();
        for (var i = 0; i < 100; i++) evaluator.Evaluate(i % 2 == 0 ? a : b); // warm up (tiered JIT)

        double sink = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++) sink += evaluator.Evaluate(i % 2 == 0 ? a : b).NpvYuan;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(double.IsFinite(sink), $"expected finite NPVs, found a sum of {sink}");
        Assert.True(allocated == 0, $"expected 0 bytes allocated by 1,000 evaluations, found {allocated}");
    }

    /// <summary>
    /// A district touching every part of the evaluator: every stream kind, a bond and a loan with a floating rate,
    /// residual equity, all cost kinds, taxes, a reserve target, a drawn delay, a re-let contract with drawn growth, and
    /// uncertain inputs.
    /// </summary>
    internal static District EveryPart()
    {
        return new District
        {
            Metadata = new Metadata { Name = "allocation" },
            Timeline = new Timeline { ConstructionYears = 2, HorizonYears = 25, DelayYears = Input.Of(new Uniform(0, 1.4)) },
            Capex = new Capex
            {
                Components =
                [
                    new CapexComponent { Name = "pipes", Category = CapexCategory.Basic, Tag = CapexTag.PublicGood, AmountYuan = 5e6 },
                    new CapexComponent { Name = "garage", Category = CapexCategory.Complete, Tag = CapexTag.RevenueBearing, AmountYuan = Input.Of(new Triangular(7e6, 8e6, 1e7)), Phasing = [0.4, 0.6] },
                ],
                Overrun = Input.Of(new Uniform(0.95, 1.3)),
            },
            Funding =
            [
                new Grant { Name = "central", Kind = GrantKind.CentralBudget, Amount = FundingAmount.ShareOf(0.3, new Eligibility { Tags = [CapexTag.PublicGood] }) },
                new SpecialBond { Name = "bond", Amount = FundingAmount.Fixed(4e6), IssueYear = 1, TenorYears = 15, Coupon = Input.Of(new Uniform(0.02, 0.026)), Repayment = PrincipalRepayment.EqualParts, RepayFromYear = 10, RepayToYear = 16 },
                new Loan { Name = "cdb", Kind = LoanKind.Policy, Amount = FundingAmount.Fixed(3e6), Drawdown = [new YearShare(0, 0.5), new YearShare(1, 0.5)], BaseRate = Input.Of(new RandomWalk(0.035, 0, 0.002)), Spread = 0.005, RateFloor = 0.03, GraceYears = 2, RepaymentYears = 12 },
                new SocialCapital { Name = "investor", Amount = new FundingAmount(), Residual = true },
            ],
            Revenues =
            [
                new Parking { Name = "parking", Spaces = 300, Occupancy = Input.Of(new Uniform(0.5, 0.9)), FeeYuanPerSpacePerMonth = 300, Ramp = [0.5, 0.75], Growth = Input.Of(new Yearly(new Normal(0.02, 0.01))) },
                new CommercialLease { Name = "shops", AreaM2 = 2000, Rent = 3, Occupancy = 0.85, Steps = [new RentStep(5, 1.1)] },
                new EvCharging { Name = "ev", Chargers = 40, PowerKw = 7, Utilisation = 0.1, FeeYuanPerKwh = 0.6 },
                new PropertyFee { Name = "fee", Households = 1500, M2PerHousehold = 60, FeeYuanPerM2PerMonth = 1.0, CollectionRate = 0.6 },
                new OpsContract { Name = "operator", AnnualYuan = 2.04e6, TermYears = 10, DefaultProbability = 0.03, Relet = true, ReletFactor = Input.Of(new Uniform(0.8, 1.1)), ReletGrowth = Input.Of(new Normal(0.02, 0.01)) },
                new AssetRent { Name = "land", AnnualYuan = 5e5 },
                new GenericStream { Name = "ads", Driver = 10, PriceYuanPerUnit = 1e4 },
            ],
            Costs = new Costs
            {
                Fixed = [new FixedCost { Name = "staff", AnnualYuan = 8e5, Inflation = 0.02 }],
                Variable = [new VariableCost { Name = "operations", ShareOfRevenue = 0.1, Streams = ["parking"] }],
                MajorRepairs = [new MajorRepair { Name = "roof", AmountYuan = 1e6, IntervalYears = 8 }],
            },
            Taxes = new Taxes { RevenueTaxRate = 0.06, IncomeTaxRate = 0.25 },
            Waterfall = new Waterfall { ReserveTargetMonths = 6, DistributeExcess = true, PreOperationInterest = PreOperationInterest.Capitalised },
        };
    }
}
