using DistrictSim.Model;
using DistrictSim.Sampling;
using DistrictSim.Scenarios.Yaml;

namespace DistrictSim.Scenarios;

/// <summary>Rules over the whole mapped district that use the input catalogue.</summary>
internal sealed class DistrictRules(MapContext ctx)
{
    public void Check(District district, Obj root)
    {
        var catalog = InputCatalog.Enumerate(district);
        foreach (var entry in catalog)
        {
            if (entry.Input.IsProcess && !entry.AllowsProcess && ctx.InputSites.TryGetValue(entry.Key, out var site))
            {
                ctx.Error(site.Node, site.Path, $"{entry.Key} is drawn once per path and takes no yearly process; processes are for yearly fields (growth, inflation, base_rate, spread, relet_growth)");
            }
        }
        CheckCorrelations(district, root, catalog);
    }

    private void CheckCorrelations(District district, Obj root, IReadOnlyList<CatalogEntry> catalog)
    {
        if (root.Get("correlations") is not YSeq seq) return;
        var byKey = catalog.GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.First());
        var uncertain = catalog.Where(e => e.Input.IsUncertain && !e.Input.IsProcess).Select(e => e.Key).ToArray();
        var claimed = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < district.Correlations.Count && i < seq.Items.Count; i++)
        {
            var correlation = district.Correlations[i];
            var path = $"correlations[{i}]";
            var node = seq.Items[i] as YMap;
            var inputsNode = node?.Get("inputs") as YSeq;
            var ok = true;
            for (var j = 0; j < correlation.Inputs.Count; j++)
            {
                var key = correlation.Inputs[j];
                YNode at = inputsNode != null && j < inputsNode.Items.Count ? inputsNode.Items[j] : seq.Items[i];
                var p = $"{path}.inputs[{j}]";
                if (ctx.FailedInputs.Contains(key))
                {
                    ok = false; // its own error is reported where it is defined
                    continue;
                }
                if (!byKey.TryGetValue(key, out var entry))
                {
                    ctx.Error(at, p, $"'{Numbers.Clip(key)}' is not an input of this district{DidYouMean.Suggest(key, uncertain)}");
                    ok = false;
                }
                else if (entry.Input.IsProcess)
                {
                    ctx.Error(at, p, $"'{key}' is a yearly process; correlations join inputs drawn once per path");
                    ok = false;
                }
                else if (!entry.Input.IsUncertain)
                {
                    ctx.Error(at, p, $"'{key}' is a fixed number, not an uncertain input; give it a distribution or drop it from the correlation");
                    ok = false;
                }
                if (correlation.Inputs.Take(j).Contains(key))
                {
                    ctx.Error(at, p, $"'{key}' is listed twice");
                    ok = false;
                }
                else if (claimed.TryGetValue(key, out var other) && other != i)
                {
                    ctx.Error(at, p, $"'{key}' is already in correlations[{other}]; an input can be in one correlation only");
                    ok = false;
                }
                else claimed[key] = i;
            }
            if (!ok || correlation.Inputs.Count == 0) continue;
            var matrixNode = (YNode?)node?.Get("matrix") ?? seq.Items[i];
            var problems = CorrelationMatrix.Check(correlation.Inputs, correlation.Matrix);
            var sizeProblem = correlation.Matrix.Count != correlation.Inputs.Count * correlation.Inputs.Count;
            foreach (var problem in problems)
            {
                if (correlation.Repair && !sizeProblem) ctx.Warning(matrixNode, path + ".matrix", problem + "; repaired to the nearest valid correlation matrix (repair: true)");
                else ctx.Error(matrixNode, path + ".matrix", problem);
            }
        }
    }
}
