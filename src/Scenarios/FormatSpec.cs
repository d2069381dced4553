using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using DistrictSim.Model;
using DistrictSim.Scenarios.Yaml;

namespace DistrictSim.Scenarios;

/// <summary>The shape a key's value takes in a scenario file.</summary>
internal enum FieldShape
{
    /// <summary>A number or a one-line distribution.</summary>
    Input,
    /// <summary>A number, a distribution or a yearly process.</summary>
    YearlyInput,
    Number,
    Integer,
    Boolean,
    String,
    Enum,
    NumberList,
    StringList,
    EnumList,
    Object,
    ObjectList,
    /// <summary>A list of rows of numbers (a correlation matrix).</summary>
    Matrix,
    /// <summary>A mapping of calendar year to share (loan drawdown).</summary>
    YearShareMap,
    /// <summary>A mapping of operation year to factor (rent steps).</summary>
    YearFactorMap,
    /// <summary>bullet | {equal_parts: {from, to}} | {custom: {year: share}}.</summary>
    BondRepayment,
    /// <summary>The type of a funding source or revenue stream.</summary>
    TypeTag,
}

/// <summary>One key of a scenario object: its shape, unit and description.</summary>
internal sealed record FieldSpec(string Key, FieldShape Shape, NumberKind Number, string Description, bool Required, Type? EnumType = null, string? ObjectKind = null);

/// <summary>The keys of one kind of object in a scenario file.</summary>
internal sealed record ObjectSpec(string Kind, string Description, IReadOnlyList<FieldSpec> Fields)
{
    public FieldSpec? Find(string key) => Fields.FirstOrDefault(f => f.Key == key);

    public IEnumerable<string> Keys => Fields.Select(f => f.Key);
}

/// <summary>
/// The scenario format, derived by reflection from the model records (snake_case keys of their init
/// properties) plus a small table of units and descriptions and the few places where the file's shape
/// differs from the model's (metadata at the top level, a funding source's amount flattened into it,
/// a bond's repayment as one key, types named by a <c>type</c> key). The loader checks keys against it
/// and <see cref="ScenarioSchema"/> turns it into a JSON Schema, so the two cannot drift apart.
/// </summary>
internal static class FormatSpec
{
    public static readonly IReadOnlyDictionary<string, Type> FundingTypes = new Dictionary<string, Type>
    {
        ["central_budget"] = typeof(Grant), ["treasury_bond"] = typeof(Grant), ["local_fiscal"] = typeof(Grant), ["residents"] = typeof(Grant),
        ["special_bond"] = typeof(SpecialBond), ["policy_loan"] = typeof(Loan), ["commercial_loan"] = typeof(Loan), ["social_capital"] = typeof(SocialCapital),
    };

    public static readonly IReadOnlyDictionary<string, Type> RevenueTypes = new Dictionary<string, Type>
    {
        ["parking"] = typeof(Parking), ["commercial_lease"] = typeof(CommercialLease), ["ev_charging"] = typeof(EvCharging),
        ["property_fee"] = typeof(PropertyFee), ["ops_contract"] = typeof(OpsContract), ["asset_rent"] = typeof(AssetRent), ["generic"] = typeof(GenericStream),
    };

    /// <summary>Keys whose value may be a yearly process (InputCatalog marks the same fields AllowsProcess).</summary>
    private static readonly HashSet<string> YearlyKeys = ["growth", "inflation", "base_rate", "spread", "relet_growth"];

    private static readonly Dictionary<Type, string> ObjectKinds = new()
    {
        [typeof(Timeline)] = "timeline", [typeof(Capex)] = "capex", [typeof(CapexComponent)] = "capex_component",
        [typeof(Costs)] = "costs", [typeof(FixedCost)] = "fixed_cost", [typeof(VariableCost)] = "variable_cost", [typeof(MajorRepair)] = "major_repair",
        [typeof(Taxes)] = "taxes", [typeof(Waterfall)] = "waterfall", [typeof(Correlation)] = "correlation", [typeof(Analysis)] = "analysis",
        [typeof(SourceNote)] = "source_note", [typeof(Eligibility)] = "eligibility", [typeof(FundingSource)] = "funding_source", [typeof(RevenueStream)] = "revenue_stream",
    };

    /// <summary>Unit and description of every key (the unit is fixed per key across the format).</summary>
    internal static readonly IReadOnlyDictionary<string, (NumberKind Number, string Description)> Table = new Dictionary<string, (NumberKind, string)>
    {
        ["extends"] = (NumberKind.Plain, "Base scenario this file varies, relative to this file, inside the scenario folder tree."),
        ["delete"] = (NumberKind.Plain, "In a file that extends another: true removes the base's item of this name."),
        ["name"] = (NumberKind.Plain, "Name; items of a list are addressed by it (funding[special_bond])."),
        ["type"] = (NumberKind.Plain, "Kind of funding source or revenue stream."),
        ["city"] = (NumberKind.Plain, "City of the district."),
        ["currency"] = (NumberKind.Plain, "ISO 4217 currency code of every amount (CNY)."),
        ["notes"] = (NumberKind.Plain, "Free text."),
        ["sources"] = (NumberKind.Plain, "Where each figure comes from: quoted from the seed, or assumed with a range."),
        ["field"] = (NumberKind.Plain, "Input key the note is about (capex.building.amount_yuan)."),
        ["kind"] = (NumberKind.Plain, "seed: quoted from the seed document; assumed: not given, assumed with a range."),
        ["quote"] = (NumberKind.Plain, "The quoted text."),
        ["range"] = (NumberKind.Plain, "Plausible range of an assumed value."),
        ["reference"] = (NumberKind.Plain, "Where the range comes from."),
        ["timeline"] = (NumberKind.Plain, "Years: year 0 is the first construction year."),
        ["construction_years"] = (NumberKind.Plain, "Construction years (whole years)."),
        ["horizon_years"] = (NumberKind.Plain, "Years modelled from year 0 (whole years, at most 50)."),
        ["delay_years"] = (NumberKind.Quantity, "Construction delay in years, rounded to whole years (may be uncertain)."),
        ["capex"] = (NumberKind.Plain, "Capital expenditure."),
        ["components"] = (NumberKind.Plain, "Capex components (named)."),
        ["overrun"] = (NumberKind.Factor, "Overrun multiplier on actual spend (1 = on budget)."),
        ["category"] = (NumberKind.Plain, "basic (基础类), complete (完善类) or upgrade (提升类)."),
        ["tag"] = (NumberKind.Plain, "public_good or revenue_bearing."),
        ["amount_yuan"] = (NumberKind.Yuan, "Amount in yuan."),
        ["phasing"] = (NumberKind.Factor, "Share of the cost spent in each construction year (fractions summing to 1; empty: evenly)."),
        ["depreciation_years"] = (NumberKind.Plain, "Straight-line depreciation period in years."),
        ["funding"] = (NumberKind.Plain, "The funding stack (资金拼盘), named sources."),
        ["yuan"] = (NumberKind.Yuan, "Fixed amount in yuan (instead of share)."),
        ["share"] = (NumberKind.Fraction, "Share of the eligible components' planned capex (fraction or %)."),
        ["eligible"] = (NumberKind.Plain, "Components the share applies to (empty: all)."),
        ["categories"] = (NumberKind.Plain, "Eligible capex categories."),
        ["tags"] = (NumberKind.Plain, "Eligible capex tags."),
        ["cap_yuan"] = (NumberKind.Yuan, "Upper limit of the amount, in yuan."),
        ["issue_year"] = (NumberKind.Plain, "Calendar year (from year 0) at whose end the bond is issued."),
        ["coupon"] = (NumberKind.Fraction, "Coupon rate a year (fraction or %)."),
        ["coupon_frequency"] = (NumberKind.Plain, "annual or semi_annual."),
        ["tenor_years"] = (NumberKind.Plain, "Years from issue to maturity."),
        ["repayment"] = (NumberKind.Plain, "Principal repayment profile."),
        ["seniority"] = (NumberKind.Plain, "Order in the waterfall; lower is paid first."),
        ["drawdown"] = (NumberKind.Fraction, "Share drawn at the end of each calendar year: {year: share}, shares summing to 1."),
        ["base_rate"] = (NumberKind.Fraction, "Base rate a year, e.g. the 5-year LPR (fraction or %; may be a yearly process)."),
        ["spread"] = (NumberKind.Fraction, "Spread over the base rate a year (fraction or %; may be a yearly process)."),
        ["rate_floor"] = (NumberKind.Fraction, "Floor of the loan rate a year (fraction or %)."),
        ["grace_years"] = (NumberKind.Plain, "Interest-only years after the last drawdown."),
        ["repayment_years"] = (NumberKind.Plain, "Years of principal repayment after the grace period."),
        ["residual"] = (NumberKind.Plain, "True: absorbs every gap between uses and the other sources."),
        ["hurdle_rate"] = (NumberKind.Fraction, "Equity return social capital expects a year (fraction or %)."),
        ["revenues"] = (NumberKind.Plain, "Revenue streams (named)."),
        ["start_operation_year"] = (NumberKind.Plain, "First operation year of the stream (0 = first operating year)."),
        ["end_operation_year"] = (NumberKind.Plain, "Last operation year of the stream, inclusive (absent: to the horizon)."),
        ["growth"] = (NumberKind.Fraction, "Yearly growth or indexation (fraction or %; may be a yearly process)."),
        ["ramp"] = (NumberKind.Factor, "Factors for the stream's first operation years (e.g. [0.5, 0.75])."),
        ["spaces"] = (NumberKind.Quantity, "Parking spaces."),
        ["occupancy"] = (NumberKind.Fraction, "Occupancy, a fraction in [0, 1]."),
        ["fee_yuan_per_space_per_month"] = (NumberKind.Quantity, "Monthly fee in yuan per space."),
        ["fee_yuan_per_hour"] = (NumberKind.Quantity, "Hourly fee in yuan (with hours_per_day)."),
        ["hours_per_day"] = (NumberKind.Quantity, "Hours an occupied space is paid for a day."),
        ["area_m2"] = (NumberKind.Quantity, "Leasable area in m2."),
        ["rent"] = (NumberKind.Quantity, "Rent in yuan per m2 per rent_basis period."),
        ["rent_basis"] = (NumberKind.Plain, "per_m2_per_day or per_m2_per_month."),
        ["steps"] = (NumberKind.Factor, "Rent steps: {operation_year: factor}, cumulative."),
        ["chargers"] = (NumberKind.Quantity, "Number of chargers."),
        ["power_kw"] = (NumberKind.Quantity, "Power of a charger in kW."),
        ["utilisation"] = (NumberKind.Fraction, "Share of the 8,760 hours a charger delivers full power, a fraction in [0, 1]."),
        ["fee_yuan_per_kwh"] = (NumberKind.Quantity, "Service fee in yuan per kWh."),
        ["households"] = (NumberKind.Quantity, "Households paying the fee."),
        ["m2_per_household"] = (NumberKind.Quantity, "Floor area per household in m2."),
        ["fee_yuan_per_m2_per_month"] = (NumberKind.Quantity, "Property fee in yuan per m2 per month."),
        ["collection_rate"] = (NumberKind.Fraction, "Share of fees collected, a fraction in [0, 1]."),
        ["annual_yuan"] = (NumberKind.Yuan, "Amount in yuan a year."),
        ["term_years"] = (NumberKind.Plain, "Contract term in years."),
        ["default_probability"] = (NumberKind.Fraction, "Probability a year that the operator defaults, in [0, 1]."),
        ["relet"] = (NumberKind.Plain, "Re-let after the term (false leaves the space empty)."),
        ["relet_factor"] = (NumberKind.Factor, "Re-let rent as a multiple of the contract's."),
        ["relet_growth"] = (NumberKind.Fraction, "Yearly growth of the re-let rent (fraction or %; may be a yearly process)."),
        ["driver"] = (NumberKind.Quantity, "Units a year."),
        ["price_yuan_per_unit"] = (NumberKind.Quantity, "Price in yuan per unit."),
        ["unit"] = (NumberKind.Plain, "Name of the unit."),
        ["costs"] = (NumberKind.Plain, "Operating costs."),
        ["fixed"] = (NumberKind.Plain, "Fixed costs (named)."),
        ["variable"] = (NumberKind.Plain, "Costs as a share of revenue (named)."),
        ["major_repairs"] = (NumberKind.Plain, "Periodic major repairs (named)."),
        ["inflation"] = (NumberKind.Fraction, "Yearly inflation (fraction or %; may be a yearly process)."),
        ["share_of_revenue"] = (NumberKind.Fraction, "Share of revenue, a fraction in [0, 1]."),
        ["streams"] = (NumberKind.Plain, "Revenue streams the share applies to (empty: all)."),
        ["interval_years"] = (NumberKind.Plain, "Years between repairs (first at operation year interval_years)."),
        ["taxes"] = (NumberKind.Plain, "Simple taxes."),
        ["revenue_tax_rate"] = (NumberKind.Fraction, "Tax on revenue (fraction or %)."),
        ["income_tax_rate"] = (NumberKind.Fraction, "Income tax rate (fraction or %)."),
        ["waterfall"] = (NumberKind.Plain, "Cash waterfall settings."),
        ["pre_operation_interest"] = (NumberKind.Plain, "paid, capitalised or reserve."),
        ["reserve_target_months"] = (NumberKind.Quantity, "Reserve target in months of next year's debt service."),
        ["reserve_interest_rate"] = (NumberKind.Fraction, "Interest the reserve earns a year (fraction or %)."),
        ["distribute_excess"] = (NumberKind.Plain, "Pay cash above the reserve target to equity each year."),
        ["fiscal_backstop"] = (NumberKind.Plain, "True: the local government tops shortfalls up; false: a shortfall is a default."),
        ["correlations"] = (NumberKind.Plain, "Correlations among uncertain inputs."),
        ["inputs"] = (NumberKind.Plain, "Input keys (stream.field, e.g. parking.occupancy)."),
        ["matrix"] = (NumberKind.Plain, "Correlation matrix, one row per input."),
        ["method"] = (NumberKind.Plain, "gaussian_copula or iman_conover."),
        ["repair"] = (NumberKind.Plain, "Repair an invalid matrix to the nearest valid one (with a warning)."),
        ["analysis"] = (NumberKind.Plain, "Analysis settings."),
        ["discount_rate"] = (NumberKind.Fraction, "Discount rate a year (fraction or %)."),
        ["coverage_requirement"] = (NumberKind.Factor, "Coverage ratio the plan must show (本息覆盖倍数)."),
        ["mid_year_discounting"] = (NumberKind.Plain, "Discount flows at mid-year instead of year end."),
        ["paths"] = (NumberKind.Quantity, "Monte Carlo paths."),
        ["seed"] = (NumberKind.Plain, "Random seed."),
        ["sampling"] = (NumberKind.Plain, "mc (Monte Carlo) or lhs (Latin hypercube)."),
    };

    private static readonly Lazy<IReadOnlyDictionary<string, ObjectSpec>> Specs = new(Build);

    public static IReadOnlyDictionary<string, ObjectSpec> All => Specs.Value;

    public static ObjectSpec Get(string kind) => Specs.Value[kind];

    /// <summary>snake_case of a PascalCase name: FeeYuanPerKwh -> fee_yuan_per_kwh, M2PerHousehold -> m2_per_household.</summary>
    public static string Snake(string name)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]))) sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>The names of an enum's values in files (snake_case, except SamplingMethod: mc, lhs).</summary>
    public static IReadOnlyList<string> EnumNames(Type enumType) =>
        enumType == typeof(SamplingMethod) ? ["mc", "lhs"] : System.Enum.GetNames(enumType).Select(Snake).ToArray();

    public static string EnumName<T>(T value) where T : struct, System.Enum =>
        EnumNames(typeof(T))[Array.IndexOf(System.Enum.GetValues<T>(), value)];

    private static Dictionary<string, ObjectSpec> Build()
    {
        var specs = new Dictionary<string, ObjectSpec>();
        void Add(string kind, string description, IEnumerable<FieldSpec> fields) => specs[kind] = new ObjectSpec(kind, description, fields.ToArray());

        var named = new[] { Field("delete", FieldShape.Boolean, false) };
        Add("district", "One district (片区): metadata, timing, capex, funding, revenues, costs, correlations, analysis.",
            new[] { Field("extends", FieldShape.String, false) }
                .Concat(Reflect(typeof(Metadata)))
                .Concat(Reflect(typeof(District), "metadata")));
        foreach (var (type, kind) in ObjectKinds)
        {
            if (type == typeof(FundingSource) || type == typeof(RevenueStream)) continue;
            var fields = Reflect(type);
            if (type.GetProperty("Name") != null) fields = fields.Concat(named);
            Add(kind, Summary(type), fields);
        }
        var sourceHead = new[] { Field("name", FieldShape.String, true), Field("type", FieldShape.TypeTag, true) };
        var amount = Reflect(typeof(FundingAmount));
        foreach (var (typeName, type) in FundingTypes)
        {
            var own = Reflect(type, "name", "amount", "kind", "repay_from_year", "repay_to_year", "schedule");
            Add(typeName, Summary(type), sourceHead.Concat(amount).Concat(own).Concat(named));
        }
        foreach (var (typeName, type) in RevenueTypes)
        {
            Add(typeName, Summary(type), sourceHead.Concat(Reflect(type, "name")).Concat(named));
        }
        return specs;
    }

    private static string Summary(Type type) => type.Name switch
    {
        nameof(Grant) => "A grant: money the project never repays.",
        nameof(SpecialBond) => "地方政府专项债券: a special-purpose bond repaid from project revenue.",
        nameof(Loan) => "A bank loan: drawn, interest-only for the grace years, then repaid.",
        nameof(SocialCapital) => "社会资本 equity: a fixed amount or the residual.",
        _ => FormatSpec.Snake(type.Name).Replace('_', ' '),
    };

    private static FieldSpec Field(string key, FieldShape shape, bool required, Type? enumType = null, string? objectKind = null)
    {
        var (number, description) = Table.TryGetValue(key, out var entry) ? entry : (NumberKind.Plain, key.Replace('_', ' '));
        return new FieldSpec(key, shape, number, description, required, enumType, objectKind);
    }

    private static IEnumerable<FieldSpec> Reflect(Type type, params string[] skip)
    {
        var chain = new List<Type>();
        for (var t = type; t != null && t != typeof(object); t = t.BaseType) chain.Insert(0, t);
        foreach (var t in chain)
        {
            var properties = t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(p => p.SetMethod != null && p.GetIndexParameters().Length == 0)
                .OrderBy(p => p.MetadataToken);
            foreach (var p in properties)
            {
                var key = Snake(p.Name);
                if (skip.Contains(key)) continue;
                var required = p.GetCustomAttribute<RequiredMemberAttribute>() != null;
                yield return FieldFor(type, key, p.PropertyType, required);
            }
        }
    }

    private static FieldSpec FieldFor(Type owner, string key, Type type, bool required)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (owner == typeof(SpecialBond) && key == "repayment") return Field(key, FieldShape.BondRepayment, false);
        if (key == "kind" && owner == typeof(SourceNote)) return Field(key, FieldShape.Enum, required, typeof(SourceKind));
        if (underlying == typeof(Input)) return Field(key, YearlyKeys.Contains(key) ? FieldShape.YearlyInput : FieldShape.Input, required);
        if (underlying == typeof(double)) return Field(key, FieldShape.Number, required);
        if (underlying == typeof(int) || underlying == typeof(ulong) || underlying == typeof(long)) return Field(key, FieldShape.Integer, required);
        if (underlying == typeof(bool)) return Field(key, FieldShape.Boolean, required);
        if (underlying == typeof(string)) return Field(key, FieldShape.String, required);
        if (underlying.IsEnum) return Field(key, FieldShape.Enum, required, underlying);
        if (ObjectKinds.TryGetValue(underlying, out var kind)) return Field(key, FieldShape.Object, required, objectKind: kind);
        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(ValueArray<>))
        {
            var element = underlying.GetGenericArguments()[0];
            if (element == typeof(double)) return Field(key, key == "matrix" ? FieldShape.Matrix : FieldShape.NumberList, required);
            if (element == typeof(string)) return Field(key, FieldShape.StringList, required);
            if (element.IsEnum) return Field(key, FieldShape.EnumList, required, element);
            if (element == typeof(YearShare)) return Field(key, FieldShape.YearShareMap, required);
            if (element == typeof(RentStep)) return Field(key, FieldShape.YearFactorMap, required);
            if (ObjectKinds.TryGetValue(element, out var elementKind)) return Field(key, FieldShape.ObjectList, required, objectKind: elementKind);
        }
        throw new InvalidOperationException($"FormatSpec has no rule for {owner.Name}.{key} of type {type.Name}");
    }
}
