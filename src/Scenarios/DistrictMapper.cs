using DistrictSim.Model;
using DistrictSim.Scenarios.Yaml;

namespace DistrictSim.Scenarios;

/// <summary>A mapping being read as one object of the format: unknown keys reported, typed getters by key.</summary>
internal sealed class Obj
{
    private readonly MapContext _ctx;

    public Obj(MapContext ctx, YNode node, string path, ObjectSpec spec)
    {
        _ctx = ctx;
        Path = path;
        Node = node;
        Spec = spec;
        if (node is YMap map)
        {
            Map = map;
            foreach (var (key, _) in map.Entries)
            {
                if (spec.Find(key.Value) is null)
                {
                    ctx.Error(key, Sub(key.Value), $"unknown key '{Yaml.Numbers.Clip(key.Value)}'{(spec.Kind == "district" ? "" : $" for {Article(spec.Kind)}")}{DidYouMean.Suggest(key.Value, spec.Keys)}");
                }
            }
        }
        else
        {
            ctx.Error(node, path, $"expected a mapping of {spec.Kind.Replace('_', ' ')} keys, found {MapContext.Describe(node)}");
            Map = new YMap(node.File, node.Line, node.Column);
        }
    }

    private static string Article(string kind) => ("aeiou".Contains(kind[0], StringComparison.Ordinal) ? "an " : "a ") + kind;

    public YMap Map { get; }
    public YNode Node { get; }
    public string Path { get; }
    public ObjectSpec Spec { get; }

    public string Sub(string key) => Path.Length == 0 ? key : Path + "." + key;

    public YNode? Get(string key, bool required = false)
    {
        var node = Map.Get(key);
        if (node is YScalar { IsNull: true }) node = null;
        if (node is null && required) _ctx.Error(Node, Path, $"missing required key '{key}'");
        return node;
    }

    private NumberKind KindOf(string key) => Spec.Find(key)?.Number ?? NumberKind.Plain;

    public double? Number(string key, Bounds bounds, bool required = false) =>
        Get(key, required) is { } n ? _ctx.Number(n, Sub(key), KindOf(key), bounds) : null;

    public int? Integer(string key, int min = 0, int max = int.MaxValue, bool required = false) =>
        Get(key, required) is { } n ? _ctx.Integer(n, Sub(key), min, max) : null;

    public bool? Boolean(string key) => Get(key) is { } n ? _ctx.Boolean(n, Sub(key)) : null;

    public string? Text(string key, bool required = false) => Get(key, required) is { } n ? _ctx.Text(n, Sub(key)) : null;

    public T? Enum<T>(string key, bool required = false) where T : struct, System.Enum =>
        Get(key, required) is { } n ? _ctx.Enum<T>(n, Sub(key)) : null;

    public Input? Input(string key, Bounds bounds, string? catalogKey, bool required = false) =>
        Get(key, required) is { } n ? _ctx.Input(n, Sub(key), KindOf(key), bounds, catalogKey) : null;

    public ValueArray<double> Numbers(string key, Bounds bounds) =>
        Get(key) is { } n ? ValueArray.ToValueArray(_ctx.NumberList(n, Sub(key), KindOf(key), bounds) ?? []) : default;

    public ValueArray<string> Strings(string key)
    {
        if (Get(key) is not { } n) return default;
        if (n is not YSeq seq)
        {
            _ctx.Error(n, Sub(key), $"expected a list of names, found {MapContext.Describe(n)}");
            return default;
        }
        return seq.Items.Select((item, i) => _ctx.Text(item, $"{Sub(key)}[{i}]") ?? "").ToValueArray();
    }

    public ValueArray<T> Enums<T>(string key) where T : struct, System.Enum
    {
        if (Get(key) is not { } n) return default;
        if (n is not YSeq seq)
        {
            _ctx.Error(n, Sub(key), $"expected a list, found {MapContext.Describe(n)}");
            return default;
        }
        return seq.Items.Select((item, i) => _ctx.Enum<T>(item, $"{Sub(key)}[{i}]") ?? default).ToValueArray();
    }

    /// <summary>A mapping {year: value} as ordered pairs.</summary>
    public List<(int Year, double Value, YNode Node)> YearMap(string key, int maxYear, Bounds bounds)
    {
        var result = new List<(int, double, YNode)>();
        if (Get(key) is not { } n) return result;
        if (n is not YMap map)
        {
            _ctx.Error(n, Sub(key), $"expected a mapping {{year: value}}, found {MapContext.Describe(n)}");
            return result;
        }
        foreach (var (k, v) in map.Entries)
        {
            var year = _ctx.Integer(k, Sub(key), 0, maxYear);
            var value = _ctx.Number(v, $"{Sub(key)}.{k.Value}", KindOf(key), bounds);
            if (year is not null && value is not null) result.Add((year.Value, value.Value, v));
        }
        return result;
    }
}

/// <summary>Maps a scenario tree to a <see cref="District"/>, reporting every problem it meets.</summary>
internal sealed class DistrictMapper(MapContext ctx)
{
    private int _horizon = Model.Timeline.MaxHorizonYears;
    private int _construction;

    public District Map(YNode root)
    {
        var d = new Obj(ctx, root, "", FormatSpec.Get("district"));
        var name = d.Text("name", required: true) ?? "";
        var currency = d.Text("currency") ?? "CNY";
        if (d.Get("currency") is { } cur && (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper)))
        {
            ctx.Error(cur, "currency", $"'{Numbers.Clip(currency)}' is not an ISO 4217 code like CNY");
        }
        var metadata = new Metadata
        {
            Name = name,
            City = d.Text("city"),
            Currency = currency,
            Notes = d.Text("notes"),
            Sources = List(d, "sources", "source_note", SourceNote),
        };
        _construction = -1; // unknown until the timeline is read
        var timeline = d.Get("timeline", required: true) is { } t ? Timeline(new Obj(ctx, t, "timeline", FormatSpec.Get("timeline"))) : new Timeline { ConstructionYears = 0, HorizonYears = 1 };
        var capex = d.Get("capex", required: true) is { } c ? Capex(new Obj(ctx, c, "capex", FormatSpec.Get("capex"))) : new Capex();
        var funding = NamedList(d, "funding", Funding);
        var revenues = NamedList(d, "revenues", Revenue);
        var costs = d.Get("costs") is { } cs ? Costs(new Obj(ctx, cs, "costs", FormatSpec.Get("costs")), revenues) : new Costs();
        var taxes = d.Get("taxes") is { } tx ? Taxes(new Obj(ctx, tx, "taxes", FormatSpec.Get("taxes"))) : new Taxes();
        var waterfall = d.Get("waterfall") is { } w ? Waterfall(new Obj(ctx, w, "waterfall", FormatSpec.Get("waterfall"))) : new Waterfall();
        var analysis = d.Get("analysis") is { } a ? Analysis(new Obj(ctx, a, "analysis", FormatSpec.Get("analysis"))) : new Analysis();
        var district = new District
        {
            Metadata = metadata,
            Timeline = timeline,
            Capex = capex,
            Funding = funding,
            Revenues = revenues,
            Costs = costs,
            Taxes = taxes,
            Waterfall = waterfall,
            Analysis = analysis,
        };
        CheckFundingShares(d, district);
        CheckOwnerNames(district);
        var correlations = List(d, "correlations", "correlation", (o, _) => Correlation(o));
        district = district with { Correlations = correlations };
        new DistrictRules(ctx).Check(district, d);
        return district;
    }

    // ---- lists ----

    private ValueArray<T> List<T>(Obj parent, string key, string kind, Func<Obj, int, T> read)
    {
        if (parent.Get(key) is not { } node) return default;
        if (node is not YSeq seq)
        {
            ctx.Error(node, parent.Sub(key), $"expected a list, found {MapContext.Describe(node)}");
            return default;
        }
        return seq.Items.Select((item, i) => read(new Obj(ctx, item, $"{parent.Sub(key)}[{i}]", FormatSpec.Get(kind)), i)).ToValueArray();
    }

    /// <summary>A list of named items, each read with a path like funding[special_bond]; duplicate names are errors.</summary>
    private ValueArray<T> NamedList<T>(Obj parent, string key, Func<YNode, string, T?> read) where T : class
    {
        if (parent.Get(key) is not { } node) return default;
        if (node is not YSeq seq)
        {
            ctx.Error(node, parent.Sub(key), $"expected a list, found {MapContext.Describe(node)}");
            return default;
        }
        var seen = new Dictionary<string, YNode>(StringComparer.Ordinal);
        var items = new List<T>();
        for (var i = 0; i < seq.Items.Count; i++)
        {
            var item = seq.Items[i];
            var path = $"{parent.Sub(key)}[{i}]";
            if (item is YMap m && m.Get("name") is YScalar { IsNull: false } n)
            {
                path = $"{parent.Sub(key)}[{n.Value}]";
                if (!seen.TryAdd(n.Value, n)) ctx.Error(n, path + ".name", $"duplicate name '{n.Value}' in {parent.Sub(key)} (first at line {seen[n.Value].Line})");
                if (m.Get("delete") is { } del) ctx.Error(del, path + ".delete", $"delete: true removes an item of a base scenario, but no base scenario has an item named '{n.Value}' in {parent.Sub(key)}");
            }
            var value = read(item, path);
            if (value != null) items.Add(value);
        }
        return items.ToValueArray();
    }

    private SourceNote SourceNote(Obj o, int index) => new()
    {
        Field = o.Text("field", required: true) ?? "",
        Kind = o.Enum<SourceKind>("kind", required: true) ?? SourceKind.Assumed,
        Quote = o.Text("quote"),
        Range = o.Text("range"),
        Reference = o.Text("reference"),
    };

    // ---- timeline and capex ----

    private Timeline Timeline(Obj o)
    {
        var horizon = o.Integer("horizon_years", 1, Model.Timeline.MaxHorizonYears, required: true) ?? Model.Timeline.MaxHorizonYears;
        _horizon = horizon;
        var given = o.Integer("construction_years", 1, int.MaxValue, required: true); // year 0 is the first construction year
        var construction = given ?? 0;
        if (construction >= horizon && o.Get("construction_years") is { } cy)
        {
            ctx.Error(cy, "timeline.construction_years", $"{construction} construction years leave no operating year in a horizon of {horizon}");
        }
        _construction = given is not null && construction < horizon ? construction : -1;
        return new Timeline
        {
            ConstructionYears = construction,
            HorizonYears = horizon,
            DelayYears = o.Input("delay_years", Bounds.NonNegative, "timeline.delay_years") ?? 0,
        };
    }

    private Capex Capex(Obj o) => new()
    {
        Overrun = o.Input("overrun", new Bounds(0, 100, "must lie in [0, 100]"), "capex.overrun") ?? 1.0,
        Components = NamedList(o, "components", (node, path) => Component(new Obj(ctx, node, path, FormatSpec.Get("capex_component")))),
    };

    private CapexComponent Component(Obj o)
    {
        var name = o.Text("name", required: true) ?? "";
        var phasing = o.Numbers("phasing", Bounds.Unit);
        if (!phasing.IsEmpty && o.Get("phasing") is { } ph)
        {
            var sum = phasing.Sum();
            if (Math.Abs(sum - 1) > 1e-9) ctx.Error(ph, o.Sub("phasing"), $"phasing sums to {MapContext.Fmt(sum)}, not 1");
            if (_construction >= 0 && phasing.Count != _construction) ctx.Error(ph, o.Sub("phasing"), $"phasing has {phasing.Count} entries for {_construction} construction years");
        }
        return new CapexComponent
        {
            Name = name,
            Category = o.Enum<CapexCategory>("category", required: true) ?? CapexCategory.Basic,
            Tag = o.Enum<CapexTag>("tag", required: true) ?? CapexTag.PublicGood,
            AmountYuan = o.Input("amount_yuan", Bounds.NonNegative, $"capex.{name}.amount_yuan", required: true) ?? 0,
            Phasing = phasing,
            DepreciationYears = o.Integer("depreciation_years", 1, 100) ?? 20,
        };
    }

    // ---- funding ----

    private FundingSource? Funding(YNode node, string path)
    {
        var typeNode = node is YMap m ? m.Get("type") : null;
        string? type = typeNode is YScalar { IsNull: false } ts ? ts.Value : null;
        if (type is null || !FormatSpec.FundingTypes.ContainsKey(type))
        {
            if (typeNode is null && node is YMap) ctx.Error(node, path, $"missing required key 'type' (one of {string.Join(", ", FormatSpec.FundingTypes.Keys)})");
            else if (typeNode is not null) ctx.Error(typeNode, path + ".type", $"'{Numbers.Clip(MapContext.Describe(typeNode).Trim('\''))}' is not a funding type: {string.Join(", ", FormatSpec.FundingTypes.Keys)}{DidYouMean.Suggest(type ?? "", FormatSpec.FundingTypes.Keys)}");
            else ctx.Error(node, path, $"expected a mapping for a funding source, found {MapContext.Describe(node)}");
            return null;
        }
        var o = new Obj(ctx, node, path, FormatSpec.Get(type));
        var name = o.Text("name", required: true) ?? "";
        var amount = new FundingAmount
        {
            Yuan = o.Input("yuan", Bounds.NonNegative, name + ".yuan"),
            Share = o.Input("share", new Bounds(0, 1, "must lie in [0, 100%]"), name + ".share"),
            Eligible = o.Get("eligible") is { } el ? Eligibility(new Obj(ctx, el, o.Sub("eligible"), FormatSpec.Get("eligibility"))) : new Eligibility(),
            CapYuan = o.Number("cap_yuan", Bounds.NonNegative),
        };
        var residual = type == "social_capital" && (o.Boolean("residual") ?? false);
        var hasYuan = o.Get("yuan") != null;
        var hasShare = o.Get("share") != null;
        if (hasYuan && hasShare) ctx.Error(o.Get("share")!, o.Sub("share"), "give yuan or share, not both");
        else if (!hasYuan && !hasShare && !residual) ctx.Error(node, path, type == "social_capital" ? "give yuan, share or residual: true" : "give yuan or share");
        else if (residual && (hasYuan || hasShare)) ctx.Error(o.Get("residual")!, o.Sub("residual"), "a residual source takes no yuan or share");
        var maxYear = _horizon - 1;
        switch (type)
        {
            case "special_bond":
            {
                var issue = o.Integer("issue_year", 0, maxYear, required: true) ?? 0;
                if (_construction >= 0 && issue >= _construction && o.Get("issue_year") is { } iy)
                {
                    // Debt is drawn with the capex it funds (domain.md section 4).
                    ctx.Error(iy, o.Sub("issue_year"), $"a special bond is issued with the capex it funds: issue_year must be a construction year (0 to {_construction - 1}), found {issue}");
                }
                var tenor = o.Integer("tenor_years", int.MinValue, int.MaxValue, required: true) ?? 1;
                if (o.Get("tenor_years") is { } tn)
                {
                    if (tenor < 1) ctx.Error(tn, o.Sub("tenor_years"), $"a tenor of {tenor} years puts maturity (year {issue + tenor}) before or at issue (year {issue})");
                    else if (issue + tenor > maxYear) ctx.Error(tn, o.Sub("tenor_years"), $"maturity in year {issue + tenor} lies beyond the horizon (last year {maxYear})");
                }
                var bond = new SpecialBond
                {
                    Name = name,
                    Amount = amount,
                    IssueYear = issue,
                    Coupon = o.Input("coupon", Bounds.Rate, name + ".coupon", required: true) ?? 0,
                    CouponFrequency = o.Enum<CouponFrequency>("coupon_frequency") ?? CouponFrequency.SemiAnnual,
                    TenorYears = tenor,
                    Seniority = o.Integer("seniority", 0, 100) ?? 1,
                };
                return o.Get("repayment") is { } rep ? BondRepayment(bond, rep, o.Sub("repayment")) : bond;
            }
            case "policy_loan" or "commercial_loan":
            {
                var draws = o.YearMap("drawdown", maxYear, Bounds.Unit);
                var drawNode = o.Get("drawdown", required: true);
                if (drawNode is not null && draws.Count > 0 && Math.Abs(draws.Sum(x => x.Value) - 1) > 1e-9)
                {
                    ctx.Error(drawNode, o.Sub("drawdown"), $"drawdown shares sum to {MapContext.Fmt(draws.Sum(x => x.Value))}, not 1");
                }
                if (drawNode is YMap { Entries.Count: 0 }) ctx.Error(drawNode, o.Sub("drawdown"), "drawdown needs at least one year");
                if (drawNode is not null && _construction >= 0 && draws.Any(x => x.Year >= _construction))
                {
                    // Debt is drawn with the capex it funds (domain.md section 4).
                    ctx.Error(drawNode, o.Sub("drawdown"), $"a loan is drawn with the capex it funds: drawdown years must be construction years (0 to {_construction - 1}), found year {draws.First(x => x.Year >= _construction).Year}");
                }
                var loan = new Loan
                {
                    Name = name,
                    Amount = amount,
                    Kind = type == "policy_loan" ? LoanKind.Policy : LoanKind.Commercial,
                    Drawdown = draws.Select(x => new YearShare(x.Year, x.Value)).ToValueArray(),
                    BaseRate = o.Input("base_rate", Bounds.Rate, name + ".base_rate", required: true) ?? 0,
                    Spread = o.Input("spread", Bounds.Rate, name + ".spread") ?? 0,
                    RateFloor = o.Number("rate_floor", Bounds.Rate),
                    GraceYears = o.Integer("grace_years", 0, 100) ?? 0,
                    RepaymentYears = o.Integer("repayment_years", 1, 100, required: true) ?? 1,
                    Repayment = o.Enum<LoanRepayment>("repayment") ?? LoanRepayment.EqualInstalments,
                    Seniority = o.Integer("seniority", 0, 100) ?? 1,
                };
                if (draws.Count > 0 && loan.MaturityYear > maxYear && o.Get("repayment_years") is { } ry)
                {
                    ctx.Error(ry, o.Sub("repayment_years"), $"last drawdown (year {loan.LastDrawYear}) + grace {loan.GraceYears} + repayment {loan.RepaymentYears} years ends in year {loan.MaturityYear}, beyond the horizon (last year {maxYear})");
                }
                return loan;
            }
            case "social_capital":
                return new SocialCapital { Name = name, Amount = amount, Residual = residual, HurdleRate = o.Number("hurdle_rate", Bounds.Rate) ?? 0.06 };
            default:
                return new Grant
                {
                    Name = name,
                    Amount = amount,
                    Kind = type switch { "central_budget" => GrantKind.CentralBudget, "treasury_bond" => GrantKind.TreasuryBond, "local_fiscal" => GrantKind.LocalFiscal, _ => GrantKind.Residents },
                };
        }
    }

    private SpecialBond BondRepayment(SpecialBond bond, YNode node, string path)
    {
        var maturity = bond.MaturityYear;
        if (node is YScalar s && s.Value == "bullet") return bond with { Repayment = PrincipalRepayment.Bullet };
        if (node is YMap { Entries.Count: 1 } m)
        {
            var (key, value) = (m.Entries[0].Key.Value, m.Entries[0].Value);
            if (key == "equal_parts")
            {
                int? from = null, to = null;
                if (value is YMap vm)
                {
                    foreach (var (k, v) in vm.Entries)
                    {
                        if (k.Value == "from") from = ctx.Integer(v, path + ".equal_parts.from", 0, int.MaxValue);
                        else if (k.Value == "to") to = ctx.Integer(v, path + ".equal_parts.to", 0, int.MaxValue);
                        else ctx.Error(k, path + ".equal_parts", $"unknown key '{Numbers.Clip(k.Value)}' of equal_parts{DidYouMean.Suggest(k.Value, ["from", "to"])}");
                    }
                }
                else if (!(value is YScalar { IsNull: true })) ctx.Error(value, path + ".equal_parts", "equal_parts takes {from: year, to: year}");
                var first = from ?? maturity;
                var last = to ?? maturity;
                if (first > last) ctx.Error(value, path + ".equal_parts", $"from (year {first}) is after to (year {last})");
                if (first <= bond.IssueYear) ctx.Error(value, path + ".equal_parts.from", $"repayment from year {first} is not after issue (year {bond.IssueYear})");
                if (last > maturity) ctx.Error(value, path + ".equal_parts.to", $"repayment to year {last} is after maturity (year {maturity})");
                return bond with { Repayment = PrincipalRepayment.EqualParts, RepayFromYear = from, RepayToYear = to };
            }
            if (key == "custom")
            {
                var schedule = new List<YearShare>();
                if (value is YMap cm)
                {
                    foreach (var (k, v) in cm.Entries)
                    {
                        var year = ctx.Integer(k, path + ".custom", 0, int.MaxValue);
                        var share = ctx.Number(v, $"{path}.custom.{k.Value}", NumberKind.Fraction, Bounds.Unit);
                        if (year is null || share is null) continue;
                        if (year <= bond.IssueYear || year > maturity) ctx.Error(k, $"{path}.custom.{k.Value}", $"year {year} lies outside the bond's life (after issue in year {bond.IssueYear}, up to maturity in year {maturity})");
                        schedule.Add(new YearShare(year.Value, share.Value));
                    }
                    if (schedule.Count > 0 && Math.Abs(schedule.Sum(x => x.Share) - 1) > 1e-9) ctx.Error(value, path + ".custom", $"repayment shares sum to {MapContext.Fmt(schedule.Sum(x => x.Share))}, not 1");
                    if (cm.Entries.Count == 0) ctx.Error(value, path + ".custom", "custom repayment needs at least one year");
                }
                else ctx.Error(value, path + ".custom", "custom takes {year: share, ...}");
                return bond with { Repayment = PrincipalRepayment.Custom, Schedule = schedule.ToValueArray() };
            }
        }
        ctx.Error(node, path, $"expected bullet, {{equal_parts: {{from, to}}}} or {{custom: {{year: share}}}}, found {MapContext.Describe(node)}");
        return bond;
    }

    private Eligibility Eligibility(Obj o) => new()
    {
        Categories = o.Enums<CapexCategory>("categories"),
        Tags = o.Enums<CapexTag>("tags"),
        Components = o.Strings("components"),
    };

    // ---- revenues ----

    private RevenueStream? Revenue(YNode node, string path)
    {
        var typeNode = node is YMap m ? m.Get("type") : null;
        string? type = typeNode is YScalar { IsNull: false } ts ? ts.Value : null;
        if (type is null || !FormatSpec.RevenueTypes.ContainsKey(type))
        {
            if (typeNode is null && node is YMap) ctx.Error(node, path, $"missing required key 'type' (one of {string.Join(", ", FormatSpec.RevenueTypes.Keys)})");
            else if (typeNode is not null) ctx.Error(typeNode, path + ".type", $"{MapContext.Describe(typeNode)} is not a revenue type: {string.Join(", ", FormatSpec.RevenueTypes.Keys)}{DidYouMean.Suggest(type ?? "", FormatSpec.RevenueTypes.Keys)}");
            else ctx.Error(node, path, $"expected a mapping for a revenue stream, found {MapContext.Describe(node)}");
            return null;
        }
        var o = new Obj(ctx, node, path, FormatSpec.Get(type));
        var n = o.Text("name", required: true) ?? "";
        Input? In(string key, Bounds bounds, bool required = true) => o.Input(key, bounds, $"{n}.{key}", required);
        var nn = Bounds.NonNegative;
        RevenueStream stream;
        switch (type)
        {
            case "parking":
            {
                var p = new Parking
                {
                    Name = n, Spaces = In("spaces", nn) ?? 0, Occupancy = In("occupancy", Bounds.Unit) ?? 0,
                    FeeYuanPerSpacePerMonth = In("fee_yuan_per_space_per_month", nn, false),
                    FeeYuanPerHour = In("fee_yuan_per_hour", nn, false), HoursPerDay = In("hours_per_day", new Bounds(0, 24, "must lie in [0, 24]"), false),
                };
                var monthly = p.FeeYuanPerSpacePerMonth != null || o.Get("fee_yuan_per_space_per_month") != null;
                var hourly = o.Get("fee_yuan_per_hour") != null || o.Get("hours_per_day") != null;
                if (monthly && hourly) ctx.Error(node, path, "give fee_yuan_per_space_per_month or (fee_yuan_per_hour and hours_per_day), not both");
                else if (!monthly && (o.Get("fee_yuan_per_hour") is null || o.Get("hours_per_day") is null)) ctx.Error(node, path, "give fee_yuan_per_space_per_month, or fee_yuan_per_hour with hours_per_day");
                stream = p;
                break;
            }
            case "commercial_lease":
                stream = new CommercialLease
                {
                    Name = n, AreaM2 = In("area_m2", nn) ?? 0, Rent = In("rent", nn) ?? 0, Occupancy = In("occupancy", Bounds.Unit) ?? 0,
                    RentBasis = o.Enum<RentBasis>("rent_basis") ?? RentBasis.PerM2PerDay,
                    Steps = o.YearMap("steps", Model.Timeline.MaxHorizonYears, nn).Select(x => new RentStep(x.Year, x.Value)).ToValueArray(),
                };
                break;
            case "ev_charging":
                stream = new EvCharging
                {
                    Name = n, Chargers = In("chargers", nn) ?? 0, PowerKw = In("power_kw", nn) ?? 0,
                    Utilisation = In("utilisation", Bounds.Unit) ?? 0, FeeYuanPerKwh = In("fee_yuan_per_kwh", nn) ?? 0,
                };
                break;
            case "property_fee":
                stream = new PropertyFee
                {
                    Name = n, Households = In("households", nn) ?? 0, M2PerHousehold = In("m2_per_household", nn) ?? 0,
                    FeeYuanPerM2PerMonth = In("fee_yuan_per_m2_per_month", nn) ?? 0, CollectionRate = In("collection_rate", Bounds.Unit) ?? 0,
                };
                if (o.Get("collection_rate") is YScalar cr && ((PropertyFee)stream).CollectionRate.Distribution is Fixed { Value: 1 })
                {
                    ctx.Warning(cr, o.Sub("collection_rate"), "a collection rate of exactly 100% is rare in old communities (often far below); is this intended?");
                }
                break;
            case "ops_contract":
                stream = new OpsContract
                {
                    Name = n, AnnualYuan = In("annual_yuan", nn) ?? 0, TermYears = o.Integer("term_years", 1, 100, required: true) ?? 1,
                    DefaultProbability = o.Number("default_probability", Bounds.Unit) ?? 0, Relet = o.Boolean("relet") ?? true,
                    ReletFactor = In("relet_factor", nn, false) ?? 1.0, ReletGrowth = In("relet_growth", Bounds.Rate, false) ?? 0.0,
                };
                break;
            case "asset_rent":
                stream = new AssetRent { Name = n, AnnualYuan = In("annual_yuan", nn) ?? 0, Occupancy = In("occupancy", Bounds.Unit, false) ?? 1.0 };
                break;
            default:
                stream = new GenericStream { Name = n, Driver = In("driver", nn) ?? 0, PriceYuanPerUnit = In("price_yuan_per_unit", Bounds.Any) ?? 0, Unit = o.Text("unit") };
                break;
        }
        var start = o.Integer("start_operation_year", 0, Model.Timeline.MaxHorizonYears) ?? 0;
        var end = o.Integer("end_operation_year", 0, Model.Timeline.MaxHorizonYears);
        if (end < start && o.Get("end_operation_year") is { } en) ctx.Error(en, o.Sub("end_operation_year"), $"the stream ends (operation year {end}) before it starts (operation year {start})");
        return stream with
        {
            StartOperationYear = start,
            EndOperationYear = end,
            Growth = In("growth", Bounds.Rate, false) ?? 0.0,
            Ramp = o.Numbers("ramp", new Bounds(0, 10, "must lie in [0, 10]")),
        };
    }

    // ---- costs, taxes, waterfall, correlations, analysis ----

    private Costs Costs(Obj o, ValueArray<RevenueStream> revenues)
    {
        var streamNames = revenues.Select(r => r.Name).ToArray();
        return new Costs
        {
            Fixed = NamedList(o, "fixed", (node, path) =>
            {
                var c = new Obj(ctx, node, path, FormatSpec.Get("fixed_cost"));
                var n = c.Text("name", required: true) ?? "";
                return new FixedCost { Name = n, AnnualYuan = c.Input("annual_yuan", Bounds.NonNegative, n + ".annual_yuan", required: true) ?? 0, Inflation = c.Input("inflation", Bounds.Rate, n + ".inflation") ?? 0.0 };
            }),
            Variable = NamedList(o, "variable", (node, path) =>
            {
                var c = new Obj(ctx, node, path, FormatSpec.Get("variable_cost"));
                var n = c.Text("name", required: true) ?? "";
                var streams = c.Strings("streams");
                if (c.Get("streams") is YSeq seq)
                {
                    for (var i = 0; i < streams.Count; i++)
                    {
                        if (!streamNames.Contains(streams[i])) ctx.Error(seq.Items[i], $"{c.Sub("streams")}[{i}]", $"no revenue stream is named '{Numbers.Clip(streams[i])}'{DidYouMean.Suggest(streams[i], streamNames)}");
                    }
                }
                return new VariableCost { Name = n, ShareOfRevenue = c.Input("share_of_revenue", Bounds.Unit, n + ".share_of_revenue", required: true) ?? 0, Streams = streams };
            }),
            MajorRepairs = NamedList(o, "major_repairs", (node, path) =>
            {
                var c = new Obj(ctx, node, path, FormatSpec.Get("major_repair"));
                var n = c.Text("name", required: true) ?? "";
                return new MajorRepair
                {
                    Name = n, AmountYuan = c.Input("amount_yuan", Bounds.NonNegative, n + ".amount_yuan", required: true) ?? 0,
                    IntervalYears = c.Integer("interval_years", 1, 100, required: true) ?? 1, Inflation = c.Input("inflation", Bounds.Rate, n + ".inflation") ?? 0.0,
                };
            }),
        };
    }

    private static Taxes Taxes(Obj o) => new()
    {
        RevenueTaxRate = o.Number("revenue_tax_rate", Bounds.Unit) ?? 0,
        IncomeTaxRate = o.Number("income_tax_rate", Bounds.Unit) ?? 0,
    };

    private static Waterfall Waterfall(Obj o) => new()
    {
        PreOperationInterest = o.Enum<PreOperationInterest>("pre_operation_interest") ?? PreOperationInterest.Capitalised,
        ReserveTargetMonths = o.Number("reserve_target_months", new Bounds(0, 120, "must lie in [0, 120]")) ?? 0,
        ReserveInterestRate = o.Number("reserve_interest_rate", Bounds.Rate) ?? 0,
        DistributeExcess = o.Boolean("distribute_excess") ?? false,
        FiscalBackstop = o.Boolean("fiscal_backstop") ?? true,
    };

    private Correlation Correlation(Obj o)
    {
        var inputs = o.Strings("inputs");
        if (o.Get("inputs", required: true) is null) inputs = default;
        var rows = new List<double>();
        if (o.Get("matrix", required: true) is { } m)
        {
            if (m is not YSeq seq) ctx.Error(m, o.Sub("matrix"), $"expected a list of rows, found {MapContext.Describe(m)}");
            else
            {
                for (var i = 0; i < seq.Items.Count; i++)
                {
                    var row = ctx.NumberList(seq.Items[i], $"{o.Sub("matrix")}[{i}]", NumberKind.Plain, Bounds.Any);
                    if (row is null) continue;
                    if (row.Length != seq.Items.Count) ctx.Error(seq.Items[i], $"{o.Sub("matrix")}[{i}]", $"row {i} has {row.Length} entries; the matrix has {seq.Items.Count} rows");
                    rows.AddRange(row);
                }
            }
        }
        return new Correlation
        {
            Inputs = inputs,
            Matrix = rows.ToValueArray(),
            Method = o.Enum<CorrelationMethod>("method") ?? CorrelationMethod.GaussianCopula,
            Repair = o.Boolean("repair") ?? false,
        };
    }

    private Analysis Analysis(Obj o)
    {
        var a = new Analysis
        {
            DiscountRate = o.Number("discount_rate", Bounds.Rate) ?? 0.05,
            CoverageRequirement = o.Number("coverage_requirement", new Bounds(0, 100, "must lie in [0, 100]")) ?? 1.2,
            MidYearDiscounting = o.Boolean("mid_year_discounting") ?? false,
            Paths = o.Integer("paths", 1, 100_000_000) ?? 10_000,
            Seed = o.Get("seed") is { } s ? Seed(s) : 20240601,
            Sampling = o.Enum<SamplingMethod>("sampling") ?? SamplingMethod.MonteCarlo,
        };
        if (a.CoverageRequirement < 1 && o.Get("coverage_requirement") is { } cr) ctx.Warning(cr, "analysis.coverage_requirement", $"a coverage requirement of {MapContext.Fmt(a.CoverageRequirement)} is below 1: the plan would accept revenue that does not cover debt service");
        if (a.DiscountRate > 0.2 && o.Get("discount_rate") is { } dr) ctx.Warning(dr, "analysis.discount_rate", $"a discount rate of {MapContext.Fmt(a.DiscountRate * 100)}% is unusually high (above 20%); is it a percentage written as a fraction?");
        return a;
    }

    private ulong Seed(YNode node)
    {
        if (node is YScalar s && ulong.TryParse(s.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seed)) return seed;
        ctx.Error(node, "analysis.seed", $"expected a whole number in [0, {ulong.MaxValue}], found {MapContext.Describe(node)}");
        return 0;
    }

    // ---- checks across sections ----

    private void CheckFundingShares(Obj d, District district)
    {
        var unrestricted = district.Funding.Where(f => f.Amount.Share is not null && IsEmpty(f.Amount.Eligible)).ToList();
        var sum = unrestricted.Sum(f => f.Amount.Share!.BaseValue);
        if (sum > 1 + 1e-9 && d.Get("funding") is { } node)
        {
            ctx.Error(node, "funding", $"shares of the whole capex add up to {MapContext.Fmt(sum * 100)}%, above 100% ({string.Join(" + ", unrestricted.Select(f => f.Name))})");
        }
        var residuals = district.Funding.OfType<SocialCapital>().Count(s => s.Residual);
        if (residuals > 1 && d.Get("funding") is { } fnode) ctx.Error(fnode, "funding", $"{residuals} sources are residual; at most one can absorb the gap");
        var components = district.Capex.Components.Select(c => c.Name).ToArray();
        foreach (var source in district.Funding)
        {
            foreach (var c in source.Amount.Eligible.Components.Where(c => !components.Contains(c)))
            {
                var site = d.Get("funding")!;
                ctx.Error(site, $"funding[{source.Name}].eligible.components", $"no capex component is named '{Numbers.Clip(c)}'{DidYouMean.Suggest(c, components)}");
            }
        }
    }

    private static bool IsEmpty(Eligibility e) => e.Categories.IsEmpty && e.Tags.IsEmpty && e.Components.IsEmpty;

    /// <summary>Funding sources, streams and costs name the owners of input keys: they must not collide.</summary>
    private void CheckOwnerNames(District district)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        void Claim(string name, string section)
        {
            if (name.Length == 0) return;
            if (owners.TryGetValue(name, out var first) && first != section)
            {
                var site = ctx.InputSites.Where(kv => kv.Key.StartsWith(name + ".", StringComparison.Ordinal)).Select(kv => kv.Value).LastOrDefault();
                if (site.Node != null) ctx.Error(site.Node, $"{section}[{name}]", $"the name '{name}' is also used in {first}; input keys like {name}.{site.Path.Split('.').Last()} would be ambiguous");
            }
            else owners.TryAdd(name, section);
        }
        foreach (var f in district.Funding) Claim(f.Name, "funding");
        foreach (var r in district.Revenues) Claim(r.Name, "revenues");
        foreach (var c in district.Costs.Fixed) Claim(c.Name, "costs.fixed");
        foreach (var c in district.Costs.Variable) Claim(c.Name, "costs.variable");
        foreach (var c in district.Costs.MajorRepairs) Claim(c.Name, "costs.major_repairs");
    }
}
