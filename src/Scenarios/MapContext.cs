using System.Globalization;
using DistrictSim.Model;
using DistrictSim.Scenarios.Yaml;

namespace DistrictSim.Scenarios;

/// <summary>A closed interval a numeric field's values must lie in.</summary>
internal readonly record struct Bounds(double Min, double Max, string Text)
{
    public static readonly Bounds Any = new(double.NegativeInfinity, double.PositiveInfinity, "");
    public static readonly Bounds NonNegative = new(0, double.PositiveInfinity, "must not be negative");
    public static readonly Bounds Unit = new(0, 1, "must lie in [0, 1]");
    /// <summary>Rates and growth a year: above -100%, at most 100%.</summary>
    public static readonly Bounds Rate = new(-0.999999, 1, "must lie in (-100%, 100%]");

    public bool Contains(double v) => v >= Min && v <= Max;
}

/// <summary>Collects diagnostics while a tree is mapped, and where each catalogued input came from.</summary>
internal sealed class MapContext
{
    public List<Diagnostic> Diagnostics { get; } = [];

    /// <summary>Catalog key (parking.occupancy) to the node and field path it was read from.</summary>
    public Dictionary<string, (YNode Node, string Path)> InputSites { get; } = new(StringComparer.Ordinal);

    /// <summary>Catalog keys whose value could not be read (already reported; later rules skip them).</summary>
    public HashSet<string> FailedInputs { get; } = new(StringComparer.Ordinal);

    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    public void Error(YNode at, string path, string message) => Diagnostics.Add(new Diagnostic(at.File, at.Line, at.Column, path, message, Severity.Error));

    public void Warning(YNode at, string path, string message) => Diagnostics.Add(new Diagnostic(at.File, at.Line, at.Column, path, message, Severity.Warning));

    public static string Fmt(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    // ---- scalars ----

    public double? Number(YNode node, string path, NumberKind kind, Bounds bounds)
    {
        if (node is not YScalar s || s.IsNull)
        {
            Error(node, path, $"expected {Numbers.Describe(kind)}, found {Describe(node)}");
            return null;
        }
        if (!Numbers.TryParse(s.Value, kind, out var value, out var error))
        {
            Error(node, path, error);
            return null;
        }
        if (!bounds.Contains(value))
        {
            Error(node, path, $"{Fmt(value)} {bounds.Text}");
            return null;
        }
        return value;
    }

    public int? Integer(YNode node, string path, int min, int max)
    {
        if (node is not YScalar s || s.IsNull || !Numbers.TryParse(s.Value, NumberKind.Quantity, out var value, out _) || value != Math.Floor(value))
        {
            Error(node, path, $"expected a whole number, found {Describe(node)}");
            return null;
        }
        if (value < min || value > max)
        {
            Error(node, path, $"{Fmt(value)} must lie in [{min}, {(max == int.MaxValue ? "∞" : max.ToString(CultureInfo.InvariantCulture))}]");
            return null;
        }
        return (int)value;
    }

    public bool? Boolean(YNode node, string path)
    {
        if (node is YScalar s && !s.Quoted)
        {
            switch (s.Value)
            {
                case "true" or "True" or "TRUE": return true;
                case "false" or "False" or "FALSE": return false;
            }
        }
        Error(node, path, $"expected true or false, found {Describe(node)}");
        return null;
    }

    public string? Text(YNode node, string path)
    {
        if (node is YScalar s && !s.IsNull) return s.Value;
        Error(node, path, $"expected text, found {Describe(node)}");
        return null;
    }

    public T? Enum<T>(YNode node, string path) where T : struct, System.Enum
    {
        var names = FormatSpec.EnumNames(typeof(T));
        if (node is YScalar s && !s.IsNull)
        {
            var i = names.ToList().IndexOf(s.Value);
            if (i >= 0) return System.Enum.GetValues<T>()[i];
            Error(node, path, $"'{Numbers.Clip(s.Value)}' is not one of {string.Join(", ", names)}{DidYouMean.Suggest(s.Value, names)}");
            return null;
        }
        Error(node, path, $"expected one of {string.Join(", ", names)}, found {Describe(node)}");
        return null;
    }

    public static string Describe(YNode node) => node switch
    {
        YScalar { IsNull: true } => "nothing",
        YScalar s => $"'{Numbers.Clip(s.Value)}'",
        YMap => "a mapping",
        YSeq => "a list",
        _ => "something else",
    };

    // ---- inputs: numbers, distributions and processes ----

    private static readonly string[] DistributionForms =
        ["fixed", "uniform", "triangular", "pert", "normal", "truncated_normal", "lognormal", "beta", "discrete", "yearly_event"];

    private static readonly string[] ProcessForms = ["yearly", "random_walk", "mean_reverting", "step_change"];

    public static IReadOnlyList<string> AllForms => [.. DistributionForms, .. ProcessForms];

    /// <summary>Reads a plain number or a one-line distribution, checks its support against the bounds.</summary>
    public Input? Input(YNode node, string path, NumberKind kind, Bounds bounds, string? catalogKey)
    {
        var errorsBefore = Diagnostics.Count(d => d.IsError);
        var input = ReadInput(node, path, kind, bounds, catalogKey);
        if (catalogKey != null && (input is null || Diagnostics.Count(d => d.IsError) > errorsBefore)) FailedInputs.Add(catalogKey);
        return input;
    }

    private Input? ReadInput(YNode node, string path, NumberKind kind, Bounds bounds, string? catalogKey)
    {
        if (catalogKey != null) InputSites[catalogKey] = (node, path);
        if (node is YScalar)
        {
            var v = Number(node, path, kind, bounds);
            return v is null ? null : new Input(new Fixed(v.Value));
        }
        if (node is not YMap map)
        {
            Error(node, path, $"expected a number or a distribution like {{triangular: [min, mode, max]}}, found {Describe(node)}");
            return null;
        }
        double? baseValue = null;
        Distribution? distribution = null;
        var forms = 0;
        foreach (var (key, value) in map.Entries)
        {
            if (key.Value == "base")
            {
                baseValue = Number(value, path + ".base", kind, bounds);
                continue;
            }
            if (!AllForms.Contains(key.Value))
            {
                Error(key, path, $"unknown distribution '{Numbers.Clip(key.Value)}'{DidYouMean.Suggest(key.Value, [.. AllForms, "base"])}; forms: {string.Join(", ", AllForms)}");
                forms++;
                continue;
            }
            forms++;
            if (forms > 1)
            {
                Error(key, path, "a distribution has one form (plus an optional base)");
                continue;
            }
            distribution = Distribution(key.Value, value, path + "." + key.Value, kind, allowProcess: true);
        }
        if (forms == 0)
        {
            Error(node, path, "a distribution needs a form, like {triangular: [min, mode, max]}");
            return null;
        }
        if (distribution is null) return null;
        var input = new Input(distribution, baseValue);
        CheckSupport(input, node, path, bounds);
        return input;
    }

    private void CheckSupport(Input input, YNode node, string path, Bounds bounds)
    {
        if (bounds.Min == double.NegativeInfinity && bounds.Max == double.PositiveInfinity) return;
        var (lo, hi, bounded) = Support(input.Distribution);
        if (bounded)
        {
            if (!bounds.Contains(lo) || !bounds.Contains(hi))
            {
                Error(node, path, $"{bounds.Text}: the distribution ranges over [{Fmt(lo)}, {Fmt(hi)}]");
            }
        }
        else if (!bounds.Contains(input.Distribution.Mean))
        {
            Error(node, path, $"{bounds.Text}: the distribution's mean is {Fmt(input.Distribution.Mean)}");
        }
        else if (!input.IsProcess && bounds == Bounds.Unit && (lo < bounds.Min || hi > bounds.Max))
        {
            Warning(node, path, $"{bounds.Text}, but this distribution is unbounded and can draw outside; prefer beta, truncated_normal or triangular");
        }
        else if (input.Distribution is Normal n && n.Sd > 0)
        {
            // A normal on a bounded field: warn when it draws outside more than once in a thousand paths.
            var outside = (double.IsFinite(bounds.Min) ? Phi((bounds.Min - n.Mu) / n.Sd) : 0)
                + (double.IsFinite(bounds.Max) ? Phi((n.Mu - bounds.Max) / n.Sd) : 0);
            if (outside > 1e-3)
            {
                Warning(node, path, $"{bounds.Text}, but this normal draws outside in {Fmt(outside * 100)}% of paths; prefer truncated_normal, triangular or lognormal");
            }
        }
    }

    private static double Phi(double z) => 0.5 * MathNet.Numerics.SpecialFunctions.Erfc(-z / Math.Sqrt(2));

    private static (double Lo, double Hi, bool Bounded) Support(Distribution d) => d switch
    {
        Fixed f => (f.Value, f.Value, true),
        Uniform u => (u.Min, u.Max, true),
        Triangular t => (t.Min, t.Max, true),
        Pert p => (p.Min, p.Max, true),
        Beta b => (b.Min, b.Max, true),
        TruncatedNormal t => (t.Min, t.Max, true),
        Discrete x => (x.Values.Min(), x.Values.Max(), true),
        LogNormal => (0, double.PositiveInfinity, false),
        Yearly y => Support(y.Each),
        _ => (double.NegativeInfinity, double.PositiveInfinity, false),
    };

    private Distribution? Distribution(string form, YNode node, string path, NumberKind kind, bool allowProcess)
    {
        double[]? List(int min, int max, NumberKind[] kinds)
        {
            if (node is not YSeq seq)
            {
                Error(node, path, $"{form} takes a list [{string.Join(", ", ParamNames(form))}], found {Describe(node)}");
                return null;
            }
            if (seq.Items.Count < min || seq.Items.Count > max)
            {
                Error(node, path, $"{form} takes {(min == max ? min.ToString(CultureInfo.InvariantCulture) : $"{min} or {max}")} numbers [{string.Join(", ", ParamNames(form))}], found {seq.Items.Count}");
                return null;
            }
            var values = new double[seq.Items.Count];
            var ok = true;
            for (var i = 0; i < values.Length; i++)
            {
                var v = Number(seq.Items[i], $"{path}[{i}]", kinds[Math.Min(i, kinds.Length - 1)], Bounds.Any);
                if (v is null) ok = false;
                else values[i] = v.Value;
            }
            return ok ? values : null;
        }

        Dictionary<string, double>? Named(string[] required, string[] optional, Func<string, NumberKind> kindOf)
        {
            if (node is not YMap map)
            {
                Error(node, path, $"{form} takes a mapping {{{string.Join(", ", required)}}}, found {Describe(node)}");
                return null;
            }
            var result = new Dictionary<string, double>();
            var ok = true;
            foreach (var (key, value) in map.Entries)
            {
                if (!required.Contains(key.Value) && !optional.Contains(key.Value))
                {
                    Error(key, path, $"unknown key '{Numbers.Clip(key.Value)}' of {form}{DidYouMean.Suggest(key.Value, [.. required, .. optional])}");
                    ok = false;
                    continue;
                }
                var v = Number(value, path + "." + key.Value, kindOf(key.Value), Bounds.Any);
                if (v is null) ok = false;
                else result[key.Value] = v.Value;
            }
            foreach (var r in required.Where(r => !result.ContainsKey(r) && map.Get(r) is null))
            {
                Error(node, path, $"{form} needs '{r}'");
                ok = false;
            }
            return ok ? result : null;
        }

        bool Check(bool condition, string message)
        {
            if (!condition) Error(node, path, message);
            return condition;
        }

        var p = NumberKind.Plain;
        switch (form)
        {
            case "fixed":
            {
                var v = Number(node, path, kind, Bounds.Any);
                return v is null ? null : new Fixed(v.Value);
            }
            case "uniform":
            {
                var a = List(2, 2, [kind]);
                return a is null || !Check(a[0] <= a[1], $"uniform needs min <= max, found [{Fmt(a[0])}, {Fmt(a[1])}]") ? null : new Uniform(a[0], a[1]);
            }
            case "triangular" or "pert":
            {
                var a = List(3, 3, [kind]);
                if (a is null || !Check(a[0] <= a[1] && a[1] <= a[2], $"{form} needs min <= mode <= max, found [{Fmt(a[0])}, {Fmt(a[1])}, {Fmt(a[2])}]")) return null;
                return form == "pert" ? new Pert(a[0], a[1], a[2]) : new Triangular(a[0], a[1], a[2]);
            }
            case "normal":
            {
                var a = List(2, 2, [kind]);
                return a is null || !Check(a[1] >= 0, $"normal needs sd >= 0, found {Fmt(a[1])}") ? null : new Normal(a[0], a[1]);
            }
            case "truncated_normal":
            {
                var a = List(4, 4, [kind]);
                if (a is null) return null;
                if (!Check(a[1] >= 0, $"truncated_normal needs sd >= 0, found {Fmt(a[1])}")) return null;
                if (!Check(a[2] <= a[3], $"truncated_normal needs min <= max, found [{Fmt(a[2])}, {Fmt(a[3])}]")) return null;
                var truncated = new TruncatedNormal(a[0], a[1], a[2], a[3]);
                if (!Check(truncated.Sd == 0 || a[2] == a[3] || truncated.Mass > 0,
                    $"truncated_normal [min, max] = [{Fmt(a[2])}, {Fmt(a[3])}] lies too far in the tail of a normal with mean {Fmt(a[0])} and sd {Fmt(a[1])}: its probability underflows; move the mean or widen the interval")) return null;
                return truncated;
            }
            case "lognormal":
            {
                if (node is YMap m && (m.Get("mean") != null || m.Get("sd") != null))
                {
                    var ms = Named(["mean", "sd"], [], _ => kind);
                    if (ms is null) return null;
                    if (!Check(ms["mean"] > 0 && ms["sd"] >= 0, "lognormal {mean, sd} needs mean > 0 and sd >= 0")) return null;
                    return LogNormal.FromMeanSd(ms["mean"], ms["sd"]);
                }
                var ps = Named(["mu", "sigma"], [], _ => p);
                if (ps is null) return null;
                return !Check(ps["sigma"] >= 0, $"lognormal needs sigma >= 0, found {Fmt(ps["sigma"])}") ? null : new LogNormal(ps["mu"], ps["sigma"]);
            }
            case "beta":
            {
                var a = List(2, 4, [p, p, kind]);
                if (a is null) return null;
                if (a.Length == 3) { Error(node, path, "beta takes [alpha, beta] or [alpha, beta, min, max]"); return null; }
                if (!Check(a[0] > 0 && a[1] > 0, $"beta needs alpha > 0 and beta > 0, found [{Fmt(a[0])}, {Fmt(a[1])}]")) return null;
                const double lo = DistrictSim.Sampling.SlotDistribution.MinBetaShape, hi = DistrictSim.Sampling.SlotDistribution.MaxBetaShape;
                if (!Check(a[0] >= lo && a[1] >= lo && a[0] <= hi && a[1] <= hi,
                    $"beta shapes must lie in [{Fmt(lo)}, {Fmt(hi)}], found [{Fmt(a[0])}, {Fmt(a[1])}] (below 0.1 nearly all mass sits at the ends)")) return null;
                if (a.Length == 4 && !Check(a[2] <= a[3], $"beta needs min <= max, found [{Fmt(a[2])}, {Fmt(a[3])}]")) return null;
                return a.Length == 4 ? new Beta(a[0], a[1], a[2], a[3]) : new Beta(a[0], a[1]);
            }
            case "discrete":
            {
                if (node is not YMap map) { Error(node, path, "discrete takes {values: [..], weights: [..]}"); return null; }
                var ok = true;
                double[] values = [], weights = [];
                foreach (var (key, value) in map.Entries)
                {
                    if (key.Value is not ("values" or "weights")) { Error(key, path, $"unknown key '{Numbers.Clip(key.Value)}' of discrete{DidYouMean.Suggest(key.Value, ["values", "weights"])}"); ok = false; continue; }
                    var list = NumberList(value, path + "." + key.Value, key.Value == "values" ? kind : p, Bounds.Any);
                    if (list is null) { ok = false; continue; }
                    if (key.Value == "values") values = list; else weights = list;
                }
                if (!ok) return null;
                if (!Check(values.Length > 0, "discrete needs at least one value")) return null;
                if (weights.Length > 0)
                {
                    if (!Check(weights.Length == values.Length, $"discrete has {values.Length} values but {weights.Length} weights")) return null;
                    if (!Check(weights.All(w => w >= 0) && weights.Sum() > 0, "discrete weights must be non-negative with a positive sum")) return null;
                }
                return new Discrete(values.ToValueArray(), weights.ToValueArray());
            }
            case "yearly_event":
            {
                var v = Number(node, path, NumberKind.Fraction, Bounds.Unit);
                return v is null ? null : new YearlyEvent(v.Value);
            }
        }
        if (!allowProcess)
        {
            Error(node, path, $"a process ({form}) cannot be nested in another");
            return null;
        }
        switch (form)
        {
            case "yearly":
            {
                if (node is not YMap inner || inner.Entries.Count != 1 || !DistributionForms.Contains(inner.Entries[0].Key.Value))
                {
                    Error(node, path, "yearly takes one distribution, like {yearly: {normal: [2%, 1%]}}");
                    return null;
                }
                var each = Distribution(inner.Entries[0].Key.Value, inner.Entries[0].Value, path + "." + inner.Entries[0].Key.Value, kind, allowProcess: false);
                return each is null ? null : new Yearly(each);
            }
            case "random_walk":
            {
                var a = Named(["start", "drift", "sd"], [], _ => kind);
                return a is null || !Check(a["sd"] >= 0, "random_walk needs sd >= 0") ? null : new RandomWalk(a["start"], a["drift"], a["sd"]);
            }
            case "mean_reverting":
            {
                var a = Named(["mean", "phi", "sd", "start"], [], k => k == "phi" ? p : kind);
                if (a is null) return null;
                if (!Check(a["sd"] >= 0, "mean_reverting needs sd >= 0")) return null;
                if (!Check(a["phi"] >= -1 && a["phi"] <= 1, $"mean_reverting needs phi in [-1, 1], found {Fmt(a["phi"])}")) return null;
                return new MeanReverting(a["mean"], a["phi"], a["sd"], a["start"]);
            }
            default:
            {
                var a = Named(["start", "step", "probability"], [], k => k == "probability" ? NumberKind.Fraction : kind);
                if (a is null) return null;
                return !Check(a["probability"] >= 0 && a["probability"] <= 1, $"step_change needs probability in [0, 1], found {Fmt(a["probability"])}")
                    ? null : new StepChange(a["start"], a["step"], a["probability"]);
            }
        }
    }

    private static string[] ParamNames(string form) => form switch
    {
        "uniform" => ["min", "max"],
        "triangular" or "pert" => ["min", "mode", "max"],
        "normal" => ["mean", "sd"],
        "truncated_normal" => ["mean", "sd", "min", "max"],
        "beta" => ["alpha", "beta", "min", "max"],
        _ => [],
    };

    public double[]? NumberList(YNode node, string path, NumberKind kind, Bounds bounds)
    {
        if (node is not YSeq seq)
        {
            Error(node, path, $"expected a list of numbers, found {Describe(node)}");
            return null;
        }
        var values = new double[seq.Items.Count];
        var ok = true;
        for (var i = 0; i < values.Length; i++)
        {
            var v = Number(seq.Items[i], $"{path}[{i}]", kind, bounds);
            if (v is null) ok = false;
            else values[i] = v.Value;
        }
        return ok ? values : null;
    }
}

/// <summary>Did-you-mean suggestions by edit distance.</summary>
internal static class DidYouMean
{
    public static string Suggest(string given, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var c in candidates)
        {
            var d = Distance(given.ToLowerInvariant(), c);
            if (d < bestDistance)
            {
                best = c;
                bestDistance = d;
            }
        }
        var limit = Math.Max(2, given.Length / 3);
        return best != null && bestDistance <= limit ? $" (did you mean '{best}'?)" : "";
    }

    /// <summary>Optimal string alignment distance (Levenshtein plus adjacent transpositions).</summary>
    public static int Distance(string a, string b)
    {
        if (a.Length > 200 || b.Length > 200) return int.MaxValue;
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
