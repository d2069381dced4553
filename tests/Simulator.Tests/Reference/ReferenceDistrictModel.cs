using DistrictSim.Model;

namespace DistrictSim.Simulator.Tests.Reference;

/// <summary>The reference district of shared/docs/reference-district.md, built in code.</summary>
internal static class ReferenceDistrictModel
{
    public static District Build(int paths = 10_000, ulong seed = 42, SamplingMethod sampling = SamplingMethod.MonteCarlo) => new()
    {
        Metadata = new Metadata { Name = "Reference district" },
        Timeline = new Timeline { ConstructionYears = 2, HorizonYears = 30 },
        Capex = new Capex
        {
            Overrun = Input.Of(new Triangular(0.95, 1.00, 1.30)),
            Components =
            [
                new CapexComponent
                {
                    Name = "building", Category = CapexCategory.Complete, Tag = CapexTag.RevenueBearing,
                    AmountYuan = 76_000_000, Phasing = [0.5, 0.5],
                },
            ],
        },
        Funding =
        [
            new Grant { Name = "central_budget", Kind = GrantKind.CentralBudget, Amount = FundingAmount.ShareOf(0.20) },
            new SpecialBond
            {
                Name = "special_bond", Amount = FundingAmount.ShareOf(0.40), IssueYear = 1, Coupon = 0.03,
                CouponFrequency = CouponFrequency.Annual, TenorYears = 20, Repayment = PrincipalRepayment.EqualParts,
                RepayFromYear = 12, RepayToYear = 21,
            },
            new Loan
            {
                Name = "policy_loan", Kind = LoanKind.Policy, Amount = FundingAmount.ShareOf(0.25), Drawdown = [new YearShare(1, 1.0)],
                BaseRate = Input.Of(new Normal(0.032, 0.005)), RateFloor = 0.01, GraceYears = 3, RepaymentYears = 20,
                Repayment = LoanRepayment.EqualInstalments,
            },
            new SocialCapital { Name = "social_capital", Residual = true, Amount = new FundingAmount() },
        ],
        Revenues =
        [
            new OpsContract
            {
                Name = "ops_contract", AnnualYuan = 2_040_000, TermYears = 10, DefaultProbability = 0.03,
                ReletFactor = Input.Of(new LogNormal(0, 0.25)), ReletGrowth = 0.02,
            },
            new Parking
            {
                Name = "parking", Spaces = 400, Occupancy = Input.Of(new Beta(8, 3)), FeeYuanPerSpacePerMonth = 250,
                Growth = Input.Of(new Normal(0.02, 0.01)), Ramp = [0.5, 0.75],
            },
            new EvCharging
            {
                Name = "ev_charging", Chargers = 60, PowerKw = 7, Utilisation = Input.Of(new Triangular(0.05, 0.10, 0.20)),
                FeeYuanPerKwh = 0.60, Ramp = [0.5, 0.75],
            },
            new PropertyFee
            {
                Name = "property_fee", Households = 1200, M2PerHousehold = 65, FeeYuanPerM2PerMonth = 1.00,
                CollectionRate = Input.Of(new Beta(7, 3)),
            },
            new CommercialLease
            {
                Name = "commercial_lease", AreaM2 = 1800, Rent = 3.00, RentBasis = RentBasis.PerM2PerDay,
                Occupancy = Input.Of(new Beta(9, 2)),
            },
        ],
        Costs = new Costs
        {
            Fixed = [new FixedCost { Name = "operations", AnnualYuan = 1_500_000, Inflation = 0.025 }],
            Variable = [new VariableCost { Name = "variable_cost", ShareOfRevenue = 0.15 }],
        },
        Waterfall = new Waterfall { PreOperationInterest = PreOperationInterest.Capitalised, FiscalBackstop = true },
        Correlations =
        [
            new Correlation
            {
                Inputs = ["parking.occupancy", "ev_charging.utilisation", "commercial_lease.occupancy"],
                Matrix = [1, 0.6, 0.6, 0.6, 1, 0.6, 0.6, 0.6, 1],
            },
        ],
        Analysis = new Analysis { DiscountRate = 0.05, CoverageRequirement = 1.2, Paths = paths, Seed = seed, Sampling = sampling },
    };
}
