using System.Globalization;
using System.Text;
using DistrictSim.Model;
using DistrictSim.Scenarios.Yaml;

namespace DistrictSim.Scenarios;

/// <summary>
/// Writes a district as a scenario file that loads back to an equal model: every field written,
/// doubles in round-trip form, names quoted where YAML would read them as something else.
/// </summary>
public static class ScenarioWriter
{
    public static string Write(District district)
    {
        var d = district;
        var m = d.Metadata;
        var root = new Node()
            .Add("name", Str(m.Name))
            .AddIf(m.City != null, "city", () => Str(m.City!))
            .Add("currency", Str(m.Currency))
            .AddIf(m.Notes != null, "notes", () => Str(m.Notes!))
            .Add("timeline", new Node()
                .Add("construction_years", Int(d.Timeline.ConstructionYears))
                .Add("horizon_years", Int(d.Timeline.HorizonYears))
                .Add("delay_years", Input(d.Timeline.DelayYears)))
            .Add("capex", new Node()
                .Add("overrun", Input(d.Capex.Overrun))
                .AddList("components", d.Capex.Components.Select(Component)))
            .AddList("funding", d.Funding.Select(Funding))
            .AddList("revenues", d.Revenues.Select(Revenue))
            .Add("costs", new Node()
                .AddList("fixed", d.Costs.Fixed.Select(c => new Node().Add("name", Str(c.Name)).Add("annual_yuan", Input(c.AnnualYuan)).Add("inflation", Input(c.Inflation))))
                .AddList("variable", d.Costs.Variable.Select(c => new Node().Add("name", Str(c.Name)).Add("share_of_revenue", Input(c.ShareOfRevenue))
                    .AddIf(!c.Streams.IsEmpty, "streams", () => Flow(c.Streams.Select(Str)))))
                .AddList("major_repairs", d.Costs.MajorRepairs.Select(c => new Node().Add("name", Str(c.Name)).Add("amount_yuan", Input(c.AmountYuan))
                    .Add("interval_years", Int(c.IntervalYears)).Add("inflation", Input(c.Inflation)))))
            .Add("taxes", new Node()
                .Add("revenue_tax_rate", Num(d.Taxes.RevenueTaxRate))
                .Add("income_tax_rate", Num(d.Taxes.IncomeTaxRate)))
            .Add("waterfall", new Node()
                .Add("pre_operation_interest", FormatSpec.EnumName(d.Waterfall.PreOperationInterest))
                .Add("reserve_target_months", Num(d.Waterfall.ReserveTargetMonths))
                .Add("reserve_interest_rate", Num(d.Waterfall.ReserveInterestRate))
                .Add("distribute_excess", Bool(d.Waterfall.DistributeExcess))
                .Add("fiscal_backstop", Bool(d.Waterfall.FiscalBackstop)))
            .AddList("correlations", d.Correlations.Select(Correlation))
            .Add("analysis", new Node()
                .Add("discount_rate", Num(d.Analysis.DiscountRate))
                .Add("coverage_requirement", Num(d.Analysis.CoverageRequirement))
                .Add("mid_year_discounting", Bool(d.Analysis.MidYearDiscounting))
                .Add("paths", Int(d.Analysis.Paths))
                .Add("seed", d.Analysis.Seed.ToString(CultureInfo.InvariantCulture))
                .Add("sampling", FormatSpec.EnumName(d.Analysis.Sampling)))
            .AddList("sources", m.Sources.Select(s => new Node()
                .Add("field", Str(s.Field))
                .Add("kind", FormatSpec.EnumName(s.Kind))
                .AddIf(s.Quote != null, "quote", () => Str(s.Quote!))
                .AddIf(s.Range != null, "range", () => Str(s.Range!))
                .AddIf(s.Reference != null, "reference", () => Str(s.Reference!))));
        var sb = new StringBuilder();
        sb.Append("# yaml-language-server: $schema=../schema/districtsim.schema.json\n");
        root.Render(sb, 0);
        return sb.ToString();
    }

    private static Node Component(CapexComponent c) => new Node()
        .Add("name", Str(c.Name))
        .Add("category", FormatSpec.EnumName(c.Category))
        .Add("tag", FormatSpec.EnumName(c.Tag))
        .Add("amount_yuan", Input(c.AmountYuan))
        .AddIf(!c.Phasing.IsEmpty, "phasing", () => Flow(c.Phasing.Select(Num)))
        .Add("depreciation_years", Int(c.DepreciationYears));

    private static Node Funding(FundingSource f)
    {
        var type = f switch
        {
            Grant g => FormatSpec.EnumName(g.Kind),
            SpecialBond => "special_bond",
            Loan l => l.Kind == LoanKind.Policy ? "policy_loan" : "commercial_loan",
            SocialCapital => "social_capital",
            _ => throw new ArgumentException($"unknown funding source type {f.GetType().Name}", nameof(f)),
        };
        var e = f.Amount.Eligible;
        var eligible = new List<string>();
        if (!e.Categories.IsEmpty) eligible.Add("categories: " + Flow(e.Categories.Select(c => FormatSpec.EnumName(c))));
        if (!e.Tags.IsEmpty) eligible.Add("tags: " + Flow(e.Tags.Select(c => FormatSpec.EnumName(c))));
        if (!e.Components.IsEmpty) eligible.Add("components: " + Flow(e.Components.Select(Str)));
        var node = new Node()
            .Add("name", Str(f.Name))
            .Add("type", type)
            .AddIf(f.Amount.Yuan != null, "yuan", () => Input(f.Amount.Yuan!))
            .AddIf(f.Amount.Share != null, "share", () => Input(f.Amount.Share!))
            .AddIf(eligible.Count > 0, "eligible", () => "{" + string.Join(", ", eligible) + "}")
            .AddIf(f.Amount.CapYuan != null, "cap_yuan", () => Num(f.Amount.CapYuan!.Value));
        switch (f)
        {
            case SpecialBond b:
                node.Add("issue_year", Int(b.IssueYear)).Add("coupon", Input(b.Coupon)).Add("coupon_frequency", FormatSpec.EnumName(b.CouponFrequency))
                    .Add("tenor_years", Int(b.TenorYears)).Add("repayment", b.Repayment switch
                    {
                        PrincipalRepayment.Bullet => "bullet",
                        PrincipalRepayment.EqualParts => "{equal_parts: {" + string.Join(", ", new[] { b.RepayFromYear is { } from ? "from: " + Int(from) : null, b.RepayToYear is { } to ? "to: " + Int(to) : null }.OfType<string>()) + "}}",
                        _ => "{custom: {" + string.Join(", ", b.Schedule.Select(s => $"{Int(s.Year)}: {Num(s.Share)}")) + "}}",
                    }).Add("seniority", Int(b.Seniority));
                break;
            case Loan l:
                node.Add("drawdown", "{" + string.Join(", ", l.Drawdown.Select(s => $"{Int(s.Year)}: {Num(s.Share)}")) + "}")
                    .Add("base_rate", Input(l.BaseRate)).Add("spread", Input(l.Spread))
                    .AddIf(l.RateFloor != null, "rate_floor", () => Num(l.RateFloor!.Value))
                    .Add("grace_years", Int(l.GraceYears)).Add("repayment_years", Int(l.RepaymentYears))
                    .Add("repayment", FormatSpec.EnumName(l.Repayment)).Add("seniority", Int(l.Seniority));
                break;
            case SocialCapital s:
                node.Add("residual", Bool(s.Residual)).Add("hurdle_rate", Num(s.HurdleRate));
                break;
        }
        return node;
    }

    private static Node Revenue(RevenueStream r)
    {
        var type = FormatSpec.RevenueTypes.First(kv => kv.Value == r.GetType()).Key;
        var node = new Node().Add("name", Str(r.Name)).Add("type", type);
        switch (r)
        {
            case Parking p:
                node.Add("spaces", Input(p.Spaces)).Add("occupancy", Input(p.Occupancy))
                    .AddIf(p.FeeYuanPerSpacePerMonth != null, "fee_yuan_per_space_per_month", () => Input(p.FeeYuanPerSpacePerMonth!))
                    .AddIf(p.FeeYuanPerHour != null, "fee_yuan_per_hour", () => Input(p.FeeYuanPerHour!))
                    .AddIf(p.HoursPerDay != null, "hours_per_day", () => Input(p.HoursPerDay!));
                break;
            case CommercialLease c:
                node.Add("area_m2", Input(c.AreaM2)).Add("rent", Input(c.Rent)).Add("rent_basis", FormatSpec.EnumName(c.RentBasis)).Add("occupancy", Input(c.Occupancy))
                    .AddIf(!c.Steps.IsEmpty, "steps", () => "{" + string.Join(", ", c.Steps.Select(s => $"{Int(s.OperationYear)}: {Num(s.Factor)}")) + "}");
                break;
            case EvCharging e:
                node.Add("chargers", Input(e.Chargers)).Add("power_kw", Input(e.PowerKw)).Add("utilisation", Input(e.Utilisation)).Add("fee_yuan_per_kwh", Input(e.FeeYuanPerKwh));
                break;
            case PropertyFee f:
                node.Add("households", Input(f.Households)).Add("m2_per_household", Input(f.M2PerHousehold))
                    .Add("fee_yuan_per_m2_per_month", Input(f.FeeYuanPerM2PerMonth)).Add("collection_rate", Input(f.CollectionRate));
                break;
            case OpsContract o:
                node.Add("annual_yuan", Input(o.AnnualYuan)).Add("term_years", Int(o.TermYears)).Add("default_probability", Num(o.DefaultProbability))
                    .Add("relet", Bool(o.Relet)).Add("relet_factor", Input(o.ReletFactor)).Add("relet_growth", Input(o.ReletGrowth));
                break;
            case AssetRent a:
                node.Add("annual_yuan", Input(a.AnnualYuan)).Add("occupancy", Input(a.Occupancy));
                break;
            case GenericStream g:
                node.Add("driver", Input(g.Driver)).Add("price_yuan_per_unit", Input(g.PriceYuanPerUnit)).AddIf(g.Unit != null, "unit", () => Str(g.Unit!));
                break;
        }
        return node.Add("start_operation_year", Int(r.StartOperationYear))
            .AddIf(r.EndOperationYear != null, "end_operation_year", () => Int(r.EndOperationYear!.Value))
            .Add("growth", Input(r.Growth))
            .AddIf(!r.Ramp.IsEmpty, "ramp", () => Flow(r.Ramp.Select(Num)));
    }

    private static Node Correlation(Correlation c)
    {
        var n = c.Inputs.Count;
        var rows = Enumerable.Range(0, n).Select(i => Flow(Enumerable.Range(0, n).Select(j => i * n + j < c.Matrix.Count ? Num(c.Matrix[i * n + j]) : "0")));
        return new Node()
            .Add("inputs", Flow(c.Inputs.Select(Str)))
            .Add("method", FormatSpec.EnumName(c.Method))
            .Add("matrix", Flow(rows))
            .Add("repair", Bool(c.Repair));
    }

    // ---- inputs ----

    /// <summary>An input as a plain number or a one-line distribution, with base when it overrides the mean.</summary>
    internal static string Input(Input input)
    {
        if (input.Distribution is Fixed f && input.BaseOverride is null) return Num(f.Value);
        var body = Distribution(input.Distribution);
        return input.BaseOverride is { } b ? "{" + body + ", base: " + Num(b) + "}" : "{" + body + "}";
    }

    private static string Distribution(Distribution d) => d switch
    {
        Fixed f => "fixed: " + Num(f.Value),
        Uniform u => "uniform: " + Flow(u.Min, u.Max),
        Triangular t => "triangular: " + Flow(t.Min, t.Mode, t.Max),
        Pert p => "pert: " + Flow(p.Min, p.Mode, p.Max),
        Normal n => "normal: " + Flow(n.Mu, n.Sd),
        TruncatedNormal t => "truncated_normal: " + Flow(t.Location, t.Sd, t.Min, t.Max),
        LogNormal l => $"lognormal: {{mu: {Num(l.Mu)}, sigma: {Num(l.Sigma)}}}",
        Beta b => "beta: " + (b.Min == 0 && b.Max == 1 ? Flow(b.Alpha, b.BetaShape) : Flow(b.Alpha, b.BetaShape, b.Min, b.Max)),
        Discrete x => "discrete: {values: " + Flow(x.Values.ToArray()) + (x.Weights.IsEmpty ? "" : ", weights: " + Flow(x.Weights.ToArray())) + "}",
        YearlyEvent e => "yearly_event: " + Num(e.Probability),
        Yearly y => "yearly: {" + Distribution(y.Each) + "}",
        RandomWalk w => $"random_walk: {{start: {Num(w.Start)}, drift: {Num(w.Drift)}, sd: {Num(w.Sd)}}}",
        MeanReverting m => $"mean_reverting: {{mean: {Num(m.LongRunMean)}, phi: {Num(m.Phi)}, sd: {Num(m.Sd)}, start: {Num(m.Start)}}}",
        StepChange s => $"step_change: {{start: {Num(s.Start)}, step: {Num(s.Step)}, probability: {Num(s.Probability)}}}",
        _ => throw new ArgumentException($"unknown distribution {d.GetType().Name}", nameof(d)),
    };

    // ---- scalars ----

    private static string Num(double v) => Numbers.Format(v);

    private static string Int(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Bool(bool v) => v ? "true" : "false";

    private static string Flow(params double[] values) => Flow(values.Select(Num));

    private static string Flow(IEnumerable<string> items) => "[" + string.Join(", ", items) + "]";

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase) { "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~" };

    /// <summary>A string plain when it is a simple identifier, else double-quoted with escapes.</summary>
    internal static string Str(string s)
    {
        var plain = s.Length > 0 && s.Length < 200 && (char.IsAsciiLetter(s[0]) || s[0] == '_')
            && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or ' ') && !s.EndsWith(' ') && !Reserved.Contains(s)
            && !Numbers.TryParse(s, NumberKind.Quantity, out _, out _);
        if (plain) return s;
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                case '\r': sb.Append("\\r"); break;
                default:
                    if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c is '\u2028' or '\u2029' or '\uFEFF' || char.IsSurrogate(c))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    /// <summary>A block mapping under construction: values are rendered scalars/flows, nested nodes or lists of nodes.</summary>
    private sealed class Node
    {
        private readonly List<(string Key, object Value)> _entries = [];

        public Node Add(string key, string value)
        {
            _entries.Add((key, value));
            return this;
        }

        public Node Add(string key, Node value)
        {
            _entries.Add((key, value));
            return this;
        }

        public Node AddIf(bool condition, string key, Func<string> value) => condition ? Add(key, value()) : this;

        public Node AddList(string key, IEnumerable<Node> items)
        {
            var list = items.ToList();
            if (list.Count > 0) _entries.Add((key, list));
            return this;
        }

        public void Render(StringBuilder sb, int indent, bool firstLineDone = false)
        {
            var pad = new string(' ', indent);
            for (var i = 0; i < _entries.Count; i++)
            {
                var (key, value) = _entries[i];
                if (!(firstLineDone && i == 0)) sb.Append(pad);
                switch (value)
                {
                    case string s:
                        sb.Append(key).Append(": ").Append(s).Append('\n');
                        break;
                    case Node n:
                        sb.Append(key).Append(":\n");
                        n.Render(sb, indent + 2);
                        break;
                    case List<Node> list:
                        sb.Append(key).Append(":\n");
                        foreach (var item in list)
                        {
                            sb.Append(pad).Append("  - ");
                            item.Render(sb, indent + 4, firstLineDone: true);
                        }
                        break;
                }
            }
        }
    }
}
