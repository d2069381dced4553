namespace DistrictSim.Evaluation;

/// <summary>
/// The year-by-year statement of one path (the base case, or any path re-evaluated): plain data
/// that the CLI prints and notebooks frame. Index i of every array is calendar year i
/// (year 0 = the first construction year); amounts are yuan at the end of the year.
/// </summary>
public sealed record Statement
{
    public required int Years { get; init; }
    /// <summary>First operating year (construction years plus the path's delay).</summary>
    public required int OperationStartYear { get; init; }

    // Uses and sources of construction funds
    public required double[] CapexYuan { get; init; }
    /// <summary>Extra debt drawn to fund a construction-interest reserve (uses).</summary>
    public required double[] InterestReserveFundingYuan { get; init; }
    /// <summary>By funding source name: grants, residents, debt draws and equity contributed each year.</summary>
    public required IReadOnlyList<NamedSeries> Sources { get; init; }
    /// <summary>Uses not covered by any source (reported, never absorbed).</summary>
    public required double[] FundingGapYuan { get; init; }
    /// <summary>Sources beyond uses carried to the next year (construction cash balance, end of year).</summary>
    public required double[] ConstructionCashYuan { get; init; }

    // Operations
    /// <summary>By stream name.</summary>
    public required IReadOnlyList<NamedSeries> Revenue { get; init; }
    public required double[] RevenueYuan { get; init; }
    public required double[] OperatingCostYuan { get; init; }
    public required double[] TaxYuan { get; init; }
    public required double[] CfadsYuan { get; init; }

    // Debt, by instrument name
    public required IReadOnlyList<NamedSeries> InterestDue { get; init; }
    public required IReadOnlyList<NamedSeries> PrincipalDue { get; init; }
    /// <summary>Balance at the end of the year, by instrument.</summary>
    public required IReadOnlyList<NamedSeries> DebtBalance { get; init; }
    public required double[] DebtServiceYuan { get; init; }
    /// <summary>CFADS / debt service; NaN in years without debt service.</summary>
    public required double[] Dscr { get; init; }

    // Waterfall
    public required double[] ReserveYuan { get; init; }
    public required double[] FiscalTopupYuan { get; init; }
    public required double[] DefaultYuan { get; init; }
    public required double[] EquityDistributionYuan { get; init; }
    /// <summary>Undiscounted project cash: -capex + CFADS, cumulated.</summary>
    public required double[] CumulativeProjectCashYuan { get; init; }

    public required Metrics Metrics { get; init; }
}

public sealed record NamedSeries(string Name, string Kind, double[] Yuan);
