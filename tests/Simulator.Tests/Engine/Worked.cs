using DistrictSim.Compilation;
using DistrictSim.Evaluation;
using DistrictSim.Model;
using Xunit;

namespace DistrictSim.Simulator.Tests.Engine;

/// <summary>Small builders for the worked-example districts: every input a fixed value.</summary>
internal static class Worked
{
    public static CapexComponent Component(string name, double amountYuan, params double[] phasing) => new()
    {
        Name = name,
        Category = CapexCategory.Complete,
        Tag = CapexTag.RevenueBearing,
        AmountYuan = amountYuan,
        Phasing = [.. phasing],
    };

    public static District District(
        int constructionYears,
        int horizonYears,
        CapexComponent[] components,
        FundingSource[]? funding = null,
        RevenueStream[]? revenues = null,
        Waterfall? waterfall = null,
        double delayYears = 0,
        double overrun = 1.0,
        double discountRate = 0.05) => new()
    {
        Metadata = new Metadata { Name = "worked example" },
        Timeline = new Timeline { ConstructionYears = constructionYears, HorizonYears = horizonYears, DelayYears = delayYears },
        Capex = new Capex { Components = [.. components], Overrun = overrun },
        Funding = [.. funding ?? []],
        Revenues = [.. revenues ?? []],
        Waterfall = waterfall ?? new Waterfall(),
        Analysis = new Analysis { DiscountRate = discountRate },
    };

    public static AssetRent Rent(string name, double annualYuan) => new() { Name = name, AnnualYuan = annualYuan };

    public static Loan Loan(string name, double yuan, double rate, int graceYears, int repaymentYears, LoanRepayment repayment, int drawYear = 0) => new()
    {
        Name = name,
        Kind = LoanKind.Policy,
        Amount = FundingAmount.Fixed(yuan),
        Drawdown = [new YearShare(drawYear, 1.0)],
        BaseRate = rate,
        GraceYears = graceYears,
        RepaymentYears = repaymentYears,
        Repayment = repayment,
    };

    public static Statement Evaluate(District district) => BaseCase.Evaluate(DistrictCompiler.Compile(district));

    public static double[] Row(IReadOnlyList<NamedSeries> series, string name) =>
        series.Single(s => s.Name == name).Yuan;

    /// <summary>Fails with "what: expected X at year i, found Y" unless |expected - actual| is within tolerance.</summary>
    public static void Near(double expected, double actual, double tolerance, string what, int year)
    {
        if (!(Math.Abs(expected - actual) <= tolerance))
        {
            Assert.Fail($"{what}: expected {expected:R} at year {year}, found {actual:R}");
        }
    }

    public static void Near(double expected, double actual, double tolerance, string what)
    {
        if (!(Math.Abs(expected - actual) <= tolerance))
        {
            Assert.Fail($"{what}: expected {expected:R}, found {actual:R}");
        }
    }

    /// <summary>Every year of <paramref name="actual"/> against the expected row.</summary>
    public static void Rows(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: expected {expected.Length} years, found {actual.Length}");
        for (var t = 0; t < expected.Length; t++) Near(expected[t], actual[t], tolerance, what, t);
    }
}
