namespace DistrictSim.Evaluation;

/// <summary>
/// The metrics of one path (domain.md section 5). NaN means undefined: no IRR root in
/// [-99%, +100%], no debt service for a DSCR, a payback that never comes, no shortfall year.
/// </summary>
public readonly record struct Metrics(
    double NpvYuan,
    double EquityNpvYuan,
    double ProjectIrr,
    double EquityIrr,
    double MinDscr,
    double CoverageRatio,
    double SpecialBondCoverage,
    double Llcr,
    double PaybackYear,
    double FiscalTopupYuan,
    double FirstShortfallYear,
    double FundingGapYuan,
    double DefaultYuan);
