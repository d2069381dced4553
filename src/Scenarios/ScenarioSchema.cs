using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using DistrictSim.Scenarios.Yaml;

namespace DistrictSim.Scenarios;

/// <summary>
/// Generates the JSON Schema (draft 2020-12) of scenario files from <see cref="FormatSpec"/>, itself
/// reflected from the model records, so that editors with the YAML language server autocomplete
/// every key, enum value and distribution form. schema/districtsim.schema.json is its committed output.
/// </summary>
public static class ScenarioSchema
{
    public const string Id = "https://districtsim.org/schema/districtsim.schema.json";

    public static string Generate()
    {
        var defs = new JsonObject();
        foreach (var kind in System.Enum.GetValues<NumberKind>())
        {
            defs["number_" + Name(kind)] = NumberSchema(kind);
            defs["input_" + Name(kind)] = new JsonObject
            {
                ["description"] = $"{Numbers.Describe(kind)}, or a one-line distribution such as {{triangular: [min, mode, max]}}",
                ["anyOf"] = new JsonArray(Ref("number_" + Name(kind)), Ref("distribution")),
            };
            defs["yearly_input_" + Name(kind)] = new JsonObject
            {
                ["description"] = $"{Numbers.Describe(kind)}, a distribution, or a yearly process such as {{yearly: {{normal: [2%, 1%]}}}}",
                ["anyOf"] = new JsonArray(Ref("number_" + Name(kind)), Ref("distribution"), Ref("process")),
            };
        }
        defs["number_any"] = new JsonObject
        {
            ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "number" }, new JsonObject { ["type"] = "string", ["pattern"] = NumberPattern(true, true) }),
        };
        defs["distribution"] = Distributions();
        defs["process"] = Processes();
        foreach (var (kind, spec) in FormatSpec.All.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (kind == "district") continue;
            defs[kind] = ObjectSchema(spec, kind);
        }
        defs["funding_source"] = new JsonObject
        {
            ["description"] = "One source in the funding stack (资金拼盘); its type decides the other keys.",
            ["oneOf"] = new JsonArray(FormatSpec.FundingTypes.Keys.Select(k => (JsonNode)Ref(k)).ToArray()),
        };
        defs["revenue_stream"] = new JsonObject
        {
            ["description"] = "A revenue stream; its type decides the other keys.",
            ["oneOf"] = new JsonArray(FormatSpec.RevenueTypes.Keys.Select(k => (JsonNode)Ref(k)).ToArray()),
        };
        var root = ObjectSchema(FormatSpec.Get("district"), "district");
        var schema = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = Id,
            ["title"] = "districtsim scenario",
        };
        foreach (var (key, value) in root) schema[key] = value?.DeepClone();
        schema["$defs"] = defs;
        var options = new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        return schema.ToJsonString(options).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    private static string Name(NumberKind kind) => FormatSpec.Snake(kind.ToString());

    private static JsonObject Ref(string def) => new() { ["$ref"] = "#/$defs/" + def };

    private static string NumberPattern(bool percent, bool suffix) =>
        "^[+-]?([0-9][0-9_]*)?(\\.[0-9_]*)?([eE][+-]?[0-9]+)?" + (suffix ? "(千|万|百万|千万|亿|k|K|M|B)?" : "") + (percent ? "%?" : "") + "$";

    private static JsonObject NumberSchema(NumberKind kind)
    {
        var percent = kind is NumberKind.Fraction or NumberKind.Factor;
        var suffix = kind is NumberKind.Yuan or NumberKind.Quantity;
        var number = new JsonObject { ["type"] = "number" };
        if (kind == NumberKind.Plain) return new JsonObject { ["description"] = Numbers.Describe(kind), ["anyOf"] = new JsonArray(number, new JsonObject { ["type"] = "string", ["pattern"] = NumberPattern(false, false) }) };
        return new JsonObject
        {
            ["description"] = Numbers.Describe(kind),
            ["anyOf"] = new JsonArray(number, new JsonObject { ["type"] = "string", ["pattern"] = NumberPattern(percent, suffix) }),
        };
    }

    private static JsonObject Tuple(int min, int max, string help) => new()
    {
        ["type"] = "array",
        ["description"] = help,
        ["minItems"] = min,
        ["maxItems"] = max,
        ["items"] = Ref("number_any"),
    };

    private static JsonObject Named(params string[] keys)
    {
        var properties = new JsonObject();
        foreach (var k in keys) properties[k] = Ref("number_any");
        return new JsonObject { ["type"] = "object", ["properties"] = properties, ["required"] = new JsonArray(keys.Select(k => (JsonNode)k).ToArray()), ["additionalProperties"] = false };
    }

    private static JsonObject Form(string name, JsonNode body, string description, bool withBase = true)
    {
        var properties = new JsonObject { [name] = body };
        if (withBase) properties["base"] = new JsonObject { ["description"] = "The base case's value (default: the mean).", ["$ref"] = "#/$defs/number_any" };
        return new JsonObject
        {
            ["type"] = "object",
            ["description"] = description,
            ["properties"] = properties,
            ["required"] = new JsonArray(name),
            ["additionalProperties"] = false,
        };
    }

    private static JsonObject Distributions(bool withBase = true) => new()
    {
        ["description"] = "A one-line distribution: one form, plus an optional base.",
        ["oneOf"] = new JsonArray(
            Form("fixed", Ref("number_any"), "A fixed value.", withBase),
            Form("uniform", Tuple(2, 2, "[min, max]"), "Uniform on [min, max].", withBase),
            Form("triangular", Tuple(3, 3, "[min, mode, max]"), "Triangular.", withBase),
            Form("pert", Tuple(3, 3, "[min, mode, max]"), "PERT: a Beta on [min, max] with shape 4.", withBase),
            Form("normal", Tuple(2, 2, "[mean, sd]"), "Normal(mean, sd).", withBase),
            Form("truncated_normal", Tuple(4, 4, "[mean, sd, min, max]"), "A normal conditioned on [min, max].", withBase),
            Form("lognormal", new JsonObject { ["oneOf"] = new JsonArray(Named("mu", "sigma"), Named("mean", "sd")) }, "LogNormal: {mu, sigma} of ln X, or {mean, sd} of X.", withBase),
            Form("beta", Tuple(2, 4, "[alpha, beta] or [alpha, beta, min, max]"), "Beta(alpha, beta), scaled to [min, max] (default [0, 1]).", withBase),
            Form("discrete", new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject { ["values"] = new JsonObject { ["type"] = "array", ["items"] = Ref("number_any") }, ["weights"] = new JsonObject { ["type"] = "array", ["items"] = Ref("number_any") } },
                ["required"] = new JsonArray("values"),
                ["additionalProperties"] = false,
            }, "Discrete values with weights (empirical: weights omitted).", withBase),
            Form("yearly_event", Ref("number_any"), "An event with this probability each year; the value is the year it first happens.", withBase)),
    };

    private static JsonObject Processes() => new()
    {
        ["description"] = "A yearly process (only for yearly fields: growth, inflation, base_rate, spread, relet_growth).",
        ["oneOf"] = new JsonArray(
            Form("yearly", Distributions(withBase: false), "An independent draw every year."),
            Form("random_walk", Named("start", "drift", "sd"), "x(t) = x(t-1) + drift + sd z(t), x(-1) = start."),
            Form("mean_reverting", Named("mean", "phi", "sd", "start"), "AR(1): x(t) = mean + phi (x(t-1) - mean) + sd z(t)."),
            Form("step_change", Named("start", "step", "probability"), "Moves by step in each year with the probability.")),
    };

    private static JsonObject ObjectSchema(ObjectSpec spec, string kind)
    {
        var properties = new JsonObject();
        var required = new JsonArray();
        foreach (var field in spec.Fields)
        {
            var property = FieldSchema(field, kind);
            property["description"] = field.Description;
            properties[field.Key] = property;
            if (field.Required) required.Add(field.Key);
        }
        var schema = new JsonObject
        {
            ["type"] = "object",
            ["description"] = spec.Description,
            ["properties"] = properties,
        };
        if (required.Count > 0) schema["required"] = required;
        schema["additionalProperties"] = false;
        return schema;
    }

    private static JsonObject FieldSchema(FieldSpec field, string kind)
    {
        var n = Name(field.Number);
        return field.Shape switch
        {
            FieldShape.Input => Ref("input_" + n),
            FieldShape.YearlyInput => Ref("yearly_input_" + n),
            FieldShape.Number => Ref("number_" + n),
            FieldShape.Integer => new JsonObject { ["type"] = "integer" },
            FieldShape.Boolean => new JsonObject { ["type"] = "boolean" },
            FieldShape.String => new JsonObject { ["type"] = "string" },
            FieldShape.Enum => Enum(field.EnumType!),
            FieldShape.NumberList => new JsonObject { ["type"] = "array", ["items"] = Ref("number_" + n) },
            FieldShape.StringList => new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
            FieldShape.EnumList => new JsonObject { ["type"] = "array", ["items"] = Enum(field.EnumType!) },
            FieldShape.Object => Ref(field.ObjectKind!),
            FieldShape.ObjectList => new JsonObject { ["type"] = "array", ["items"] = Ref(field.ObjectKind!) },
            FieldShape.Matrix => new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "number", ["minimum"] = -1, ["maximum"] = 1 } } },
            FieldShape.YearShareMap or FieldShape.YearFactorMap => new JsonObject
            {
                ["type"] = "object",
                ["patternProperties"] = new JsonObject { ["^[0-9]+$"] = Ref("number_" + n) },
                ["additionalProperties"] = false,
            },
            FieldShape.BondRepayment => new JsonObject
            {
                ["oneOf"] = new JsonArray(
                    new JsonObject { ["const"] = "bullet" },
                    Form("equal_parts", new JsonObject
                    {
                        ["type"] = new JsonArray("object", "null"),
                        ["properties"] = new JsonObject { ["from"] = new JsonObject { ["type"] = "integer" }, ["to"] = new JsonObject { ["type"] = "integer" } },
                        ["additionalProperties"] = false,
                    }, "Equal parts in the calendar years from..to (default: the maturity year).", withBase: false),
                    Form("custom", new JsonObject
                    {
                        ["type"] = "object",
                        ["patternProperties"] = new JsonObject { ["^[0-9]+$"] = Ref("number_fraction") },
                        ["additionalProperties"] = false,
                    }, "Share of principal repaid in each calendar year (summing to 1).", withBase: false)),
            },
            FieldShape.TypeTag => new JsonObject { ["const"] = kind },
            _ => throw new InvalidOperationException($"no schema for {field.Shape}"),
        };
    }

    private static JsonObject Enum(Type type) => new() { ["enum"] = new JsonArray(FormatSpec.EnumNames(type).Select(x => (JsonNode)x).ToArray()) };
}
