namespace DistrictSim.Model;

/// <summary>
/// How much a source provides: a fixed amount in yuan, or a share of the planned (base) capex of
/// the eligible components, optionally capped. Shares apply to planned cost, so overruns fall on
/// whoever absorbs the residual (social capital, else a reported funding gap).
/// </summary>
public sealed record FundingAmount
{
    /// <summary>A fixed amount in yuan (null when the amount is a share).</summary>
    public Input? Yuan { get; init; }
    /// <summary>Share of the eligible components' planned capex (0..1).</summary>
    public Input? Share { get; init; }
    /// <summary>Which components are eligible for a share; empty means every component.</summary>
    public Eligibility Eligible { get; init; } = new();
    /// <summary>Upper limit in yuan (for example 280,000 yuan per lift times the lifts).</summary>
    public double? CapYuan { get; init; }

    public static FundingAmount Fixed(Input yuan) => new() { Yuan = yuan };

    public static FundingAmount ShareOf(Input share, Eligibility? eligible = null) => new() { Share = share, Eligible = eligible ?? new Eligibility() };
}

/// <summary>A filter over capex components: by category, tag or name. Empty lists do not filter.</summary>
public sealed record Eligibility
{
    public ValueArray<CapexCategory> Categories { get; init; }
    public ValueArray<CapexTag> Tags { get; init; }
    public ValueArray<string> Components { get; init; }

    public bool Admits(CapexComponent component) =>
        (Categories.IsEmpty || Categories.Contains(component.Category))
        && (Tags.IsEmpty || Tags.Contains(component.Tag))
        && (Components.IsEmpty || Components.Contains(component.Name));
}

/// <summary>One source in the funding stack (资金拼盘).</summary>
public abstract record FundingSource
{
    public required string Name { get; init; }
    public required FundingAmount Amount { get; init; }
}

public enum GrantKind
{
    /// <summary>中央预算内投资</summary>
    CentralBudget,
    /// <summary>超长期特别国债: repaid by the central government, a grant to the project.</summary>
    TreasuryBond,
    /// <summary>地方财政 grants.</summary>
    LocalFiscal,
    /// <summary>居民出资: one-off contributions (a lift's cost shared by floor).</summary>
    Residents,
}

/// <summary>Money the project never repays, received with the capex it funds.</summary>
public sealed record Grant : FundingSource
{
    public required GrantKind Kind { get; init; }
}

public enum CouponFrequency
{
    Annual,
    /// <summary>Two coupons of rate/2 a year, rolled up into the year; with principal paid at year end this equals annual.</summary>
    SemiAnnual,
}

public enum PrincipalRepayment
{
    /// <summary>All principal at maturity.</summary>
    Bullet,
    /// <summary>Equal parts over a range of years.</summary>
    EqualParts,
    /// <summary>Shares of principal per year, given explicitly.</summary>
    Custom,
}

/// <summary>
/// 地方政府专项债券: issued at the end of IssueYear, coupon on the balance at the start of each year,
/// repaid from project revenue.
/// </summary>
public sealed record SpecialBond : FundingSource
{
    public required int IssueYear { get; init; }
    public required Input Coupon { get; init; }
    public CouponFrequency CouponFrequency { get; init; } = CouponFrequency.SemiAnnual;
    /// <summary>Years from issue to the last repayment: the last payment is at the end of IssueYear + TenorYears.</summary>
    public required int TenorYears { get; init; }
    public PrincipalRepayment Repayment { get; init; } = PrincipalRepayment.Bullet;
    /// <summary>With EqualParts: the first and last calendar years of repayment (default: the last year alone).</summary>
    public int? RepayFromYear { get; init; }
    public int? RepayToYear { get; init; }
    /// <summary>With Custom: share of principal repaid in each calendar year (sums to 1).</summary>
    public ValueArray<YearShare> Schedule { get; init; }
    /// <summary>Order in the waterfall: lower is paid first.</summary>
    public int Seniority { get; init; } = 1;

    public int MaturityYear => IssueYear + TenorYears;
}

public readonly record struct YearShare(int Year, double Share);

public enum LoanKind
{
    /// <summary>政策性银行贷款 (CDB, ADBC).</summary>
    Policy,
    Commercial,
}

public enum LoanRepayment
{
    EqualPrincipal,
    /// <summary>Equal instalments (an annuity), recomputed on the remaining balance when the rate floats.</summary>
    EqualInstalments,
}

/// <summary>
/// A bank loan: drawn in the given years, interest-only for the grace years after the last
/// drawdown, then repaid over RepaymentYears. Rate = max(floor, base + spread).
/// </summary>
public sealed record Loan : FundingSource
{
    public required LoanKind Kind { get; init; }
    /// <summary>Share of the amount drawn at the end of each year (sums to 1).</summary>
    public required ValueArray<YearShare> Drawdown { get; init; }
    /// <summary>The base rate, for example the 5-year LPR; may be a yearly process.</summary>
    public required Input BaseRate { get; init; }
    public Input Spread { get; init; } = 0.0;
    public double? RateFloor { get; init; }
    public int GraceYears { get; init; }
    public required int RepaymentYears { get; init; }
    public LoanRepayment Repayment { get; init; } = LoanRepayment.EqualInstalments;
    public int Seniority { get; init; } = 1;

    public int LastDrawYear => Drawdown.Max(d => d.Year);
    public int FirstRepaymentYear => LastDrawYear + GraceYears + 1;
    public int MaturityYear => FirstRepaymentYear + RepaymentYears - 1;
}

/// <summary>
/// 社会资本 equity: a fixed amount, or the residual that absorbs every gap between uses and
/// the other sources (overruns included). Its return is judged against the hurdle rate.
/// </summary>
public sealed record SocialCapital : FundingSource
{
    public bool Residual { get; init; }
    public double HurdleRate { get; init; } = 0.06;
}
