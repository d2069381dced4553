using System.Text.Json;

namespace DistrictSim.Scenarios.Tests;

public class SchemaAndTemplateTests
{
    private static string SchemaPath => Path.Combine(TestPaths.Root, "schema", "districtsim.schema.json");

    /// <summary>Set DISTRICTSIM_UPDATE_SCHEMA=1 to rewrite the committed schema after a model change.</summary>
    [Fact]
    public void Committed_schema_equals_the_generated_one()
    {
        var generated = ScenarioSchema.Generate();
        if (Environment.GetEnvironmentVariable("DISTRICTSIM_UPDATE_SCHEMA") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(SchemaPath)!);
            File.WriteAllText(SchemaPath, generated);
        }
        Assert.True(File.Exists(SchemaPath), "schema/districtsim.schema.json is missing; run the tests with DISTRICTSIM_UPDATE_SCHEMA=1");
        Assert.True(generated == File.ReadAllText(SchemaPath).Replace("\r\n", "\n", StringComparison.Ordinal),
            "schema/districtsim.schema.json is out of date; run the tests with DISTRICTSIM_UPDATE_SCHEMA=1 and commit it");
    }

    [Fact]
    public void Schema_covers_every_key_enum_and_distribution_form()
    {
        using var doc = JsonDocument.Parse(ScenarioSchema.Generate());
        var root = doc.RootElement;
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", root.GetProperty("$schema").GetString());
        var defs = root.GetProperty("$defs");
        foreach (var key in new[] { "name", "timeline", "capex", "funding", "revenues", "costs", "taxes", "waterfall", "correlations", "analysis", "sources", "extends" })
        {
            Assert.True(root.GetProperty("properties").TryGetProperty(key, out _), key);
        }
        var bond = defs.GetProperty("special_bond").GetProperty("properties");
        foreach (var key in new[] { "name", "type", "share", "yuan", "eligible", "cap_yuan", "issue_year", "coupon", "coupon_frequency", "tenor_years", "repayment", "seniority" })
        {
            Assert.True(bond.TryGetProperty(key, out var p), key);
            Assert.False(string.IsNullOrEmpty(p.GetProperty("description").GetString()), key);
        }
        Assert.Contains("semi_annual", bond.GetProperty("coupon_frequency").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("lhs", defs.GetProperty("analysis").GetProperty("properties").GetProperty("sampling").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        var forms = defs.GetProperty("distribution").GetProperty("oneOf").EnumerateArray().SelectMany(f => f.GetProperty("required").EnumerateArray()).Select(e => e.GetString()!).ToArray();
        Assert.Equal(["fixed", "uniform", "triangular", "pert", "normal", "truncated_normal", "lognormal", "beta", "discrete", "yearly_event"], forms);
        Assert.Contains("yuan", defs.GetProperty("capex_component").GetProperty("properties").GetProperty("amount_yuan").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("#/$defs/yearly_input_fraction", defs.GetProperty("parking").GetProperty("properties").GetProperty("growth").GetProperty("$ref").GetString());
    }

    [Fact]
    public void Starter_template_validates_with_the_given_name()
    {
        var result = ScenarioLoader.LoadText(ScenarioTemplates.Starter("My \"district\" 片区"), Path.Combine(TestPaths.Root, "scenarios", "new.yaml"));
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.Empty(result.Diagnostics);
        Assert.Equal("My \"district\" 片区", result.District!.Metadata.Name);
    }
}
