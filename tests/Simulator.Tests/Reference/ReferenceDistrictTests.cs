using DistrictSim.Compilation;
using DistrictSim.Evaluation;
using Xunit;

namespace DistrictSim.Simulator.Tests.Reference;

/// <summary>
/// The reference district of reference-district.md with its random inputs fixed at
/// m = 1, e = 0, k = 1, g = 2%, o_p = 8/11, u = 0.1167, c = 0.7, o_s = 9/11 and no default,
/// checked year by year against figures computed here from the document's text alone.
/// </summary>
public sealed class ReferenceDistrictTests
{
    private const double Capex = 76_000_000;
    private const double R = 0.032, G = 0.02, Op = 8.0 / 11, U = 0.1167, C = 0.7, Os = 9.0 / 11, K = 1.0;

    private sealed record Expected(double[] Capex, double[] Revenue, double[] Cfads, double[] DebtService, double[] Reserve, double[] Topup,
        double Npv, double MinDscr, double Coverage);

    private static Expected Independent()
    {
        var capex = new double[30];
        capex[0] = capex[1] = Capex / 2;
        var revenue = new double[30];
        var cfads = new double[30];
        var ds = new double[30];
        var reserve = new double[30];
        var topup = new double[30];

        // Special bond: 30.4M issued at the end of year 1; 3% on the opening balance, years 2..21;
        // principal in 10 equal parts at the end of years 12..21.
        var bond = 0.40 * Capex;
        var bondBalance = bond;
        // Policy loan: 19M drawn at the end of year 1; interest only in years 2..4; annuity years 5..24.
        var loan = 0.25 * Capex;
        var loanBalance = loan;
        var payment = loan * R / (1 - Math.Pow(1 + R, -20));
        for (var t = 2; t <= 24; t++)
        {
            if (t <= 21)
            {
                var principal = t >= 12 ? bond / 10 : 0;
                ds[t] += bondBalance * 0.03 + principal;
                bondBalance -= principal;
            }
            var interest = loanBalance * R;
            var loanPrincipal = t >= 5 ? payment - interest : 0;
            ds[t] += interest + loanPrincipal;
            loanBalance -= loanPrincipal;
        }

        double res = 0, npv = 0, minDscr = double.PositiveInfinity, sumCfads = 0, sumDs = 0;
        for (var t = 0; t < 30; t++)
        {
            if (t >= 2)
            {
                var ramp = t == 2 ? 0.5 : t == 3 ? 0.75 : 1.0;
                var ops = t <= 11 ? 2_040_000 : 2_040_000 * K * Math.Pow(1.02, t - 12);
                var parking = 400 * Op * 250 * 12 * Math.Pow(1 + G, t - 2) * ramp;
                var ev = 60 * 7 * 8760 * U * 0.60 * ramp;
                var fee = 1200 * 65 * 1.00 * 12 * C;
                var lease = 1800 * 3.00 * 365 * Os;
                revenue[t] = ops + parking + ev + fee + lease;
                var opex = 1_500_000 * Math.Pow(1.025, t - 2) + 0.15 * revenue[t];
                cfads[t] = revenue[t] - opex;
                res += cfads[t] - ds[t];
                if (res < 0)
                {
                    topup[t] = -res;
                    res = 0;
                }
                reserve[t] = res;
            }
            npv += (cfads[t] - capex[t]) / Math.Pow(1.05, t + 1);
            if (t is >= 2 and <= 24)
            {
                minDscr = Math.Min(minDscr, cfads[t] / ds[t]);
                sumCfads += cfads[t];
                sumDs += ds[t];
            }
        }
        return new Expected(capex, revenue, cfads, ds, reserve, topup, npv, minDscr, sumCfads / sumDs);
    }

    private static Statement EngineAtFixedInputs()
    {
        var compiled = DistrictCompiler.Compile(ReferenceDistrictModel.Build());
        var slots = compiled.BaseSlotValues.ToArray();
        void Set(string key, double value)
        {
            var slot = compiled.SlotOf(key);
            Assert.True(slot >= 0, $"the reference district has no uncertain input '{key}'");
            slots[slot] = value;
        }
        Set("capex.overrun", 1.0);
        Set("policy_loan.base_rate", R);
        Set("ops_contract.relet_factor", K);
        Set("ops_contract.default_year", 1e6);
        Set("parking.growth", G);
        Set("parking.occupancy", Op);
        Set("ev_charging.utilisation", U);
        Set("property_fee.collection_rate", C);
        Set("commercial_lease.occupancy", Os);
        return BaseCase.Evaluate(compiled, slots);
    }

    private static void AssertYears(string what, double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var t = 0; t < expected.Length; t++)
        {
            var tolerance = 1e-9 * Math.Max(1, Math.Abs(expected[t]));
            Assert.True(Math.Abs(expected[t] - actual[t]) <= tolerance,
                $"{what}: expected {expected[t]:R} at year {t}, found {actual[t]:R}");
        }
    }

    [Fact]
    public void Year_by_year_figures_match_an_independent_computation()
    {
        var expected = Independent();
        var s = EngineAtFixedInputs();
        AssertYears("capex", expected.Capex, s.CapexYuan);
        AssertYears("revenue", expected.Revenue, s.RevenueYuan);
        AssertYears("CFADS", expected.Cfads, s.CfadsYuan);
        AssertYears("debt service", expected.DebtService, s.DebtServiceYuan);
        AssertYears("reserve", expected.Reserve, s.ReserveYuan);
        AssertYears("fiscal top-up", expected.Topup, s.FiscalTopupYuan);
    }

    [Fact]
    public void Metrics_match_an_independent_computation()
    {
        var expected = Independent();
        var m = EngineAtFixedInputs().Metrics;
        Assert.Equal(expected.Npv, m.NpvYuan, 1e-9 * Capex);
        Assert.Equal(expected.MinDscr, m.MinDscr, 1e-12);
        Assert.Equal(expected.Coverage, m.CoverageRatio, 1e-12);
        Assert.Equal(expected.Topup.Sum(), m.FiscalTopupYuan, 1e-6);
        // The IRR zeroes the project's NPV.
        var flows = expected.Cfads.Zip(expected.Capex, (c, k) => c - k).ToArray();
        Assert.Equal(0, DistrictSim.Finance.Irr.Npv(m.ProjectIrr, flows), 1e-6 * Capex);
    }

    [Fact]
    public void Equity_absorbs_the_overrun_and_sources_equal_uses()
    {
        // m = 1.3: equity = capex x m minus grant, bond and loan over the two construction years.
        var compiled = DistrictCompiler.Compile(ReferenceDistrictModel.Build());
        var slots = compiled.BaseSlotValues.ToArray();
        slots[compiled.SlotOf("capex.overrun")] = 1.3;
        var s = BaseCase.Evaluate(compiled, slots);
        var equity = s.Sources.Single(x => x.Name == "social_capital").Yuan;
        Assert.Equal(Capex * 1.3 - 0.20 * Capex - 0.40 * Capex - 0.25 * Capex, equity.Sum(), 1e-6);
        for (var t = 0; t < s.Years; t++)
        {
            var sources = s.Sources.Sum(x => x.Yuan[t]);
            Assert.True(Math.Abs(sources - s.CapexYuan[t] - s.InterestReserveFundingYuan[t]) < 1e-6, $"sources differ from uses in year {t}");
        }
    }
}
