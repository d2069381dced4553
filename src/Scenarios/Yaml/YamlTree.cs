using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace DistrictSim.Scenarios.Yaml;

/// <summary>A node of a parsed scenario file, with the place it came from.</summary>
internal abstract class YNode
{
    protected YNode(string file, int line, int column)
    {
        File = file;
        Line = line;
        Column = column;
    }

    public string File { get; }
    public int Line { get; }
    public int Column { get; }

    public abstract YNode DeepClone();
}

internal sealed class YScalar : YNode
{
    public YScalar(string file, int line, int column, string value, bool quoted) : base(file, line, column)
    {
        Value = value;
        Quoted = quoted;
    }

    public string Value { get; }
    /// <summary>True for quoted and block scalars: never null, always text.</summary>
    public bool Quoted { get; }

    public bool IsNull => !Quoted && (Value.Length == 0 || Value == "~" || Value == "null" || Value == "Null" || Value == "NULL");

    public override YNode DeepClone() => this;
}

internal sealed class YMap : YNode
{
    public YMap(string file, int line, int column) : base(file, line, column) { }

    public List<KeyValuePair<YScalar, YNode>> Entries { get; } = [];

    public YNode? Get(string key) => Entries.FirstOrDefault(e => e.Key.Value == key).Value;

    public int IndexOf(string key) => Entries.FindIndex(e => e.Key.Value == key);

    public void Set(YScalar key, YNode value)
    {
        var i = IndexOf(key.Value);
        if (i >= 0) Entries[i] = new(Entries[i].Key, value);
        else Entries.Add(new(key, value));
    }

    public void Remove(string key)
    {
        var i = IndexOf(key);
        if (i >= 0) Entries.RemoveAt(i);
    }

    public override YNode DeepClone()
    {
        var copy = new YMap(File, Line, Column);
        foreach (var e in Entries) copy.Entries.Add(new(e.Key, e.Value.DeepClone()));
        return copy;
    }
}

internal sealed class YSeq : YNode
{
    public YSeq(string file, int line, int column) : base(file, line, column) { }

    public List<YNode> Items { get; } = [];

    public override YNode DeepClone()
    {
        var copy = new YSeq(File, Line, Column);
        foreach (var item in Items) copy.Items.Add(item.DeepClone());
        return copy;
    }
}

/// <summary>
/// Reads YAML text into a <see cref="YNode"/> tree from YamlDotNet's low-level parser events, with limits
/// that make hostile input harmless: nesting depth, node count, scalar length, one document, no aliases,
/// no custom tags, no complex or duplicate keys. Never throws: problems become diagnostics.
/// </summary>
internal static class YamlTreeReader
{
    public const int MaxDepth = 64;

    /// <summary>The core schema's tags; any other tag (!!python/object, !custom) is rejected.</summary>
    private static readonly HashSet<string> StandardTags = new[] { "str", "int", "float", "bool", "null", "map", "seq" }.Select(t => "tag:yaml.org,2002:" + t).ToHashSet(StringComparer.Ordinal);
    public const int MaxNodes = 1_000_000;
    public const int MaxScalarLength = 65_536;
    public const long MaxFileBytes = 10 * 1024 * 1024;

    public static YNode? Read(string text, string file, List<Diagnostic> diagnostics)
    {
        if (text.Length > MaxFileBytes)
        {
            diagnostics.Add(new Diagnostic(file, 1, 1, "", $"the file is larger than the limit of {MaxFileBytes / (1024 * 1024)} MB", Severity.Error));
            return null;
        }
        var builder = new Builder(file, diagnostics);
        Mark last = Mark.Empty;
        try
        {
            var parser = new Parser(new StringReader(text));
            while (parser.MoveNext())
            {
                var evt = parser.Current!;
                last = evt.Start;
                if (!builder.Accept(evt)) return null;
            }
        }
        catch (YamlException e)
        {
            diagnostics.Add(new Diagnostic(file, ToInt(e.Start.Line), ToInt(e.Start.Column), "", "YAML syntax error: " + CleanMessage(e), Severity.Error));
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or OverflowException or IndexOutOfRangeException)
        {
            diagnostics.Add(new Diagnostic(file, Math.Max(1, ToInt(last.Line)), Math.Max(1, ToInt(last.Column)), "", "YAML syntax error: the structure breaks off here (an unclosed '{', '[' or quote?)", Severity.Error));
            return null;
        }
        if (builder.Root is null)
        {
            diagnostics.Add(new Diagnostic(file, 1, 1, "", "the file is empty: a scenario needs at least a name, a timeline and capex", Severity.Error));
        }
        return builder.Root;
    }

    internal static int ToInt(long value) => value > int.MaxValue ? int.MaxValue : value < 0 ? 0 : (int)value;

    private static string CleanMessage(YamlException e)
    {
        var message = e.Message;
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line: 3, Col: 6, Idx: 21): ".
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith("(Line:", StringComparison.Ordinal) && cut > 0) message = message[(cut + 3)..];
        return message;
    }

    private sealed class Builder(string file, List<Diagnostic> diagnostics)
    {
        private readonly Stack<YNode> _stack = new();
        private readonly Stack<YScalar?> _pendingKeys = new();
        private int _nodes;
        private int _documents;

        public YNode? Root { get; private set; }

        private bool Fail(Mark at, string message)
        {
            diagnostics.Add(new Diagnostic(file, Math.Max(1, ToInt(at.Line)), Math.Max(1, ToInt(at.Column)), "", message, Severity.Error));
            return false;
        }

        public bool Accept(ParsingEvent evt)
        {
            switch (evt)
            {
                case DocumentStart ds when !ds.IsImplicit || _documents > 0:
                    _documents++;
                    if (_documents > 1) return Fail(evt.Start, "a scenario file holds one document (one district); found a second '---'");
                    return true;
                case DocumentStart:
                    _documents++;
                    return true;
                case AnchorAlias alias:
                    return Fail(evt.Start, $"aliases (*{alias.Value}) are not allowed in scenario files: write the value out, or use extends");
                case NodeEvent node when !node.Tag.IsEmpty && !node.Tag.IsNonSpecific && !StandardTags.Contains(node.Tag.Value):
                    return Fail(evt.Start, $"the tag '{node.Tag.Value}' is not allowed in scenario files");
                case Scalar scalar:
                    if (scalar.Value.Length > MaxScalarLength) return Fail(evt.Start, $"a value is {scalar.Value.Length} characters long; the limit is {MaxScalarLength}");
                    return Add(new YScalar(file, Line(evt), Column(evt), scalar.Value, scalar.Style is not ScalarStyle.Plain and not ScalarStyle.Any), evt);
                case MappingStart:
                    if (_stack.Count >= MaxDepth) return Fail(evt.Start, $"the file nests deeper than {MaxDepth} levels");
                    return Push(new YMap(file, Line(evt), Column(evt)), evt);
                case SequenceStart:
                    if (_stack.Count >= MaxDepth) return Fail(evt.Start, $"the file nests deeper than {MaxDepth} levels");
                    return Push(new YSeq(file, Line(evt), Column(evt)), evt);
                case MappingEnd:
                case SequenceEnd:
                    var done = _stack.Pop();
                    _pendingKeys.Pop();
                    return Attach(done, evt);
                default:
                    return true;
            }
        }

        private static int Line(ParsingEvent evt) => Math.Max(1, ToInt(evt.Start.Line));

        private static int Column(ParsingEvent evt) => Math.Max(1, ToInt(evt.Start.Column));

        private bool Count(ParsingEvent evt) => ++_nodes <= MaxNodes || Fail(evt.Start, $"the file has more than {MaxNodes} values");

        private bool Push(YNode node, ParsingEvent evt)
        {
            if (!Count(evt)) return false;
            if (_stack.Count > 0 && _stack.Peek() is YMap && _pendingKeys.Peek() is null)
            {
                return Fail(evt.Start, "a mapping or list used as a key: keys must be plain names");
            }
            _stack.Push(node);
            _pendingKeys.Push(null);
            return true;
        }

        private bool Add(YNode node, ParsingEvent evt) => Count(evt) && Attach(node, evt);

        private bool Attach(YNode node, ParsingEvent evt)
        {
            if (_stack.Count == 0)
            {
                Root = node;
                return true;
            }
            switch (_stack.Peek())
            {
                case YSeq seq:
                    seq.Items.Add(node);
                    return true;
                case YMap map:
                    var key = _pendingKeys.Pop();
                    if (key is null)
                    {
                        _pendingKeys.Push((YScalar)node);
                        return true;
                    }
                    _pendingKeys.Push(null);
                    if (map.IndexOf(key.Value) >= 0)
                    {
                        diagnostics.Add(new Diagnostic(file, key.Line, key.Column, "", $"duplicate key '{key.Value}'", Severity.Error));
                        return true;
                    }
                    map.Entries.Add(new(key, node));
                    return true;
                default:
                    return Fail(evt.Start, "unexpected YAML structure");
            }
        }
    }
}
