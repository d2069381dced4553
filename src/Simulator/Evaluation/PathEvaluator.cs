using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DistrictSim.Compilation;
using DistrictSim.Finance;
using DistrictSim.Model;
using DistrictSim.Numerics;

namespace DistrictSim.Evaluation;

/// <summary>
/// Evaluates one path of a compiled district: every input fixed by the path's input vector.
/// Owns preallocated year-indexed buffers and allocates nothing per path, so a worker thread keeps
/// one evaluator and calls <see cref="Evaluate"/> millions of times. After a call the buffers hold
/// the path's year-by-year figures (read them through the properties, or <see cref="ToStatement"/>).
/// </summary>
public sealed class PathEvaluator
{
    private readonly CompiledDistrict _d;
    private readonly int _years;
    private readonly int _construction;

    // Yearly inputs, one row per yearly input.
    private readonly double[] _yearly;
    private readonly bool[] _yearlyKept;         // per yearly input: its row is path-invariant and filled
    // Construction
    private readonly double[] _capex;
    private readonly double[] _interestReserveFunding;
    private readonly double[] _sources;          // [source * years + t]
    private readonly double[] _amounts;          // per source: committed amount (yuan)
    private readonly bool[] _debtReady;          // per source: schedule computed (kept when path-invariant)
    private readonly double[] _debtReserve;      // per source: construction-interest reserve drawn with it
    private readonly double[] _fundingGap;
    private readonly double[] _constructionCash;
    private readonly double[] _componentActual;  // per component: actual cost (with overrun)
    private readonly double[] _componentPlanned; // per component: planned cost
    private readonly double[] _eligiblePlanned;  // per source: the planned cost of the components it funds
    private readonly bool _plannedFixed;         // no component's planned cost is drawn
    private bool _eligibleKept;                  // _eligiblePlanned holds the (path-invariant) values
    // Operations
    private readonly double[] _revenueByStream;  // [stream * years + t]
    private readonly double[] _revenue;
    private readonly double[] _opex;
    private readonly double[] _tax;
    private readonly double[] _cfads;
    // Debt
    private readonly double[] _interest;         // cash interest due [source * years + t]
    private readonly double[] _principal;        // [source * years + t]
    private readonly double[] _balance;          // end-of-year balance [source * years + t]
    private readonly double[] _debtService;
    private readonly double[] _totalInterest;    // by year, for the income tax only (not kept without one)
    private readonly bool _incomeTax;
    private readonly double[] _dscr;
    // Waterfall
    private readonly double[] _reserve;
    private readonly double[] _topup;
    private readonly double[] _default;
    private readonly double[] _equityDistribution;
    private readonly double[] _equityFlow;
    private readonly double[] _projectFlow;
    private readonly double[] _cumulative;
    private int _operationStart;
    private readonly int _fundingEnd;            // one past the last year in which capex, a source or a reserve can be non-zero
    // Metrics: special bonds and the debt senior to them (in debt order), the equity hurdle.
    private readonly int[] _bondSources;
    private readonly int[] _seniorSources;
    private readonly double[] _net;              // by year: CFADS less debt service (the waterfall's scratch row)
    private readonly double[] _bondService;      // by year: the special bonds' interest and principal
    private readonly double[] _seniorService;    // by year: the same of the debt senior to them
    private readonly bool _serviceInvariant;     // every schedule in those two rows is path-invariant
    private bool _serviceKept;                   // the two rows hold their (path-invariant) values
    private readonly double _equityHurdle;
    private readonly bool _midYear;
    // Growth and inflation indices by year (1 at the operation start, times 1 + rate each year after), one row
    // per stream then per fixed cost; a row whose rates no input changes is kept while the start stays the same.
    private readonly double[] _indexRows;
    private readonly double[] _others;
    private readonly double[] _rates;            // a debt schedule's rate by year (scratch)
    private readonly int[] _indexStart;
    // Per ops contract stream: its re-let growth index by year, and the operation start it was made for (-1: none).
    private readonly double[] _reletIndex;
    private readonly int[] _reletStart;

    public PathEvaluator(CompiledDistrict district)
    {
        _d = district;
        _years = district.Years;
        _construction = district.ConstructionYears;
        var y = _years;
        var sources = district.Sources.Length;
        _yearly = new double[district.YearlyInputs.Length * y];
        _yearlyKept = new bool[district.YearlyInputs.Length];
        _capex = new double[y];
        _interestReserveFunding = new double[y];
        _sources = new double[sources * y];
        _amounts = new double[sources];
        _debtReady = new bool[sources];
        _debtReserve = new double[sources];
        _fundingGap = new double[y];
        _constructionCash = new double[y];
        _componentActual = new double[district.Components.Length];
        _componentPlanned = new double[district.Components.Length];
        _eligiblePlanned = new double[sources];
        _plannedFixed = district.Components.All(c => c.Amount.Slot < 0);
        _revenueByStream = new double[district.Streams.Length * y];
        _revenue = new double[y];
        _opex = new double[y];
        _tax = new double[y];
        _cfads = new double[y];
        _interest = new double[sources * y];
        _principal = new double[sources * y];
        _balance = new double[sources * y];
        _debtService = new double[y];
        _totalInterest = new double[y];
        _incomeTax = district.Model.Taxes.IncomeTaxRate > 0;
        _dscr = new double[y];
        _reserve = new double[y];
        _topup = new double[y];
        _default = new double[y];
        _equityDistribution = new double[y];
        _equityFlow = new double[y];
        _projectFlow = new double[y];
        _cumulative = new double[y];
        var minSeniority = int.MaxValue;
        foreach (var s in district.DebtOrder)
        {
            if (district.Sources[s].Kind == FundingKind.SpecialBond) minSeniority = Math.Min(minSeniority, district.Sources[s].Seniority);
        }
        _bondSources = district.DebtOrder.Where(s => district.Sources[s].Kind == FundingKind.SpecialBond).ToArray();
        _seniorSources = minSeniority == int.MaxValue
            ? []
            : district.DebtOrder.Where(s => district.Sources[s].Kind != FundingKind.SpecialBond && district.Sources[s].Seniority < minSeniority).ToArray();
        _net = new double[y];
        _bondService = new double[y];
        _seniorService = new double[y];
        _serviceInvariant = _bondSources.Concat(_seniorSources).All(s => district.Sources[s].PathInvariant);
        _equityHurdle = district.EquitySource >= 0 ? district.Sources[district.EquitySource].HurdleRate : 0;
        _midYear = district.Model.Analysis.MidYearDiscounting;
        var indexRows = district.Streams.Length + district.FixedCosts.Length;
        _indexRows = new double[indexRows * y];
        _others = new double[y];
        _rates = new double[y];
        // Capex and grants follow the components' phasing, debt and its interest reserve the draws; the year after the
        // last non-zero entry of any of them ends the construction account's movements on every path.
        var fundingEnd = 1; // a grant with nothing eligible arrives in year 0
        foreach (var component in district.Components) fundingEnd = Math.Max(fundingEnd, Rows.LastNonZero(component.Phasing) + 1);
        foreach (var source in district.Sources)
        {
            if (source.IsDebt) fundingEnd = Math.Max(fundingEnd, Rows.LastNonZero(source.Draws) + 1);
        }
        _fundingEnd = Math.Min(fundingEnd, y);
        _indexStart = new int[indexRows];
        Array.Fill(_indexStart, -1);
        _reletIndex = new double[district.Streams.Length * y];
        _reletStart = new int[district.Streams.Length];
        Array.Fill(_reletStart, -1);
    }

    /// <summary>
    /// Row <paramref name="row"/> of the index cache: entry t (t from the operation start) is the product of
    /// 1 + rate over the years from the start to t - 1, multiplied in that order, exactly as a running index.
    /// </summary>
    private ReadOnlySpan<double> IndexRow(int row, YearlyRef rates)
    {
        var start = _operationStart;
        var years = _years;
        var index = _indexRows.AsSpan(row * years, years);
        if (_indexStart[row] == start) return index;
        ReadOnlySpan<double> rate = YearlyRow(rates);
        var value = 1.0;
        for (var t = start; t < index.Length; t++)
        {
            index[t] = value;
            value *= 1 + rate[t];
        }
        _indexStart[row] = IsPathInvariant(rates) ? start : -1;
        return index;
    }

    private static bool IsPathInvariant(YearlyRef rates) =>
        rates.Kind == YearlyKind.Table || (rates.Kind == YearlyKind.Scalar && rates.Scalar.Slot < 0);

    public CompiledDistrict District => _d;

    /// <summary>The reserve balance at the end of each year of the last evaluated path.</summary>
    public ReadOnlySpan<double> Reserve => _reserve;

    public ReadOnlySpan<double> Cfads => _cfads;

    /// <summary>DSCR by year of the last path; NaN in years without debt service.</summary>
    public ReadOnlySpan<double> Dscr => _dscr;

    /// <summary>The project's net cash flow by year of the last path (CFADS less capex), whose IRR is the project IRR.</summary>
    public ReadOnlySpan<double> ProjectFlow => _projectFlow;

    /// <summary>The equity's net cash flow by year of the last path (distributions less contributions), whose IRR is the equity IRR.</summary>
    public ReadOnlySpan<double> EquityFlow => _equityFlow;

    /// <summary>True when the district has an equity source, so that the equity IRR is that of <see cref="EquityFlow"/> (else undefined).</summary>
    public bool HasEquity => _d.EquitySource >= 0;

    /// <summary>Evaluates one path. <paramref name="slots"/> holds a value for every input slot.</summary>
    public Metrics Evaluate(ReadOnlySpan<double> slots) => Evaluate(slots, irr: true);

    /// <summary>
    /// Evaluates one path but leaves its project and equity IRR undefined (NaN), for a caller that computes them for
    /// many paths at once (<see cref="Irr.ComputeMany"/>) from <see cref="ProjectFlow"/> and <see cref="EquityFlow"/>:
    /// they are then bit for bit what <see cref="Evaluate(ReadOnlySpan{double})"/> gives.
    /// </summary>
    public Metrics EvaluateExceptIrr(ReadOnlySpan<double> slots) => Evaluate(slots, irr: false);

    private Metrics Evaluate(ReadOnlySpan<double> slots, bool irr)
    {
        if (slots.Length < _d.Slots.Count)
        {
            throw new ArgumentException($"the input vector has {slots.Length} values; the district has {_d.Slots.Count} slots", nameof(slots));
        }
        var delay = Math.Max(0, (int)Math.Round(_d.Delay.Get(slots), MidpointRounding.AwayFromZero));
        _operationStart = (int)Math.Min((long)_construction + delay, _years);
        FillYearlyInputs(slots);
        Construction(slots);
        Debt(slots);
        Revenues(slots);
        CostsAndTaxes(slots);
        Waterfall();
        return ComputeMetrics(irr);
    }

    private void FillYearlyInputs(ReadOnlySpan<double> slots)
    {
        var inputs = _d.YearlyInputs;
        for (var i = 0; i < inputs.Length; i++)
        {
            // A row no drawn input changes is filled on the first path and kept.
            if (_yearlyKept[i]) continue;
            var input = inputs[i];
            input.Fill(slots, _yearly.AsSpan(input.Row * _years, _years));
            _yearlyKept[i] = IsPathInvariant(input);
        }
    }

    private ReadOnlySpan<double> YearlyRow(YearlyRef input) => _yearly.AsSpan(input.Row * _years, _years);

    // ---- Construction: capex, the funding stack, sources and uses -------------------------------

    private void Construction(ReadOnlySpan<double> slots)
    {
        // Capex, grants and fixed equity follow the components' phasing, so they are zero from _fundingEnd on, on
        // every path: only the years before it are cleared and written (the later ones keep their initial zeros).
        var end = _fundingEnd;
        Rows.Zero(_capex.AsSpan(0, end));
        Rows.Zero(_interestReserveFunding.AsSpan(0, end));
        for (var s = 0; s < _d.Sources.Length; s++)
        {
            if (!_d.Sources[s].IsDebt) Rows.Zero(_sources.AsSpan(s * _years, end));
        }
        Rows.Zero(_fundingGap);
        // The construction cash is written in full by SourcesAndUses.
        var overrun = _d.Overrun.Get(slots);
        var components = _d.Components;
        Span<double> capex = _capex.AsSpan(0, end);
        for (var c = 0; c < components.Length; c++)
        {
            var planned = components[c].Amount.Get(slots);
            _componentPlanned[c] = planned;
            _componentActual[c] = planned * overrun;
            Rows.AddScaled(capex, planned * overrun, components[c].Phasing);
        }

        var sources = _d.Sources;
        for (var s = 0; s < sources.Length; s++)
        {
            var source = sources[s];
            // What a source's share applies to: computed on every path unless no component's amount is drawn.
            if (!_eligibleKept) _eligiblePlanned[s] = EligiblePlanned(source);
            var eligiblePlanned = _eligiblePlanned[s];
            double amount;
            if (source.Residual) amount = 0;
            else if (source.IsShare) amount = source.Amount.Get(slots) * eligiblePlanned;
            else amount = source.Amount.Get(slots);
            amount = Math.Min(amount, source.Cap);
            _amounts[s] = amount;
            if (source.Residual || source.IsDebt) continue;
            // Grants and fixed equity arrive with the planned spend of what they fund.
            var row = _sources.AsSpan(s * _years, end);
            var anyEligible = eligiblePlanned > 0;
            for (var c = 0; c < components.Length; c++)
            {
                if (anyEligible && !source.Eligible[c]) continue;
                var weight = anyEligible ? _componentPlanned[c] / eligiblePlanned : 0;
                Rows.AddScaled(row, amount * weight, components[c].Phasing);
            }
            if (!anyEligible) row[0] += amount;
        }
        _eligibleKept = _plannedFixed;
        // Debt draws are filled by Debt(), which may enlarge them by a construction-interest reserve.
    }

    private double EligiblePlanned(CompiledSource source)
    {
        double sum = 0;
        for (var c = 0; c < _componentPlanned.Length; c++)
        {
            if (source.Eligible[c]) sum += _componentPlanned[c];
        }
        return sum;
    }

    // ---- Debt schedules ----------------------------------------------------------------------

    private void Debt(ReadOnlySpan<double> slots)
    {
        Rows.Zero(_debtService);
        if (_incomeTax) Rows.Zero(_totalInterest);
        foreach (var s in _d.DebtOrder)
        {
            var source = _d.Sources[s];
            // A schedule that no drawn input can change is computed on the first path and kept.
            if (!source.PathInvariant || !_debtReady[s])
            {
                Schedule(s, source, slots);
                _debtReady[s] = true;
            }
            var reserve = _debtReserve[s];
            if (reserve != 0) Rows.AddScaled(_interestReserveFunding.AsSpan(0, _fundingEnd), reserve, source.Draws);
            var first = source.FirstDrawYear;
            var length = source.MaturityYear - first + 1;
            if (length <= 0) continue;
            ReadOnlySpan<double> interestRow = _interest.AsSpan((s * _years) + first, length);
            Rows.AddSum(_debtService.AsSpan(first, length), interestRow, _principal.AsSpan((s * _years) + first, length));
            if (_incomeTax) Rows.Add(_totalInterest.AsSpan(first, length), interestRow);
        }
        SourcesAndUses();
    }

    /// <summary>The year-by-year schedule of debt instrument <paramref name="s"/>: draws, interest, principal, balance.</summary>
    private void Schedule(int s, CompiledSource source, ReadOnlySpan<double> slots)
    {
        var policy = _d.Model.Waterfall.PreOperationInterest;
        var amount = _amounts[s];
        var coupon = source.Kind == FundingKind.SpecialBond ? source.Coupon.Get(slots) : 0;
        var baseRate = source.BaseRate is null ? default : YearlyRow(source.BaseRate);
        var spread = source.Spread is null ? default : YearlyRow(source.Spread);

        _debtReserve[s] = 0;
        var preOperationInterest = Schedule(s, source, amount, coupon, baseRate, spread, policy);
        if (policy == PreOperationInterest.Reserve && amount > 0 && preOperationInterest > 0)
        {
            // Interest before operations is paid from a reserve drawn with the debt. The schedule is
            // linear in the amount drawn (repayments before operations included), so with I the
            // pre-operation interest on A, f = I / A per yuan, and the reserve that also pays its own
            // interest is R = f (A + R) = I / (1 - I / A); the schedule is then run on A + R.
            var f = Math.Min(preOperationInterest / amount, 0.95);
            _debtReserve[s] = f * amount / (1 - f);
            Schedule(s, source, amount + _debtReserve[s], coupon, baseRate, spread, policy);
        }
    }

    /// <summary>The schedule for <paramref name="amount"/> drawn; returns the interest charged before operations start.</summary>
    private double Schedule(int s, CompiledSource source, double amount, double coupon, ReadOnlySpan<double> baseRate, ReadOnlySpan<double> spread, PreOperationInterest policy)
    {
        int first = source.FirstDrawYear, maturity = source.MaturityYear, start = _operationStart;
        // The loops below write the years from the first draw to maturity, the same years on every path; nothing
        // else writes a debt source's rows, so the other years keep the zeros they were allocated with.
        if (maturity < first) return 0;
        if (first < 0 || maturity >= _years) throw new InvalidOperationException($"debt source {source.Name} runs from year {first} to {maturity}, outside the {_years} years");
        // The year's rate first, a row at a time: the loops then carry only the balance from one year to the next.
        var rates = _rates.AsSpan(first, maturity - first + 1);
        if (source.Kind == FundingKind.SpecialBond)
        {
            rates.Fill(coupon);
        }
        else
        {
            var floor = source.RateFloor;
            for (var t = first; t <= maturity; t++) rates[t - first] = Math.Max(floor, baseRate[t] + spread[t]);
        }
        var state = new ScheduleState(s * _years, amount);
        // Before operations: the general year, with interest capitalised or paid from a reserve.
        var operating = Math.Max(first, start);
        for (var t = first; t < operating && t <= maturity; t++) PreOperationYear(source, ref state, t, rates[t - first], policy);
        if (operating > maturity) return state.PreOperationInterest;
        // In operations: one loop per repayment kind, each with only what it needs.
        switch (source.Repayment)
        {
            case RepaymentKind.Shares:
                OperatingYears(source, ref state, operating, new SharesRepayment(source.PrincipalShares, source.RemainingShares));
                break;
            case RepaymentKind.EqualPrincipal:
                OperatingYears(source, ref state, operating, default(EqualPrincipalRepayment));
                break;
            default:
                OperatingYears(source, ref state, operating, default(AnnuityRepayment));
                break;
        }
        return state.PreOperationInterest;
    }

    /// <summary>What one debt schedule carries from year to year.</summary>
    private struct ScheduleState(int offset, double amount)
    {
        public readonly int Offset = offset;        // of the source's rows in the [source * years + t] arrays
        public readonly double Amount = amount;     // drawn in total
        public double Balance;
        public double Payment;                      // the annuity's level payment at PaymentRate
        public double PaymentRate = double.NaN;
        public bool Recompute = true;               // the level payment must be recomputed (capitalised interest)
        public double PreOperationInterest;
    }

    /// <summary>
    /// The principal due in a year of regular repayment (after the first repayment year, before maturity, with a
    /// balance outstanding) from the opening balance, the year's interest and rate.
    /// </summary>
    private interface IRepayment
    {
        double Principal(ref ScheduleState state, int t, int maturity, double opening, double interest, double rate);
    }

    /// <summary>Shares of the principal per calendar year: opening × share / remaining shares.</summary>
    private readonly struct SharesRepayment(double[] shares, double[] remaining) : IRepayment
    {
        public double Principal(ref ScheduleState state, int t, int maturity, double opening, double interest, double rate) =>
            shares[t] == 0 ? 0 : opening * shares[t] / remaining[t];
    }

    private readonly struct EqualPrincipalRepayment : IRepayment
    {
        public double Principal(ref ScheduleState state, int t, int maturity, double opening, double interest, double rate) =>
            opening / (maturity - t + 1);
    }

    /// <summary>Level payments (equal instalments), recomputed when the rate changes or interest was capitalised.</summary>
    private readonly struct AnnuityRepayment : IRepayment
    {
        public double Principal(ref ScheduleState state, int t, int maturity, double opening, double interest, double rate)
        {
            if (state.Recompute || rate != state.PaymentRate)
            {
                state.Payment = Annuity.Payment(opening, rate, maturity - t + 1);
                state.PaymentRate = rate;
                state.Recompute = false;
            }
            return state.Payment - interest;
        }
    }

    /// <summary>The principal of year t in any year: all that is outstanding at maturity, the repayment's rule in between.</summary>
    private static double PrincipalDue<TRepayment>(ref ScheduleState state, TRepayment repayment, int t, int firstRepayment, int maturity, double opening, double interest, double rate)
        where TRepayment : struct, IRepayment
    {
        if (!(opening > 0 && t >= firstRepayment)) return 0;
        if (t == maturity) return opening; // the last payment repays everything outstanding
        return repayment.Principal(ref state, t, maturity, opening, interest, rate);
    }

    /// <summary>A year before operations start: interest is capitalised (before maturity) or paid from the reserve, per the policy.</summary>
    private void PreOperationYear(CompiledSource source, ref ScheduleState state, int t, double rate, PreOperationInterest policy)
    {
        var opening = state.Balance;
        var interest = opening * rate;
        var maturity = source.MaturityYear;
        var principal = source.Repayment switch
        {
            RepaymentKind.Shares => PrincipalDue(ref state, new SharesRepayment(source.PrincipalShares, source.RemainingShares), t, source.FirstRepaymentYear, maturity, opening, interest, rate),
            RepaymentKind.EqualPrincipal => PrincipalDue(ref state, default(EqualPrincipalRepayment), t, source.FirstRepaymentYear, maturity, opening, interest, rate),
            _ => PrincipalDue(ref state, default(AnnuityRepayment), t, source.FirstRepaymentYear, maturity, opening, interest, rate),
        };
        var capitalised = 0.0;
        if (interest > 0)
        {
            state.PreOperationInterest += interest;
            switch (policy)
            {
                case PreOperationInterest.Capitalised when t < maturity:
                    // Nothing can be added to a principal already repaid: at maturity the interest is due.
                    capitalised = interest;
                    interest = 0;
                    state.Recompute = true;
                    break;
                case PreOperationInterest.Reserve:
                    interest = 0; // paid from the reserve drawn for it
                    break;
            }
        }
        var draw = state.Amount * source.Draws[t];
        var i = state.Offset + t;
        _sources[i] = draw;
        _interest[i] = interest;
        _principal[i] = principal;
        // opening - principal + capitalised + draw, leaving out the terms that are zero (adding +0 changes nothing:
        // opening - principal is never -0), which shortens the chain from one year to the next.
        var balance = opening - principal;
        if (capitalised != 0) balance += capitalised;
        if (draw != 0) balance += draw;
        _balance[i] = balance;
        state.Balance = balance;
    }

    /// <summary>The years from <paramref name="from"/> to maturity, in operations: interest is due in cash.</summary>
    private void OperatingYears<TRepayment>(CompiledSource source, ref ScheduleState state, int from, TRepayment repayment)
        where TRepayment : struct, IRepayment
    {
        int firstRepayment = source.FirstRepaymentYear, maturity = source.MaturityYear;
        var amount = state.Amount;
        var balance = state.Balance;
        // Bounds were checked by Schedule (first draw to maturity lie inside the years): the rows are walked by reference.
        ref var rate = ref MemoryMarshal.GetArrayDataReference(_rates);
        ref var draws = ref MemoryMarshal.GetArrayDataReference(source.Draws);
        ref var sourceRow = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_sources), state.Offset);
        ref var interestRow = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_interest), state.Offset);
        ref var principalRow = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_principal), state.Offset);
        ref var balanceRow = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_balance), state.Offset);
        for (var t = from; t <= maturity; t++)
        {
            var opening = balance;
            var r = Unsafe.Add(ref rate, t);
            var interest = opening * r;
            var principal = PrincipalDue(ref state, repayment, t, firstRepayment, maturity, opening, interest, r);
            var draw = amount * Unsafe.Add(ref draws, t);
            Unsafe.Add(ref sourceRow, t) = draw;
            Unsafe.Add(ref interestRow, t) = interest;
            Unsafe.Add(ref principalRow, t) = principal;
            balance = opening - principal;
            if (draw != 0) balance += draw;
            Unsafe.Add(ref balanceRow, t) = balance;
        }
        state.Balance = balance;
    }

    /// <summary>Sources and uses: the residual equity absorbs what other sources leave; else a gap is reported.</summary>
    private void SourcesAndUses()
    {
        var residual = _d.ResidualSource;
        var years = _years;
        var sourceCount = _d.Sources.Length;
        // Money can move up to `end`: in the funding years (capex, sources and reserves are zero after them on every
        // path, by their phasing and draws) and before operations. After it the cash stays as it is (x + (0 - 0) is x
        // for the cash, which is never -0), with no gap.
        var start = _operationStart;
        var end = Math.Max(_fundingEnd, Math.Min(start, years));
        // others[t]: what the non-residual sources bring in year t, summed in source order.
        var others = _others.AsSpan(0, end);
        Rows.Zero(others);
        for (var s = 0; s < sourceCount; s++)
        {
            if (s == residual) continue;
            Rows.Add(others, _sources.AsSpan(s * years, end));
        }
        ReadOnlySpan<double> capex = _capex.AsSpan(0, end), reserveFunding = _interestReserveFunding.AsSpan(0, end);
        Span<double> residualRow = residual >= 0 ? _sources.AsSpan(residual * years, end) : default;
        Span<double> constructionCash = _constructionCash.AsSpan(0, years), fundingGap = _fundingGap.AsSpan(0, end);
        double cash = 0;
        for (var t = 0; t < end; t++)
        {
            var uses = capex[t] + reserveFunding[t];
            if (residual >= 0 && (uses != 0 || others[t] != 0) && t < start)
            {
                residualRow[t] = uses - others[t];
                constructionCash[t] = cash;
                continue;
            }
            cash += others[t] - uses;
            if (cash < 0)
            {
                fundingGap[t] = -cash;
                cash = 0;
            }
            constructionCash[t] = cash;
        }
        constructionCash[end..].Fill(cash);
    }

    // ---- Revenue ----------------------------------------------------------------------------

    private void Revenues(ReadOnlySpan<double> slots)
    {
        Rows.Zero(_revenue);
        Span<double> revenue = _revenue;
        var streams = _d.Streams;
        for (var s = 0; s < streams.Length; s++)
        {
            var stream = streams[s];
            var row = _revenueByStream.AsSpan(s * _years, _years);
            var index = IndexRow(s, stream.Growth);
            if (stream.Kind == StreamKind.OpsContract)
            {
                Rows.Zero(row);
                OpsContractRevenue(s, stream, slots, row, index);
                Rows.Add(revenue, row);
            }
            else
            {
                // shape[i]: the stream's ramp and rent steps in operation year i (0 outside its years).
                var perYear = stream.A.Get(slots) * stream.B.Get(slots) * stream.C.Get(slots) * stream.D.Get(slots) * stream.UnitsPerYear;
                var start = _operationStart;
                Rows.Zero(row[..start]);
                ReadOnlySpan<double> shape = stream.Shape.AsSpan(0, row.Length - start);
                var operating = row[start..];
                var growthIndex = index[start..];
                Rows.ScaledProductAdded(operating, revenue[start..], perYear, shape, growthIndex); // the years before the start are zero in this row
            }
        }
    }

    private void OpsContractRevenue(int streamIndex, CompiledStream stream, ReadOnlySpan<double> slots, Span<double> row, ReadOnlySpan<double> growthIndex)
    {
        var annual = stream.A.Get(slots);
        // Contract year c (1-based) is paid while c is before the first default year.
        var defaultYear = stream.DefaultYear.Get(slots);
        var relet = stream.ReletFactor.Get(slots);
        var reletGrowth = stream.ReletGrowth is null ? default : YearlyRow(stream.ReletGrowth);
        int first = stream.Start, last = stream.End, term = stream.TermYears;
        var ramps = stream.Ramp;
        // Contract year c (from 1) falls in year t = start + first + c - 1; the years run to operation year `last`.
        var firstYear = _operationStart + first;
        var lastYear = (int)Math.Min((long)_operationStart + last, row.Length - 1);
        var termEnd = (int)Math.Min((long)firstYear + term - 1, lastYear);
        // Paid while the contract year is before the first default year (years after it stay 0 to the term's end).
        for (var t = Math.Max(firstYear, _operationStart); t <= termEnd; t++)
        {
            var contractYear = t - firstYear + 1;
            if (!(contractYear < defaultYear)) break;
            var ramp = contractYear - 1 < ramps.Length ? ramps[contractYear - 1] : 1.0;
            row[t] = annual * ramp * growthIndex[t];
        }
        if (!stream.Relet) return;
        // Re-let after the term at the re-let factor, growing from then on: the growth index from the re-let year is
        // kept while its rates and the operation start stay the same (so on every path when no input changes them).
        var from = Math.Max(Math.Max(termEnd + 1, firstYear), _operationStart);
        if (from > lastYear) return;
        var index = _reletIndex.AsSpan(streamIndex * _years, _years);
        if (_reletStart[streamIndex] != _operationStart)
        {
            double reletIndex = 1;
            for (var t = from; t <= lastYear; t++)
            {
                index[t] = reletIndex;
                reletIndex *= 1 + reletGrowth[t];
            }
            _reletStart[streamIndex] = IsPathInvariant(stream.ReletGrowth!) ? _operationStart : -1;
        }
        Rows.Scaled(row[from..(lastYear + 1)], annual * relet, index[from..(lastYear + 1)]);
    }

    // ---- Costs, taxes, CFADS ------------------------------------------------------------------

    private void CostsAndTaxes(ReadOnlySpan<double> slots)
    {
        Rows.Zero(_opex); // the tax row is written in full below
        var fixedCosts = _d.FixedCosts;
        for (var c = 0; c < fixedCosts.Length; c++)
        {
            var cost = fixedCosts[c];
            var amount = cost.Amount.Get(slots);
            var index = IndexRow(_d.Streams.Length + c, cost.Inflation);
            Rows.AddScaled(_opex.AsSpan(_operationStart), amount, index[_operationStart..]);
        }
        foreach (var cost in _d.VariableCosts)
        {
            var share = cost.Share.Get(slots);
            if (cost.Streams.Length == 0)
            {
                Rows.AddScaled(_opex.AsSpan(_operationStart), share, _revenue.AsSpan(_operationStart));
            }
            else
            {
                foreach (var s in cost.Streams)
                {
                    Rows.AddScaled(_opex.AsSpan(_operationStart), share, _revenueByStream.AsSpan((s * _years) + _operationStart, _years - _operationStart));
                }
            }
        }
        foreach (var repair in _d.Repairs)
        {
            var amount = repair.Amount.Get(slots);
            var inflation = YearlyRow(repair.Inflation);
            var index = 1.0;
            for (var t = _operationStart; t < _years; t++)
            {
                var i = t - _operationStart;
                if (i > 0 && i % repair.Interval == 0) _opex[t] += amount * index;
                index *= 1 + inflation[t];
            }
        }

        var taxes = _d.Model.Taxes;
        if (!(taxes.IncomeTaxRate > 0))
        {
            // Revenue tax only: the same operations as the loop below, in one vectorised pass.
            Rows.TaxAndCfads(_tax, _cfads, taxes.RevenueTaxRate, _revenue, _opex);
            return;
        }
        for (var t = 0; t < _years; t++)
        {
            var revenueTax = taxes.RevenueTaxRate * _revenue[t];
            var tax = revenueTax;
            if (taxes.IncomeTaxRate > 0 && t >= _operationStart)
            {
                var depreciation = 0.0;
                for (var c = 0; c < _componentActual.Length; c++)
                {
                    var life = _d.Components[c].DepreciationYears;
                    if (t - _operationStart < life) depreciation += _componentActual[c] / life;
                }
                var profit = _revenue[t] - _opex[t] - revenueTax - _totalInterest[t] - depreciation;
                if (profit > 0) tax += taxes.IncomeTaxRate * profit;
            }
            _tax[t] = tax;
            _cfads[t] = _revenue[t] - _opex[t] - tax;
        }
    }

    // ---- The cash waterfall ---------------------------------------------------------------------

    private void Waterfall()
    {
        var w = _d.Model.Waterfall;
        var equity = _d.EquitySource;
        var backstop = w.FiscalBackstop;
        // Only the reserve carries from one year to the next; the other rows follow from it a row at a time.
        // net[t] = CFADS - debt service, a row at a time, so that the chain from year to year is short.
        Rows.Difference(_net, _cfads, _debtService);
        Rows.Difference(_projectFlow, _cfads, _capex);
        if (equity >= 0 && w.DistributeExcess)
        {
            ReserveAndDistributions(w);
        }
        else
        {
            // Nothing is distributed: a shortfall goes to one row only (the top-up with a fiscal backstop, the
            // default without).
            Rows.Zero(backstop ? _default : _topup);
            Rows.Zero(_equityDistribution);
            ReserveWithoutDistributions(backstop ? _topup : _default, 1 + w.ReserveInterestRate);
        }
        Rows.RatioWherePositive(_dscr, _cfads, _debtService);
        if (equity >= 0) Rows.Difference(_equityFlow, _equityDistribution, _sources.AsSpan(equity * _years, _years));
        else Rows.Zero(_equityFlow);
    }

    /// <summary>
    /// The reserve, the shortfalls and the cumulative project cash by year when nothing is distributed: the same steps
    /// as <see cref="ReserveAndDistributions"/> with the distribution zero. The cumulative project cash is a second
    /// chain from year to year, independent of the reserve's: it runs in the same loop so that the two overlap.
    /// </summary>
    private void ReserveWithoutDistributions(double[] shortfallRow, double growth)
    {
        var years = _years;
        var start = _operationStart;
        var earns = growth != 1;
        // Every row is a year long (allocated so): walked by reference, without a bounds check per row and year.
        ref var net = ref MemoryMarshal.GetArrayDataReference(_net);
        ref var flow = ref MemoryMarshal.GetArrayDataReference(_projectFlow);
        ref var shortfall = ref MemoryMarshal.GetArrayDataReference(shortfallRow);
        ref var reserveRow = ref MemoryMarshal.GetArrayDataReference(_reserve);
        ref var cumulativeRow = ref MemoryMarshal.GetArrayDataReference(_cumulative);
        double reserve = 0, cumulative = 0;
        for (var t = 0; t < years; t++)
        {
            // Construction cash left over joins the reserve when operations start.
            var grown = earns ? reserve * growth : reserve;
            if (t == start && t > 0) grown += _constructionCash[t - 1];
            var available = grown + Unsafe.Add(ref net, t);
            // shortfall = available < 0 ? -available : 0 and the reserve max(available, 0), without branches: a
            // shortfall comes and goes with the path's draws.
            Unsafe.Add(ref shortfall, t) = Rows.GreaterOrSecond(-available, 0);
            reserve = Rows.GreaterOrSecond(0, available);
            Unsafe.Add(ref reserveRow, t) = reserve;
            cumulative += Unsafe.Add(ref flow, t);
            Unsafe.Add(ref cumulativeRow, t) = cumulative;
        }
    }

    /// <summary>The reserve, shortfalls, distributions to equity and cumulative project cash by year for a district that distributes its excess cash.</summary>
    private void ReserveAndDistributions(Waterfall w)
    {
        var years = _years;
        var start = _operationStart;
        var growth = 1 + w.ReserveInterestRate;
        var earns = growth != 1;
        var backstop = w.FiscalBackstop;
        var targetShare = w.ReserveTargetMonths / 12;
        ReadOnlySpan<double> net = _net, debtService = _debtService, projectFlow = _projectFlow;
        Span<double> topup = _topup, defaults = _default, distribution = _equityDistribution, reserveRow = _reserve, cumulativeRow = _cumulative;
        double reserve = 0, cumulative = 0;
        for (var t = 0; t < years; t++)
        {
            // Construction cash left over joins the reserve when operations start. The chain from one year
            // to the next is a single addition unless the reserve earns interest.
            var grown = earns ? reserve * growth : reserve;
            if (t == start && t > 0) grown += _constructionCash[t - 1];
            var available = grown + net[t];
            double top = 0, shortfall = 0, paid = 0;
            if (available < 0)
            {
                if (backstop) top = -available;
                else shortfall = -available;
                available = 0;
            }
            if (t >= start)
            {
                var target = t + 1 < years ? targetShare * debtService[t + 1] : 0;
                if (available > target)
                {
                    paid = available - target;
                    available = target;
                }
                if (t == years - 1)
                {
                    // A distributing district releases its reserve to equity at the horizon.
                    paid += available;
                    available = 0;
                }
            }
            topup[t] = top;
            defaults[t] = shortfall;
            distribution[t] = paid;
            reserve = available;
            reserveRow[t] = reserve;
            cumulative += projectFlow[t];
            cumulativeRow[t] = cumulative;
        }
    }

    // ---- Metrics (domain.md section 5) -----------------------------------------------------------

    private Metrics ComputeMetrics(bool irr)
    {
        var years = _years;
        ReadOnlySpan<double> discount = _d.DiscountFactors.AsSpan(0, years);
        ReadOnlySpan<double> projectFlow = _projectFlow, debtService = _debtService, dscr = _dscr, cfads = _cfads.AsSpan(0, years);
        ReadOnlySpan<double> topupRow = _topup.AsSpan(0, years), defaultRow = _default.AsSpan(0, years), gapRow = _fundingGap.AsSpan(0, years);
        // One pass, four years at a time, for NPV, the sums of top-up, default and funding gap (each in Rows'
        // lane order, so equal to Rows.Dot and Rows.Sum) and the first year with a top-up or a default (x > 0).
        Vector256<double> npvLanes = default, topupLanes = default, defaultLanes = default, gapLanes = default;
        var shortfallYear = -1;
        var y = 0;
        for (; y <= years - 4; y += 4)
        {
            var top = Vector256.Create(topupRow.Slice(y, 4));
            var lost = Vector256.Create(defaultRow.Slice(y, 4));
            npvLanes += Vector256.Create(projectFlow.Slice(y, 4)) * Vector256.Create(discount.Slice(y, 4));
            topupLanes += top;
            defaultLanes += lost;
            gapLanes += Vector256.Create(gapRow.Slice(y, 4));
            if (shortfallYear < 0)
            {
                var mask = (Vector256.GreaterThan(top, Vector256<double>.Zero) | Vector256.GreaterThan(lost, Vector256<double>.Zero)).ExtractMostSignificantBits();
                if (mask != 0) shortfallYear = y + System.Numerics.BitOperations.TrailingZeroCount(mask);
            }
        }
        double npv = Rows.Lanes(npvLanes), topup = Rows.Lanes(topupLanes), defaults = Rows.Lanes(defaultLanes), gap = Rows.Lanes(gapLanes);
        for (; y < years; y++)
        {
            npv += projectFlow[y] * discount[y];
            topup += topupRow[y];
            defaults += defaultRow[y];
            gap += gapRow[y];
            if (shortfallYear < 0 && (topupRow[y] > 0 || defaultRow[y] > 0)) shortfallYear = y;
        }
        var firstShortfall = shortfallYear < 0 ? double.NaN : shortfallYear;
        var projectIrr = irr ? Irr.Compute(projectFlow) : double.NaN;

        double equityNpv = double.NaN, equityIrr = double.NaN;
        if (_d.EquitySource >= 0)
        {
            equityNpv = Irr.Npv(_equityHurdle, _equityFlow, _midYear);
            if (irr) equityIrr = Irr.Compute(_equityFlow);
        }

        // DSCR, coverage and LLCR over the years with debt service (DSCR is NaN in the other years); a NaN debt
        // service counts as a year with debt service, so that it shows in the coverage rather than hiding.
        var first = Rows.FirstPositiveOrNaN(debtService);
        double minDscr = double.NaN, coverage = double.NaN, llcr = double.NaN;
        if (first >= 0)
        {
            var last = Rows.LastPositiveOrNaN(debtService);
            var span = last - first + 1;
            minDscr = Rows.MinIgnoringNaN(dscr.Slice(first, span));
            double outstanding = 0;
            foreach (var s in _d.DebtOrder) outstanding += first > 0 ? _balance[s * years + first - 1] : 0;
            // LLCR at the first debt-service year: PV (to the start of that year) of CFADS over the
            // debt's life at the analysis discount rate, over the debt outstanding at its start.
            var baseFactor = first > 0 ? discount[first - 1] : 1;
            var pv = Rows.Dot(cfads.Slice(first, span), discount.Slice(first, span));
            coverage = Rows.Sum(cfads.Slice(first, span)) / Rows.Sum(debtService.Slice(first, span));
            llcr = outstanding > 0 ? pv / baseFactor / outstanding : double.NaN;
        }

        var bondCoverage = SpecialBondCoverage();

        // Payback: the first year in which the cumulative project cash, having been negative, turns
        // non-negative; year 0 when it is never negative; undefined when it never recovers.
        ReadOnlySpan<double> cumulative = _cumulative;
        var firstNegative = Rows.FirstNegative(cumulative);
        double payback = 0;
        if (firstNegative >= 0)
        {
            var recovered = Rows.FirstNonNegative(cumulative[(firstNegative + 1)..]);
            payback = recovered < 0 ? double.NaN : firstNegative + 1 + recovered;
        }

        return new Metrics(npv, equityNpv, projectIrr, equityIrr, minDscr, coverage, bondCoverage, llcr, payback, topup, firstShortfall, gap, defaults);
    }

    /// <summary>
    /// Special-bond coverage: over the years in which any special bond has debt service, the CFADS
    /// left after debt senior to the bonds, over the bonds' own interest and principal.
    /// </summary>
    private double SpecialBondCoverage()
    {
        var bonds = _bondSources;
        if (bonds.Length == 0) return double.NaN;
        var years = _years;
        // Sums in debt order, as the sources come; kept when every schedule in them is path-invariant.
        Span<double> bond = _bondService, senior = _seniorService;
        if (!_serviceKept)
        {
            Rows.Zero(bond);
            Rows.Zero(senior);
            foreach (var s in bonds) Rows.AddSum(bond, _interest.AsSpan(s * years, years), _principal.AsSpan(s * years, years));
            foreach (var s in _seniorSources) Rows.AddSum(senior, _interest.AsSpan(s * years, years), _principal.AsSpan(s * years, years));
            _serviceKept = _serviceInvariant;
        }
        // Over the years in which the bonds have service (bond <= 0 is false), four years at a time (Rows' lane order).
        ReadOnlySpan<double> cfads = _cfads;
        var availableLanes = Vector256<double>.Zero;
        var serviceLanes = Vector256<double>.Zero;
        var t = 0;
        for (; t <= years - 4; t += 4)
        {
            var service = Vector256.Create(bond.Slice(t, 4));
            var counted = ~Vector256.LessThanOrEqual(service, Vector256<double>.Zero);
            availableLanes += (Vector256.Create(cfads.Slice(t, 4)) - Vector256.Create(senior.Slice(t, 4))) & counted;
            serviceLanes += service & counted;
        }
        double available = Rows.Lanes(availableLanes), bondService = Rows.Lanes(serviceLanes);
        for (; t < years; t++)
        {
            if (bond[t] <= 0) continue;
            available += cfads[t] - senior[t];
            bondService += bond[t];
        }
        return bondService > 0 ? available / bondService : double.NaN;
    }

    // ---- The statement of the last evaluated path ---------------------------------------------------

    /// <summary>A copy of the last evaluated path's year-by-year figures.</summary>
    public Statement ToStatement(Metrics metrics)
    {
        var y = _years;
        double[] Row(double[] data, int index) => data.AsSpan(index * y, y).ToArray();
        var sources = _d.Sources;
        var debts = _d.DebtOrder;
        return new Statement
        {
            Years = y,
            OperationStartYear = _operationStart,
            CapexYuan = (double[])_capex.Clone(),
            InterestReserveFundingYuan = (double[])_interestReserveFunding.Clone(),
            Sources = sources.Select((s, i) => new NamedSeries(s.Name, s.KindLabel, Row(_sources, i))).ToArray(),
            FundingGapYuan = (double[])_fundingGap.Clone(),
            ConstructionCashYuan = (double[])_constructionCash.Clone(),
            Revenue = _d.Streams.Select((s, i) => new NamedSeries(s.Name, s.KindLabel, Row(_revenueByStream, i))).ToArray(),
            RevenueYuan = (double[])_revenue.Clone(),
            OperatingCostYuan = (double[])_opex.Clone(),
            TaxYuan = (double[])_tax.Clone(),
            CfadsYuan = (double[])_cfads.Clone(),
            InterestDue = debts.Select(i => new NamedSeries(sources[i].Name, sources[i].KindLabel, Row(_interest, i))).ToArray(),
            PrincipalDue = debts.Select(i => new NamedSeries(sources[i].Name, sources[i].KindLabel, Row(_principal, i))).ToArray(),
            DebtBalance = debts.Select(i => new NamedSeries(sources[i].Name, sources[i].KindLabel, Row(_balance, i))).ToArray(),
            DebtServiceYuan = (double[])_debtService.Clone(),
            Dscr = (double[])_dscr.Clone(),
            ReserveYuan = (double[])_reserve.Clone(),
            FiscalTopupYuan = (double[])_topup.Clone(),
            DefaultYuan = (double[])_default.Clone(),
            EquityDistributionYuan = (double[])_equityDistribution.Clone(),
            CumulativeProjectCashYuan = (double[])_cumulative.Clone(),
            Metrics = metrics,
        };
    }
}
