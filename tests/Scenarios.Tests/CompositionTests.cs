using DistrictSim.Model;

namespace DistrictSim.Scenarios.Tests;

public class CompositionTests
{
    private static string Fixtures => Path.Combine(TestPaths.Root, "tests", "Scenarios.Tests", "Fixtures", "variants");

    [Fact]
    public void A_variant_merges_named_items_by_name_deletes_and_appends()
    {
        // The variant lives in variants/high/ and extends ../base.yaml: the folder tree is that of the top file,
        // so load it from a scenario in variants/ that extends high/high-fee.yaml.
        var top = Path.Combine(Fixtures, "top.yaml");
        var result = ScenarioLoader.LoadText("extends: high/high-fee.yaml\n", top);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        var d = result.District!;
        Assert.Equal("High fee", d.Metadata.Name);
        Assert.Equal(["parking", "ev"], d.Revenues.Select(r => r.Name));
        var parking = Assert.IsType<Parking>(d.Revenues[0]);
        Assert.Equal(300.0, parking.FeeYuanPerSpacePerMonth!.BaseValue); // overridden
        Assert.Equal(new Beta(8, 3), parking.Occupancy.Distribution);      // kept from the base
        Assert.Equal(0.02, parking.Growth.BaseValue);
        Assert.Equal(5000, d.Analysis.Paths);
        Assert.Equal(0.05, d.Analysis.DiscountRate);
    }

    [Fact]
    public void A_variant_cannot_reach_above_the_top_files_folder()
    {
        var result = ScenarioLoader.Load(Path.Combine(Fixtures, "high", "high-fee.yaml"));
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal((1, 10, "extends"), (d.Line, d.Column, d.FieldPath));
        Assert.Contains("leaves the scenario folder", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_value_removes_the_base_key()
    {
        var result = ScenarioLoader.LoadText("extends: base.yaml\nrevenues:\n  - {name: parking, growth: ~}\n", Path.Combine(Fixtures, "v.yaml"));
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.Equal(0.0, result.District!.Revenues[0].Growth.BaseValue);
    }

    [Fact]
    public void Errors_in_the_base_point_into_the_base_file()
    {
        var result = ScenarioLoader.LoadText("extends: base.yaml\nanalysis: {discount_rate: abc}\n", Path.Combine(Fixtures, "v.yaml"));
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal((2, 27, "analysis.discount_rate"), (d.Line, d.Column, d.FieldPath));
        Assert.EndsWith("v.yaml", d.File, StringComparison.Ordinal);
    }

    [Fact]
    public void Overrides_set_fields_by_path_with_named_items()
    {
        var result = ScenarioLoader.Load(TestPaths.Reference,
        [
            new FieldOverride("funding.special_bond.share", "35%"),
            new FieldOverride("revenues.parking.fee_yuan_per_space_per_month", "300"),
            new FieldOverride("analysis.discount_rate", "0.06"),
            new FieldOverride("revenues.parking.occupancy", "{beta: [9, 3]}"),
            new FieldOverride("capex.components.building.amount_yuan", "8000万"),
        ]);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        var d = result.District!;
        Assert.Equal(0.35, d.Funding.Single(f => f.Name == "special_bond").Amount.Share!.BaseValue);
        var parking = (Parking)d.Revenues.Single(r => r.Name == "parking");
        Assert.Equal(300.0, parking.FeeYuanPerSpacePerMonth!.BaseValue);
        Assert.Equal(new Beta(9, 3), parking.Occupancy.Distribution);
        Assert.Equal(0.06, d.Analysis.DiscountRate);
        Assert.Equal(80_000_000.0, d.Capex.Components[0].AmountYuan.BaseValue);
    }

    [Theory]
    [InlineData("funding.special_bnd.share", "no item named 'special_bnd' in 'funding' (did you mean 'special_bond'?)")]
    [InlineData("analysys.discount_rate", "no key 'analysys' under '(top level)' (did you mean 'analysis'?)")]
    [InlineData("analysis.discount_rat", "unknown key 'discount_rat' for an analysis (did you mean 'discount_rate'?)")]
    public void An_unknown_override_path_is_a_located_error(string path, string message)
    {
        var result = ScenarioLoader.Load(TestPaths.Reference, [new FieldOverride(path, "1")]);
        Assert.False(result.Success);
        var d = Assert.Single(result.Diagnostics, x => x.IsError);
        Assert.Contains(message, d.Message, StringComparison.Ordinal);
        Assert.True(d.Line > 1);
    }

    [Fact]
    public void An_override_value_out_of_range_points_at_the_replaced_value()
    {
        var result = ScenarioLoader.Load(TestPaths.Reference, [new FieldOverride("analysis.paths", "-5")]);
        var d = Assert.Single(result.Diagnostics, x => x.IsError);
        Assert.Equal(("analysis.paths", 55, 10), (d.FieldPath, d.Line, d.Column));
    }
}
