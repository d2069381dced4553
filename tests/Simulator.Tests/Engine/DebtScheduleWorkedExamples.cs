using DistrictSim.Finance;
using DistrictSim.Model;
using Xunit;
using static DistrictSim.Simulator.Tests.Engine.Worked;

namespace DistrictSim.Simulator.Tests.Engine;

/// <summary>
/// Debt schedules evaluated through a district (domain.md section 4: drawn with the capex, interest
/// on the balance at the start of the year, grace = interest only).
/// </summary>
public sealed class DebtScheduleWorkedExamples
{
    [Fact]
    public void EqualPrincipalLoan_ChargesInterestOnOpeningBalance_AndRepaysEqualParts()
    {
        // One construction year; a 1,000,000 loan drawn at the end of year 0 at 5%, no grace,
        // repaid in 4 equal parts in years 1-4. Operations start in year 1, so no pre-operation interest.
        var district = District(1, 6,
            [Component("garage", 1_000_000)],
            [Loan("cdb", 1_000_000, 0.05, 0, 4, LoanRepayment.EqualPrincipal)],
            [Rent("shops", 400_000)]);
        var s = Evaluate(district);

        // principal 1,000,000 / 4 = 250,000 a year; opening balances 1,000,000, 750,000, 500,000, 250,000
        // interest 5% of those: 50,000, 37,500, 25,000, 12,500.
        double[] principal = [0, 250_000, 250_000, 250_000, 250_000, 0];
        double[] interest = [0, 50_000, 37_500, 25_000, 12_500, 0];
        double[] balance = [1_000_000, 750_000, 500_000, 250_000, 0, 0];
        Rows(principal, Row(s.PrincipalDue, "cdb"), 1e-6, "principal");
        Rows(interest, Row(s.InterestDue, "cdb"), 1e-6, "interest");
        Rows(balance, Row(s.DebtBalance, "cdb"), 1e-6, "balance");
        // DSCR = CFADS / debt service: 400,000 / 300,000, / 287,500, / 275,000, / 262,500.
        double[] dscr = [double.NaN, 400_000 / 300_000.0, 400_000 / 287_500.0, 400_000 / 275_000.0, 400_000 / 262_500.0, double.NaN];
        for (var t = 0; t < dscr.Length; t++)
        {
            if (double.IsNaN(dscr[t])) Assert.True(double.IsNaN(s.Dscr[t]), $"DSCR: expected NaN at year {t}, found {s.Dscr[t]}");
            else Near(dscr[t], s.Dscr[t], 1e-12, "DSCR", t);
        }
        Near(400_000 / 300_000.0, s.Metrics.MinDscr, 1e-12, "minimum DSCR");
        // Coverage over years 1-4: 4 x 400,000 / (1,000,000 + 125,000 interest) = 1,600,000 / 1,125,000.
        Near(1_600_000 / 1_125_000.0, s.Metrics.CoverageRatio, 1e-12, "coverage ratio");
    }

    [Fact]
    public void BulletSpecialBond_PaysCouponEachYear_AndAllPrincipalAtMaturity()
    {
        // 600,000 special bond issued at the end of year 0, 5-year tenor (maturity year 5), 3% coupon.
        var bond = new SpecialBond
        {
            Name = "bond",
            Amount = FundingAmount.Fixed(600_000),
            IssueYear = 0,
            TenorYears = 5,
            Coupon = 0.03,
            Repayment = PrincipalRepayment.Bullet,
        };
        var s = Evaluate(District(1, 8, [Component("garage", 600_000)], [bond], [Rent("shops", 100_000)]));

        // coupon 3% x 600,000 = 18,000 in years 1-5; principal 600,000 in year 5; nothing after.
        double[] interest = [0, 18_000, 18_000, 18_000, 18_000, 18_000, 0, 0];
        double[] principal = [0, 0, 0, 0, 0, 600_000, 0, 0];
        double[] balance = [600_000, 600_000, 600_000, 600_000, 600_000, 0, 0, 0];
        Rows(interest, Row(s.InterestDue, "bond"), 1e-6, "coupon");
        Rows(principal, Row(s.PrincipalDue, "bond"), 1e-6, "principal");
        Rows(balance, Row(s.DebtBalance, "bond"), 1e-6, "balance");
        Rows([600_000, 0, 0, 0, 0, 0, 0, 0], Row(s.Sources, "bond"), 1e-6, "bond draw");
    }

    [Fact]
    public void GracePeriodLoan_PaysInterestOnly_ThenLevelInstalments()
    {
        // 1,000,000 drawn at the end of year 0 at 6%, 2 grace years (years 1-2 interest only),
        // then 3 equal instalments in years 3-5.
        var s = Evaluate(District(1, 7,
            [Component("garage", 1_000_000)],
            [Loan("cdb", 1_000_000, 0.06, 2, 3, LoanRepayment.EqualInstalments)],
            [Rent("shops", 500_000)]));

        // Instalment = 1,000,000 x 0.06 / (1 - 1.06^-3) = 374,109.81.
        var payment = 1_000_000 * 0.06 / (1 - Math.Pow(1.06, -3));
        Near(374_109.81, payment, 0.005, "hand instalment");
        // Year 3: interest 60,000, principal 314,109.81; year 4: opening 685,890.19, interest 41,153.41,
        // principal 332,956.40; year 5: opening 352,933.79, interest 21,176.03, principal 352,933.79.
        var o3 = 1_000_000.0;
        var p3 = payment - 0.06 * o3;
        var o4 = o3 - p3;
        var p4 = payment - 0.06 * o4;
        var o5 = o4 - p4;
        double[] interest = [0, 60_000, 60_000, 0.06 * o3, 0.06 * o4, 0.06 * o5, 0];
        double[] principal = [0, 0, 0, p3, p4, o5, 0];
        Rows(interest, Row(s.InterestDue, "cdb"), 1e-6, "interest");
        Rows(principal, Row(s.PrincipalDue, "cdb"), 1e-6, "principal");
        for (var t = 3; t <= 5; t++) Near(payment, s.DebtServiceYuan[t], 1e-6, "level instalment", t);
        Near(0, Row(s.DebtBalance, "cdb")[5], 1e-6, "balance at maturity", 5);
        // Sanity against the library's own annuity.
        Near(payment, Annuity.Payment(1_000_000, 0.06, 3), 1e-9, "Annuity.Payment");
    }
}
