using DistrictSim.Model;

namespace DistrictSim.Scenarios.Tests;

public class ReferenceDistrictTests
{
    private static LoadResult Load() => ScenarioLoader.Load(TestPaths.Reference);

    [Fact]
    public void Reference_district_loads_without_diagnostics()
    {
        var result = Load();
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Reference_district_has_the_expected_key_fields()
    {
        var d = Load().District!;
        Assert.Equal("Reference district", d.Metadata.Name);
        Assert.Equal("CNY", d.Metadata.Currency);
        Assert.Equal(2, d.Timeline.ConstructionYears);
        Assert.Equal(30, d.Timeline.HorizonYears);
        Assert.Equal(new Triangular(0.95, 1.00, 1.30), d.Capex.Overrun.Distribution);

        var building = Assert.Single(d.Capex.Components);
        Assert.Equal(CapexCategory.Complete, building.Category);
        Assert.Equal(CapexTag.RevenueBearing, building.Tag);
        Assert.Equal(76_000_000.0, building.AmountYuan.BaseValue); // 7600万 = 7600 x 10^4
        Assert.Equal([0.5, 0.5], building.Phasing);

        Assert.Equal(["central_budget", "special_bond", "policy_loan", "social_capital"], d.Funding.Select(f => f.Name));
        var grant = Assert.IsType<Grant>(d.Funding[0]);
        Assert.Equal(GrantKind.CentralBudget, grant.Kind);
        Assert.Equal(0.20, grant.Amount.Share!.BaseValue);

        var bond = Assert.IsType<SpecialBond>(d.Funding[1]);
        Assert.Equal(0.40, bond.Amount.Share!.BaseValue);
        Assert.Equal(1, bond.IssueYear);
        Assert.Equal(0.03, bond.Coupon.BaseValue);
        Assert.Equal(CouponFrequency.Annual, bond.CouponFrequency);
        Assert.Equal(20, bond.TenorYears);
        Assert.Equal(PrincipalRepayment.EqualParts, bond.Repayment);
        Assert.Equal((12, 21), (bond.RepayFromYear, bond.RepayToYear));

        var loan = Assert.IsType<Loan>(d.Funding[2]);
        Assert.Equal(LoanKind.Policy, loan.Kind);
        Assert.Equal([new YearShare(1, 1.0)], loan.Drawdown);
        Assert.Equal(new Normal(0.032, 0.005), loan.BaseRate.Distribution);
        Assert.Equal(0.01, loan.RateFloor);
        Assert.Equal((3, 20), (loan.GraceYears, loan.RepaymentYears));
        Assert.Equal(LoanRepayment.EqualInstalments, loan.Repayment);

        var equity = Assert.IsType<SocialCapital>(d.Funding[3]);
        Assert.True(equity.Residual);

        var ops = Assert.IsType<OpsContract>(d.Revenues[0]);
        Assert.Equal(2_040_000.0, ops.AnnualYuan.BaseValue); // 204万
        Assert.Equal(10, ops.TermYears);
        Assert.Equal(0.03, ops.DefaultProbability);
        Assert.Equal(new LogNormal(0, 0.25), ops.ReletFactor.Distribution);

        var parking = Assert.IsType<Parking>(d.Revenues[1]);
        Assert.Equal(400.0, parking.Spaces.BaseValue);
        Assert.Equal(new Beta(8, 3), parking.Occupancy.Distribution);
        Assert.Equal(250.0, parking.FeeYuanPerSpacePerMonth!.BaseValue);
        Assert.Equal(new Normal(0.02, 0.01), parking.Growth.Distribution);
        Assert.Equal([0.5, 0.75], parking.Ramp);

        var lease = Assert.IsType<CommercialLease>(d.Revenues[4]);
        Assert.Equal(RentBasis.PerM2PerDay, lease.RentBasis);
        Assert.Equal(new Beta(9, 2), lease.Occupancy.Distribution);

        Assert.Equal(1_500_000.0, d.Costs.Fixed[0].AnnualYuan.BaseValue);
        Assert.Equal(0.15, d.Costs.Variable[0].ShareOfRevenue.BaseValue);
        Assert.Equal(PreOperationInterest.Capitalised, d.Waterfall.PreOperationInterest);

        var correlation = Assert.Single(d.Correlations);
        Assert.Equal(["parking.occupancy", "ev_charging.utilisation", "commercial_lease.occupancy"], correlation.Inputs);
        Assert.Equal(0.6, correlation[0, 1]);

        Assert.Equal(100_000, d.Analysis.Paths);
        Assert.Equal(42UL, d.Analysis.Seed);
        Assert.Equal(SamplingMethod.MonteCarlo, d.Analysis.Sampling);
        // Provenance: every figure in the sources block names the field it documents.
        Assert.NotEmpty(d.Metadata.Sources);
        Assert.All(d.Metadata.Sources, s => Assert.False(string.IsNullOrWhiteSpace(s.Field)));
    }
}

public class ReferenceDistrictFileTests
{
    [Fact]
    public void The_benchmark_file_describes_exactly_the_reference_district_that_the_engine_tests_check()
    {
        // scenarios/reference-district.yaml must be the district that tests/Simulator.Tests/Reference checks
        // year by year against reference-district.md: equal in every field but its metadata (notes, sources).
        var loaded = ScenarioLoader.Load(TestPaths.Reference);
        Assert.True(loaded.Success, string.Join("\n", loaded.Diagnostics));
        var file = loaded.District!;
        var code = DistrictSim.Simulator.Tests.Reference.ReferenceDistrictModel.Build(file.Analysis.Paths, file.Analysis.Seed);
        Assert.Equal(100_000, file.Analysis.Paths);
        Assert.Equal(code with { Metadata = file.Metadata }, file);
    }
}
