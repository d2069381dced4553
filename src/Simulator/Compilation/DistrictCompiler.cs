using DistrictSim.Model;
using DistrictSim.Sampling;

namespace DistrictSim.Compilation;

/// <summary>A model the engine cannot evaluate (the scenario loader reports these with locations first).</summary>
public sealed class ModelException(string message) : Exception(message);

/// <summary>
/// Compiles a district once into flat arrays for millions of evaluations: every uncertain input
/// becomes a slot (a process one slot per year), fixed inputs become constants.
/// </summary>
public static class DistrictCompiler
{
    public static CompiledDistrict Compile(District district)
    {
        var builder = new Builder(district);
        return builder.Build();
    }

    private sealed class Builder(District district)
    {
        private readonly List<InputSlot> _slots = [];
        private readonly List<YearlyRef> _yearly = [];
        private readonly List<string> _warnings = [];
        private readonly int _years = district.Timeline.HorizonYears;
        private readonly int _construction = district.Timeline.ConstructionYears;

        public CompiledDistrict Build()
        {
            var timeline = district.Timeline;
            Require(timeline.ConstructionYears >= 1, "timeline.construction_years must be at least 1");
            Require(timeline.HorizonYears > timeline.ConstructionYears && timeline.HorizonYears <= Timeline.MaxHorizonYears,
                $"timeline.horizon_years must exceed construction_years and be at most {Timeline.MaxHorizonYears}");

            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in district.Funding.Select(f => f.Name)
                         .Concat(district.Revenues.Select(r => r.Name))
                         .Concat(district.Costs.Fixed.Select(c => c.Name))
                         .Concat(district.Costs.Variable.Select(c => c.Name))
                         .Concat(district.Costs.MajorRepairs.Select(c => c.Name)))
            {
                Require(names.Add(name), $"the name '{name}' is used twice among funding sources, streams and costs");
            }

            var delay = Scalar("timeline.delay_years", timeline.DelayYears);
            var overrun = Scalar("capex.overrun", district.Capex.Overrun);
            var components = district.Capex.Components.Select(CompileComponent).ToArray();
            Require(components.Length > 0 || district.Funding.Count == 0 || district.Funding.All(f => f.Amount.Share is null),
                "funding given as a share needs capex components");
            var sources = district.Funding.Select(CompileSource).ToArray();
            var debtOrder = Enumerable.Range(0, sources.Length)
                .Where(i => sources[i].IsDebt)
                .OrderBy(i => sources[i].Seniority)
                .ThenBy(i => i)
                .ToArray();
            var equity = Array.FindIndex(sources, s => s.Kind == FundingKind.Equity);
            Require(sources.Count(s => s.Residual) <= 1, "at most one social_capital source may be the residual");
            var streams = district.Revenues.Select(CompileStream).Select(WithShape).ToArray();
            var streamIndex = district.Revenues.Select((r, i) => (r.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
            var fixedCosts = district.Costs.Fixed.Select(c => new CompiledFixedCost
            {
                Amount = Scalar(c.Name + ".annual_yuan", c.AnnualYuan),
                Inflation = Yearly(c.Name + ".inflation", c.Inflation),
            }).ToArray();
            var variableCosts = district.Costs.Variable.Select(c => new CompiledVariableCost
            {
                Share = Scalar(c.Name + ".share_of_revenue", c.ShareOfRevenue),
                Streams = c.Streams.Select(s => streamIndex.TryGetValue(s, out var i)
                    ? i
                    : throw new ModelException($"costs.variable '{c.Name}' names the stream '{s}', which does not exist")).ToArray(),
            }).ToArray();
            var repairs = district.Costs.MajorRepairs.Select(c =>
            {
                Require(c.IntervalYears >= 1, $"major repair '{c.Name}' needs an interval of at least 1 year");
                return new CompiledRepair
                {
                    Amount = Scalar(c.Name + ".amount_yuan", c.AmountYuan),
                    Interval = c.IntervalYears,
                    Inflation = Yearly(c.Name + ".inflation", c.Inflation),
                };
            }).ToArray();

            // A debt schedule depends on its amount (planned capex), rates and the operations start (delay).
            var plannedFixed = components.All(c => c.Amount.Slot < 0);
            foreach (var source in sources.Where(x => x.IsDebt))
            {
                source.PathInvariant = delay.Slot < 0 && source.Amount.Slot < 0 && (!source.IsShare || plannedFixed)
                    && source.Coupon.Slot < 0 && IsFixed(source.BaseRate) && IsFixed(source.Spread);
            }
            var correlations = district.Correlations.Select(CompileCorrelation).ToArray();
            var mid = district.Analysis.MidYearDiscounting ? 0.5 : 1.0;
            var discount = Enumerable.Range(0, _years)
                .Select(t => 1 / Math.Pow(1 + district.Analysis.DiscountRate, t + mid))
                .ToArray();

            return new CompiledDistrict(district, _slots, correlations, _warnings)
            {
                Components = components,
                Sources = sources,
                DebtOrder = debtOrder,
                Streams = streams,
                FixedCosts = fixedCosts,
                VariableCosts = variableCosts,
                Repairs = repairs,
                YearlyInputs = _yearly.ToArray(),
                Overrun = overrun,
                Delay = delay,
                DiscountFactors = discount,
                EquitySource = equity,
                ResidualSource = Array.FindIndex(sources, x => x.Residual),
            };
        }

        private CompiledComponent CompileComponent(CapexComponent c)
        {
            var phasing = new double[_construction];
            if (c.Phasing.IsEmpty)
            {
                Array.Fill(phasing, 1.0 / _construction);
            }
            else
            {
                Require(c.Phasing.Count <= _construction,
                    $"capex component '{c.Name}' has {c.Phasing.Count} phasing shares for {_construction} construction years");
                Require(Math.Abs(c.Phasing.Sum() - 1) < 1e-9, $"the phasing of capex component '{c.Name}' sums to {c.Phasing.Sum()}, not 1");
                for (var i = 0; i < c.Phasing.Count; i++) phasing[i] = c.Phasing[i];
            }
            Require(c.DepreciationYears >= 1, $"capex component '{c.Name}' needs depreciation_years of at least 1");
            return new CompiledComponent
            {
                Name = c.Name,
                Amount = Scalar("capex." + c.Name + ".amount_yuan", c.AmountYuan),
                Phasing = phasing,
                DepreciationYears = c.DepreciationYears,
            };
        }

        private CompiledSource CompileSource(FundingSource source)
        {
            var amount = source.Amount;
            var isShare = amount.Share is not null;
            Require(isShare ^ (amount.Yuan is not null) || source is SocialCapital { Residual: true },
                $"funding '{source.Name}' needs exactly one of yuan or share");
            var amountRef = isShare ? Scalar(source.Name + ".share", amount.Share!) :
                amount.Yuan is not null ? Scalar(source.Name + ".yuan", amount.Yuan) : new ScalarRef(-1, 0);
            var eligible = district.Capex.Components.Select(amount.Eligible.Admits).ToArray();
            var cap = amount.CapYuan ?? double.PositiveInfinity;
            switch (source)
            {
                case Grant g:
                    return new CompiledSource
                    {
                        Name = g.Name, Kind = FundingKind.Grant, KindLabel = Snake(g.Kind.ToString()),
                        IsShare = isShare, Amount = amountRef, Eligible = eligible, Cap = cap,
                    };
                case SocialCapital e:
                    return new CompiledSource
                    {
                        Name = e.Name, Kind = FundingKind.Equity, KindLabel = "social_capital",
                        IsShare = isShare, Amount = amountRef, Eligible = eligible, Cap = cap,
                        Residual = e.Residual, HurdleRate = e.HurdleRate,
                    };
                case SpecialBond b:
                    return CompileBond(b, amountRef, isShare, eligible, cap);
                case Loan l:
                    return CompileLoan(l, amountRef, isShare, eligible, cap);
                default:
                    throw new ModelException($"funding '{source.Name}' has a type the engine does not know");
            }
        }

        private CompiledSource CompileBond(SpecialBond b, ScalarRef amount, bool isShare, bool[] eligible, double cap)
        {
            Require(b.IssueYear >= 0 && b.IssueYear < _years, $"special bond '{b.Name}' is issued in year {b.IssueYear}, outside the horizon");
            Require(b.TenorYears >= 1, $"special bond '{b.Name}' needs a tenor of at least 1 year");
            Require(b.MaturityYear < _years, $"special bond '{b.Name}' matures in year {b.MaturityYear}, beyond the horizon (last year {_years - 1})");
            var shares = new double[_years];
            switch (b.Repayment)
            {
                case PrincipalRepayment.Bullet:
                    shares[b.MaturityYear] = 1;
                    break;
                case PrincipalRepayment.EqualParts:
                {
                    var from = b.RepayFromYear ?? b.MaturityYear;
                    var to = b.RepayToYear ?? b.MaturityYear;
                    Require(from > b.IssueYear && from <= to && to <= b.MaturityYear,
                        $"special bond '{b.Name}' repays from year {from} to {to}; it must be after issue ({b.IssueYear}) and by maturity ({b.MaturityYear})");
                    for (var t = from; t <= to; t++) shares[t] = 1.0 / (to - from + 1);
                    break;
                }
                case PrincipalRepayment.Custom:
                {
                    foreach (var (year, share) in b.Schedule)
                    {
                        Require(year > b.IssueYear && year <= b.MaturityYear,
                            $"special bond '{b.Name}' repays in year {year}, outside issue ({b.IssueYear}) to maturity ({b.MaturityYear})");
                        shares[year] += share;
                    }
                    Require(Math.Abs(shares.Sum() - 1) < 1e-9, $"the repayment schedule of special bond '{b.Name}' sums to {shares.Sum()}, not 1");
                    break;
                }
            }
            var draws = new double[_years];
            draws[b.IssueYear] = 1;
            var firstRepayment = Array.FindIndex(shares, s => s > 0);
            var last = Array.FindLastIndex(shares, s => s > 0);
            return new CompiledSource
            {
                Name = b.Name, Kind = FundingKind.SpecialBond, KindLabel = "special_bond",
                IsShare = isShare, Amount = amount, Eligible = eligible, Cap = cap,
                Draws = draws,
                FirstDrawYear = b.IssueYear,
                Coupon = Scalar(b.Name + ".coupon", b.Coupon),
                Repayment = RepaymentKind.Shares,
                PrincipalShares = shares,
                RemainingShares = SuffixSums(shares),
                FirstRepaymentYear = firstRepayment,
                MaturityYear = last,
                Seniority = b.Seniority,
            };
        }

        private CompiledSource CompileLoan(Loan l, ScalarRef amount, bool isShare, bool[] eligible, double cap)
        {
            Require(!l.Drawdown.IsEmpty, $"loan '{l.Name}' needs a drawdown schedule");
            var draws = new double[_years];
            foreach (var (year, share) in l.Drawdown)
            {
                Require(year >= 0 && year < _years, $"loan '{l.Name}' draws in year {year}, outside the horizon");
                draws[year] += share;
            }
            Require(Math.Abs(draws.Sum() - 1) < 1e-9, $"the drawdown of loan '{l.Name}' sums to {draws.Sum()}, not 1");
            Require(l.RepaymentYears >= 1, $"loan '{l.Name}' needs at least one repayment year");
            Require(l.MaturityYear < _years, $"loan '{l.Name}' is repaid until year {l.MaturityYear}, beyond the horizon (last year {_years - 1})");
            return new CompiledSource
            {
                Name = l.Name, Kind = FundingKind.Loan, KindLabel = l.Kind == LoanKind.Policy ? "policy_loan" : "commercial_loan",
                IsShare = isShare, Amount = amount, Eligible = eligible, Cap = cap,
                Draws = draws,
                FirstDrawYear = Array.FindIndex(draws, x => x > 0),
                BaseRate = Yearly(l.Name + ".base_rate", l.BaseRate),
                Spread = Yearly(l.Name + ".spread", l.Spread),
                RateFloor = l.RateFloor ?? double.NegativeInfinity,
                Repayment = l.Repayment == LoanRepayment.EqualPrincipal ? RepaymentKind.EqualPrincipal : RepaymentKind.Annuity,
                FirstRepaymentYear = l.FirstRepaymentYear,
                MaturityYear = l.MaturityYear,
                Seniority = l.Seniority,
            };
        }

        private CompiledStream CompileStream(RevenueStream s)
        {
            var n = s.Name;
            var growth = Yearly(n + ".growth", s.Growth);
            var ramp = s.Ramp.ToArray();
            var start = s.StartOperationYear;
            var end = s.EndOperationYear ?? int.MaxValue;
            Require(start >= 0 && end >= start, $"stream '{n}' runs from operation year {start} to {end}");
            switch (s)
            {
                case Parking p:
                {
                    var monthly = p.FeeYuanPerSpacePerMonth is not null;
                    Require(monthly ^ (p.FeeYuanPerHour is not null),
                        $"parking '{n}' needs either fee_yuan_per_space_per_month or fee_yuan_per_hour (with hours_per_day)");
                    return new CompiledStream
                    {
                        Name = n, Kind = StreamKind.Parking, KindLabel = "parking", Start = start, End = end, Growth = growth, Ramp = ramp,
                        A = Scalar(n + ".spaces", p.Spaces),
                        B = Scalar(n + ".occupancy", p.Occupancy),
                        C = monthly ? Scalar(n + ".fee_yuan_per_space_per_month", p.FeeYuanPerSpacePerMonth!) : Scalar(n + ".fee_yuan_per_hour", p.FeeYuanPerHour!),
                        D = monthly ? new ScalarRef(-1, 1) : Scalar(n + ".hours_per_day", p.HoursPerDay ?? throw new ModelException($"parking '{n}' has an hourly fee but no hours_per_day")),
                        UnitsPerYear = monthly ? 12 : 365,
                    };
                }
                case CommercialLease c:
                {
                    var steps = new double[_years];
                    Array.Fill(steps, 1.0);
                    foreach (var step in c.Steps.OrderBy(x => x.OperationYear))
                    {
                        for (var i = Math.Max(0, step.OperationYear); i < _years; i++) steps[i] *= step.Factor;
                    }
                    return new CompiledStream
                    {
                        Name = n, Kind = StreamKind.CommercialLease, KindLabel = "commercial_lease", Start = start, End = end, Growth = growth, Ramp = ramp,
                        A = Scalar(n + ".area_m2", c.AreaM2),
                        B = Scalar(n + ".rent", c.Rent),
                        C = Scalar(n + ".occupancy", c.Occupancy),
                        D = new ScalarRef(-1, 1),
                        UnitsPerYear = c.RentBasis == RentBasis.PerM2PerDay ? 365 : 12,
                        StepFactors = c.Steps.IsEmpty ? [] : steps,
                    };
                }
                case EvCharging e:
                    return new CompiledStream
                    {
                        Name = n, Kind = StreamKind.EvCharging, KindLabel = "ev_charging", Start = start, End = end, Growth = growth, Ramp = ramp,
                        A = Scalar(n + ".chargers", e.Chargers),
                        B = Scalar(n + ".power_kw", e.PowerKw),
                        C = Scalar(n + ".utilisation", e.Utilisation),
                        D = Scalar(n + ".fee_yuan_per_kwh", e.FeeYuanPerKwh),
                        UnitsPerYear = 8760,
                    };
                case PropertyFee f:
                    return new CompiledStream
                    {
                        Name = n, Kind = StreamKind.PropertyFee, KindLabel = "property_fee", Start = start, End = end, Growth = growth, Ramp = ramp,
                        A = Scalar(n + ".households", f.Households),
                        B = Scalar(n + ".m2_per_household", f.M2PerHousehold),
                        C = Scalar(n + ".fee_yuan_per_m2_per_month", f.FeeYuanPerM2PerMonth),
                        D = Scalar(n + ".collection_rate", f.CollectionRate),
                        UnitsPerYear = 12,
                    };
                case OpsContract o:
                    Require(o.TermYears >= 1, $"ops_contract '{n}' needs a term of at least 1 year");
                    Require(o.DefaultProbability is >= 0 and <= 1, $"ops_contract '{n}' has a default probability outside [0, 1]");
                    return new CompiledStream
                    {
                        Name = n, Kind = StreamKind.OpsContract, KindLabel = "ops_contract", Start = start, End = end, Growth = growth, Ramp = ramp,
                        A = Scalar(n + ".annual_yuan", o.AnnualYuan),
                        TermYears = o.TermYears,
                        DefaultYear = Scalar(n + ".default_year", new Input(new YearlyEvent(o.DefaultProbability))),
                        Relet = o.Relet,
                        ReletFactor = Scalar(n + ".relet_factor", o.ReletFactor),
                        ReletGrowth = Yearly(n + ".relet_growth", o.ReletGrowth),
                    };
                case AssetRent a:
                    return new CompiledStream
                    {
                        Name = n, Kind = StreamKind.AssetRent, KindLabel = "asset_rent", Start = start, End = end, Growth = growth, Ramp = ramp,
                        A = Scalar(n + ".annual_yuan", a.AnnualYuan),
                        B = Scalar(n + ".occupancy", a.Occupancy),
                        C = new ScalarRef(-1, 1),
                        D = new ScalarRef(-1, 1),
                    };
                case GenericStream g:
                    return new CompiledStream
                    {
                        Name = n, Kind = StreamKind.Generic, KindLabel = "generic", Start = start, End = end, Growth = growth, Ramp = ramp,
                        A = Scalar(n + ".driver", g.Driver),
                        B = Scalar(n + ".price_yuan_per_unit", g.PriceYuanPerUnit),
                        C = new ScalarRef(-1, 1),
                        D = new ScalarRef(-1, 1),
                    };
                default:
                    throw new ModelException($"stream '{n}' has a type the engine does not know");
            }
        }

        /// <summary>The per-operation-year shape of a stream: ramp x rent step where it runs, 0 elsewhere.</summary>
        private CompiledStream WithShape(CompiledStream stream)
        {
            var shape = new double[_years];
            for (var i = stream.Start; i < _years && i <= stream.End; i++)
            {
                var k = i - stream.Start;
                var ramp = k < stream.Ramp.Length ? stream.Ramp[k] : 1.0;
                var step = stream.StepFactors.Length > 0 ? stream.StepFactors[i] : 1.0; // steps are by operation year
                shape[i] = ramp * step;
            }
            stream.Shape = shape;
            return stream;
        }

        private CompiledCorrelation CompileCorrelation(Correlation c, int index)
        {
            var slots = c.Inputs.Select(key =>
            {
                var slot = _slots.FindIndex(s => s.Key == key);
                if (slot < 0)
                {
                    throw new ModelException($"correlations[{index}] names '{key}', which is not an uncertain input drawn once per path");
                }
                return slot;
            }).ToArray();
            Require(slots.Distinct().Count() == slots.Length, $"correlations[{index}] names an input twice");
            var names = c.Inputs.ToArray();
            var matrix = c.Matrix.ToArray();
            var problems = CorrelationMatrix.Check(names, matrix);
            if (problems.Count > 0)
            {
                if (!c.Repair)
                {
                    throw new ModelException($"correlations[{index}]: " + string.Join("; ", problems));
                }
                matrix = CorrelationMatrix.Nearest(matrix, names.Length);
                _warnings.Add($"correlations[{index}] was repaired to the nearest valid correlation matrix: " + string.Join("; ", problems));
            }
            return new CompiledCorrelation(slots, matrix, c.Method);
        }

        private ScalarRef Scalar(string key, Input input)
        {
            if (input.IsProcess)
            {
                throw new ModelException($"'{key}' is drawn once per path; a yearly process is not allowed there");
            }
            if (!input.IsUncertain)
            {
                return new ScalarRef(-1, input.BaseValue);
            }
            _slots.Add(new InputSlot(key, input.Distribution, input.BaseValue));
            return new ScalarRef(_slots.Count - 1, input.BaseValue);
        }

        private YearlyRef Yearly(string key, Input input)
        {
            var row = _yearly.Count;
            YearlyRef yearly;
            switch (input.Distribution)
            {
                case Process when !input.IsUncertain:
                    // A process without shocks is its deterministic path: a table, no slots.
                    yearly = new YearlyRef { Kind = YearlyKind.Table, Row = row, Values = Enumerable.Range(0, _years).Select(input.BaseValueInYear).ToArray() };
                    break;
                case Yearly y:
                    yearly = new YearlyRef { Kind = YearlyKind.PerYearSlots, Row = row, FirstSlot = ShockSlots(key, y.Each, input.BaseOverride ?? y.Each.Mean) };
                    break;
                case RandomWalk w:
                    yearly = new YearlyRef { Kind = YearlyKind.RandomWalk, Row = row, FirstSlot = ShockSlots(key, new Normal(0, 1), 0), Start = w.Start, Drift = w.Drift, Sd = w.Sd };
                    break;
                case MeanReverting m:
                    yearly = new YearlyRef { Kind = YearlyKind.MeanReverting, Row = row, FirstSlot = ShockSlots(key, new Normal(0, 1), 0), Start = m.Start, Mean = m.LongRunMean, Phi = m.Phi, Sd = m.Sd };
                    break;
                case StepChange s:
                    // Base case: no step (slot value 1 is never below p < 1).
                    yearly = new YearlyRef { Kind = YearlyKind.StepChange, Row = row, FirstSlot = ShockSlots(key, new Uniform(0, 1), 1), Start = s.Start, Step = s.Step, Probability = s.Probability };
                    break;
                default:
                    yearly = new YearlyRef { Kind = YearlyKind.Scalar, Row = row, Scalar = Scalar(key, input) };
                    break;
            }
            _yearly.Add(yearly);
            return yearly;
        }

        private int ShockSlots(string key, Distribution shock, double baseValue)
        {
            var first = _slots.Count;
            for (var t = 0; t < _years; t++) _slots.Add(new InputSlot($"{key}[{t}]", shock, baseValue));
            return first;
        }

        private static bool IsFixed(YearlyRef? input) =>
            input is null || input.Kind == YearlyKind.Table || (input.Kind == YearlyKind.Scalar && input.Scalar.Slot < 0);

        private static double[] SuffixSums(double[] shares)
        {
            var sums = new double[shares.Length];
            double acc = 0;
            for (var t = shares.Length - 1; t >= 0; t--)
            {
                acc += shares[t];
                sums[t] = acc;
            }
            return sums;
        }

        private static string Snake(string pascal) =>
            string.Concat(pascal.Select((ch, i) => i > 0 && char.IsUpper(ch) ? "_" + char.ToLowerInvariant(ch) : char.ToLowerInvariant(ch).ToString()));

        private static void Require(bool condition, string message)
        {
            if (!condition) throw new ModelException(message);
        }
    }
}
