using DistrictSim.Scenarios.Yaml;

namespace DistrictSim.Scenarios;

/// <summary>
/// Reads a scenario file and the files it extends, confined to the scenario's own folder tree,
/// and merges them: mappings key by key, lists of named items by name (an item with delete: true
/// removes the base's item), other lists and scalars replaced; a null value removes the base's key.
/// </summary>
internal sealed class Composition(List<Diagnostic> diagnostics)
{
    public const int MaxChain = 16;

    private string _root = "";

    /// <summary>Reads the top file from disk; its folder bounds every extends.</summary>
    public YNode? LoadFile(string path)
    {
        var full = Path.GetFullPath(path);
        var display = path;
        _root = RealPath(Path.GetDirectoryName(full) ?? full);
        var text = ReadText(full, display, null);
        return text is null ? null : Compose(text, display, RealPath(full), []);
    }

    /// <summary>Reads text given in memory as if it were the file at virtualPath.</summary>
    public YNode? LoadText(string text, string virtualPath)
    {
        var full = Path.GetFullPath(virtualPath);
        _root = RealPath(Path.GetDirectoryName(full) ?? full);
        return Compose(text, virtualPath, RealPath(full), []);
    }

    private YNode? Compose(string text, string display, string realPath, List<string> chain)
    {
        var tree = YamlTreeReader.Read(text, display, diagnostics);
        if (tree is not YMap map) return tree;
        var extendsNode = map.Get("extends");
        if (extendsNode is null) return tree;
        map.Remove("extends");
        if (extendsNode is not YScalar { IsNull: false } target || target.Value.Length == 0)
        {
            diagnostics.Add(At(extendsNode, "expected the path of a base scenario, like base.yaml"));
            return tree;
        }
        chain = [.. chain, realPath];
        if (chain.Count > MaxChain)
        {
            diagnostics.Add(At(target, $"extends chains more than {MaxChain} files"));
            return null;
        }
        var basePath = Resolve(target, realPath);
        if (basePath is null) return null;
        if (chain.Contains(basePath, StringComparer.Ordinal))
        {
            var names = chain.Append(basePath).Select(p => Path.GetRelativePath(_root, p));
            diagnostics.Add(At(target, $"cyclic extends: {string.Join(" -> ", names)}"));
            return null;
        }
        var baseDisplay = Path.Combine(Path.GetDirectoryName(display) ?? "", Path.GetRelativePath(Path.GetDirectoryName(realPath)!, basePath));
        var baseText = ReadText(basePath, baseDisplay, target);
        if (baseText is null) return null;
        var baseTree = Compose(baseText, baseDisplay, basePath, chain);
        if (baseTree is null) return null;
        return Merge(baseTree, tree);
    }

    private Diagnostic At(YNode node, string message) => new(node.File, node.Line, node.Column, "extends", message, Severity.Error);

    /// <summary>The real path of an extends target, or null (with an error) when it leaves the folder tree.</summary>
    private string? Resolve(YScalar target, string fromFile)
    {
        var value = target.Value;
        if (Path.IsPathRooted(value) || value.StartsWith('/') || value.StartsWith('\\') || value.StartsWith('~') || (value.Length > 1 && value[1] == ':') || value.Contains('\0', StringComparison.Ordinal))
        {
            diagnostics.Add(At(target, $"'{Numbers.Clip(value)}' is an absolute path; extends takes a path relative to this file, inside the scenario folder"));
            return null;
        }
        var dir = Path.GetDirectoryName(fromFile)!;
        var full = Path.GetFullPath(Path.Combine(dir, value.Replace('\\', '/')));
        if (!IsInside(full, _root))
        {
            diagnostics.Add(At(target, $"'{Numbers.Clip(value)}' leaves the scenario folder ({_root}); extends resolves only inside it"));
            return null;
        }
        if (!File.Exists(full))
        {
            diagnostics.Add(At(target, $"no file '{Numbers.Clip(value)}' next to this scenario"));
            return null;
        }
        var real = RealPath(full);
        if (!IsInside(real, _root))
        {
            diagnostics.Add(At(target, $"'{Numbers.Clip(value)}' is a link to a file outside the scenario folder"));
            return null;
        }
        return real;
    }

    private static bool IsInside(string path, string root) =>
        path.StartsWith(root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>The path with every symbolic link along it resolved.</summary>
    internal static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full) ?? "/";
        var current = root;
        var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            var target = info.Exists ? info.ResolveLinkTarget(returnFinalTarget: true) : null;
            current = target != null ? Path.GetFullPath(target.FullName) : next;
        }
        return current;
    }

    private string? ReadText(string full, string display, YNode? requestedBy)
    {
        try
        {
            var info = new FileInfo(full);
            if (!info.Exists)
            {
                diagnostics.Add(requestedBy is null ? new Diagnostic(display, 1, 1, "", "no such file", Severity.Error) : At(requestedBy, "no such file"));
                return null;
            }
            if (info.Length > YamlTreeReader.MaxFileBytes)
            {
                diagnostics.Add(new Diagnostic(display, 1, 1, "", $"the file is {info.Length / (1024 * 1024)} MB, larger than the limit of {YamlTreeReader.MaxFileBytes / (1024 * 1024)} MB", Severity.Error));
                return null;
            }
            return File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(new Diagnostic(display, 1, 1, "", "cannot read the file: " + e.Message, Severity.Error));
            return null;
        }
    }

    /// <summary>The override merged over the base (both trees are left intact where not returned).</summary>
    internal YNode Merge(YNode baseNode, YNode over)
    {
        if (baseNode is YMap bm && over is YMap om)
        {
            var result = (YMap)bm.DeepClone();
            foreach (var (key, value) in om.Entries)
            {
                if (value is YScalar { IsNull: true }) { result.Remove(key.Value); continue; }
                var existing = result.Get(key.Value);
                result.Set(key, existing is null ? value : Merge(existing, value));
            }
            return result;
        }
        if (baseNode is YSeq bs && over is YSeq os && IsNamedList(bs) && IsNamedList(os))
        {
            var result = (YSeq)bs.DeepClone();
            foreach (var item in os.Items.Cast<YMap>())
            {
                var name = NameOf(item)!;
                var i = result.Items.FindIndex(x => NameOf((YMap)x) == name);
                var delete = item.Get("delete") is YScalar { Value: "true" };
                if (delete)
                {
                    if (i >= 0) result.Items.RemoveAt(i);
                    else result.Items.Add(item); // the mapper reports a delete that matched nothing
                    continue;
                }
                if (i >= 0) result.Items[i] = Merge(result.Items[i], item);
                else result.Items.Add(item);
            }
            return result;
        }
        return over;
    }

    private static bool IsNamedList(YSeq seq) => seq.Items.All(i => i is YMap m && NameOf(m) != null);

    private static string? NameOf(YMap map) => map.Get("name") is YScalar { IsNull: false } s ? s.Value : null;
}
