using DistrictSim.Model;
using DistrictSim.Scenarios.Yaml;

namespace DistrictSim.Scenarios;

/// <summary>
/// Loads scenario files (YAML, one district per file) into the immutable model, reporting every
/// problem at once with its location. Never throws for any input: an unexpected failure becomes a
/// located error too.
/// </summary>
public static class ScenarioLoader
{
    /// <summary>Loads the scenario at path (and what it extends), applying overrides before mapping.</summary>
    public static LoadResult Load(string path, IReadOnlyList<FieldOverride>? overrides = null)
    {
        var diagnostics = new List<Diagnostic>();
        try
        {
            var tree = new Composition(diagnostics).LoadFile(path);
            return Finish(tree, path, overrides, diagnostics);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            diagnostics.Add(new Diagnostic(path, 1, 1, "", $"the loader failed unexpectedly ({e.GetType().Name}: {e.Message}); please report this file", Severity.Error));
            return new LoadResult(null, diagnostics);
        }
    }

    /// <summary>Loads YAML text as if it were the file at virtualPath (extends resolve beside it).</summary>
    public static LoadResult LoadText(string yaml, string virtualPath) => LoadText(yaml, virtualPath, null);

    public static LoadResult LoadText(string yaml, string virtualPath, IReadOnlyList<FieldOverride>? overrides)
    {
        var diagnostics = new List<Diagnostic>();
        try
        {
            var tree = new Composition(diagnostics).LoadText(yaml, virtualPath);
            return Finish(tree, virtualPath, overrides, diagnostics);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            diagnostics.Add(new Diagnostic(virtualPath, 1, 1, "", $"the loader failed unexpectedly ({e.GetType().Name}: {e.Message}); please report this file", Severity.Error));
            return new LoadResult(null, diagnostics);
        }
    }

    private static LoadResult Finish(YNode? tree, string file, IReadOnlyList<FieldOverride>? overrides, List<Diagnostic> diagnostics)
    {
        if (tree is null || diagnostics.Any(d => d.IsError)) return new LoadResult(null, Sorted(diagnostics));
        if (tree is not YMap)
        {
            diagnostics.Add(new Diagnostic(tree.File, tree.Line, tree.Column, "", $"a scenario is a mapping of keys (name, timeline, capex, ...), found {MapContext.Describe(tree)}", Severity.Error));
            return new LoadResult(null, diagnostics);
        }
        foreach (var o in overrides ?? [])
        {
            tree = Overrides.Apply(tree, o, file, diagnostics);
        }
        var ctx = new MapContext();
        var district = new DistrictMapper(ctx).Map(tree);
        diagnostics.AddRange(ctx.Diagnostics);
        var errors = diagnostics.Any(d => d.IsError);
        return new LoadResult(errors ? null : district, Sorted(diagnostics));
    }

    private static List<Diagnostic> Sorted(List<Diagnostic> diagnostics) =>
        diagnostics.Distinct().OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ThenBy(d => d.Column).ToList();
}

/// <summary>Applies a <see cref="FieldOverride"/> to a tree: the path walks mappings by key and lists by name or index.</summary>
internal static class Overrides
{
    public static YNode Apply(YNode tree, FieldOverride o, string file, List<Diagnostic> diagnostics)
    {
        var segments = o.Path.Split('.');
        if (o.Path.Length == 0 || segments.Any(s => s.Length == 0))
        {
            diagnostics.Add(new Diagnostic(file, 1, 1, o.Path, $"override path '{o.Path}' is empty or has an empty segment", Severity.Error));
            return tree;
        }
        var valueDiagnostics = new List<Diagnostic>();
        var value = YamlTreeReader.Read(o.Value, $"--set {o.Path}", valueDiagnostics);
        if (value is null || valueDiagnostics.Any(d => d.IsError))
        {
            // An empty value or bad YAML: report against the override itself.
            diagnostics.AddRange(valueDiagnostics.Select(d => d with { FieldPath = o.Path, Message = "override value: " + d.Message }));
            return tree;
        }
        YNode current = tree;
        var walked = new List<string>();
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var last = i == segments.Length - 1;
            switch (current)
            {
                case YMap map:
                {
                    var child = map.Get(segment);
                    if (last)
                    {
                        var key = map.Entries.FirstOrDefault(e => e.Key.Value == segment).Key ?? new YScalar(map.File, map.Line, map.Column, segment, false);
                        var at = child ?? map;
                        map.Set(key, Relocate(value, at));
                        return tree;
                    }
                    if (child is null)
                    {
                        var known = map.Entries.Select(e => e.Key.Value).ToArray();
                        diagnostics.Add(new Diagnostic(map.File, map.Line, map.Column, o.Path, $"override path: no key '{segment}' under '{Joined(walked)}'{DidYouMean.Suggest(segment, known)}", Severity.Error));
                        return tree;
                    }
                    current = child;
                    break;
                }
                case YSeq seq:
                {
                    var index = seq.Items.FindIndex(x => x is YMap m && m.Get("name") is YScalar s && s.Value == segment);
                    if (index < 0 && int.TryParse(segment, out var n) && n >= 0 && n < seq.Items.Count) index = n;
                    if (index < 0)
                    {
                        var names = seq.Items.OfType<YMap>().Select(m => m.Get("name")).OfType<YScalar>().Select(s => s.Value).ToArray();
                        diagnostics.Add(new Diagnostic(seq.File, seq.Line, seq.Column, o.Path, $"override path: no item named '{segment}' in '{Joined(walked)}'{DidYouMean.Suggest(segment, names)}", Severity.Error));
                        return tree;
                    }
                    if (last)
                    {
                        seq.Items[index] = Relocate(value, seq.Items[index]);
                        return tree;
                    }
                    current = seq.Items[index];
                    break;
                }
                default:
                    diagnostics.Add(new Diagnostic(current.File, current.Line, current.Column, o.Path, $"override path: '{Joined(walked)}' is a value, not a mapping or list", Severity.Error));
                    return tree;
            }
            walked.Add(segment);
        }
        return tree;
    }

    private static string Joined(List<string> walked) => walked.Count == 0 ? "(top level)" : string.Join('.', walked);

    /// <summary>The override's value placed where the value it replaces stood, so its errors point into the file.</summary>
    private static YNode Relocate(YNode value, YNode at) => value switch
    {
        YScalar s => new YScalar(at.File, at.Line, at.Column, s.Value, s.Quoted),
        YMap m => RelocateMap(m, at),
        YSeq q => RelocateSeq(q, at),
        _ => value,
    };

    private static YMap RelocateMap(YMap m, YNode at)
    {
        var copy = new YMap(at.File, at.Line, at.Column);
        foreach (var (k, v) in m.Entries) copy.Entries.Add(new((YScalar)Relocate(k, at), Relocate(v, at)));
        return copy;
    }

    private static YSeq RelocateSeq(YSeq q, YNode at)
    {
        var copy = new YSeq(at.File, at.Line, at.Column);
        foreach (var v in q.Items) copy.Items.Add(Relocate(v, at));
        return copy;
    }
}
