using System.Diagnostics.CodeAnalysis;

namespace DistrictSim.Statistics;

/// <summary>
/// Collects what the summary needs from the paths one worker evaluates: every path's metric vector,
/// kept in blocks tagged by their path range, and per-year band sketches with integer counts.
/// One per worker; not thread-safe. Accumulators of disjoint path sets merge; a summary built from
/// merged accumulators is bit-identical to one built from a single accumulator of the same paths,
/// whatever the block sizes, shard boundaries and merge order, because statistics are computed at
/// summary time over values in path order and the sketches hold integer counts.
/// <para>
/// Recording: <see cref="BeginBlock"/>, then for each path of the block <see cref="RecordBands"/> (any number of
/// series) and, in path order, <see cref="RecordMetrics"/>, then <see cref="EndBlock"/>. Band values are counted
/// whatever their order, so a caller may record a batch's bands before its metrics. Nothing is allocated per path
/// (a block's storage is allocated once; band values are counted in dense per-sketch counts allocated at the first
/// row, a batch of rows of a series at a time, and folded into the sketches when they are read or merged).
/// </para>
/// Memory: 8 bytes a path a metric (the block storage), plus the sketches and, once bands are recorded, their
/// dense counts (about 92 KB a sketch), which do not grow with paths.
/// </summary>
public sealed class RunAccumulator
{
    /// <summary>Values between the columns of an open block (see <see cref="BeginBlock"/>).</summary>
    private const int ColumnPadding = 8;

    private readonly List<MetricBlock> _blocks = []; // ended blocks, sorted by FirstPath, disjoint
    private readonly LogBucketSketch[] _bands; // [series * Years + year]
    private readonly BandCounter _bandCounts; // what RecordBands counted since the last fold into _bands
    private double[]? _open;
    private int _openStride;
    private long _openFirst;
    private int _openCount;
    private int _openRecorded;

    public RunAccumulator(AccumulatorLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        Layout = layout;
        _bands = new LogBucketSketch[layout.BandSeries.Count * layout.Years];
        _bandCounts = new BandCounter(layout.BandSeries.Count, layout.Years);
        for (var i = 0; i < _bands.Length; i++)
        {
            _bands[i] = new LogBucketSketch();
        }
    }

    public AccumulatorLayout Layout { get; }

    /// <summary>Paths in ended blocks (an open block does not count until <see cref="EndBlock"/>).</summary>
    public long PathCount { get; private set; }

    /// <summary>The ended blocks in path order, disjoint; for serialisation and inspection.</summary>
    public IReadOnlyList<MetricBlock> Blocks => _blocks;

    /// <summary>True between <see cref="BeginBlock"/> and <see cref="EndBlock"/>.</summary>
    public bool IsBlockOpen => _open is not null;

    /// <summary>The next path <see cref="RecordMetrics"/> expects in the open block.</summary>
    public long NextPath => _openFirst + _openRecorded;

    /// <summary>The sketch of band series <paramref name="series"/> (index in the layout) in year index <paramref name="year"/>.</summary>
    public LogBucketSketch BandSketch(int series, int year)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(series);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(series, Layout.BandSeries.Count);
        ArgumentOutOfRangeException.ThrowIfNegative(year);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(year, Layout.Years);
        _bandCounts.FoldInto(_bands);
        return _bands[(series * Layout.Years) + year];
    }

    /// <summary>Opens a block for paths [firstPath, firstPath + count); the range must not overlap a recorded block.</summary>
    public void BeginBlock(long firstPath, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstPath);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (_open is not null)
        {
            throw new InvalidOperationException($"Block [{_openFirst}, {_openFirst + _openCount}) is still open; call EndBlock before beginning block [{firstPath}, {firstPath + count}).");
        }

        var position = InsertionPoint(firstPath);
        CheckDisjoint(position, firstPath, firstPath + count);
        // Column-major with a little padding between columns while recording, so that a path's metrics do not all
        // fall in one cache set; EndBlock closes the gaps.
        _openStride = count + ColumnPadding;
        // Uninitialised: every value a caller can read is written first (RecordMetrics fills a path's whole column entry;
        // EndBlock keeps only recorded paths), and the runtime need not clear 400 KB a block before the worker writes it.
        _open = GC.AllocateUninitializedArray<double>(checked((int)Math.Max(0, ((long)_openStride * Layout.MetricCount) - ColumnPadding)));
        _openFirst = firstPath;
        _openCount = count;
        _openRecorded = 0;
    }

    /// <summary>
    /// Records the band values of a path of the open block (recorded with <see cref="RecordMetrics"/> before or after):
    /// one value per year of series <paramref name="series"/> (NaN = undefined that year).
    /// </summary>
    public void RecordBands(int series, ReadOnlySpan<double> valueByYear)
    {
        RequireOpenBlock();
        if ((uint)series >= (uint)Layout.BandSeries.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(series), series, $"The layout has {Layout.BandSeries.Count} band series.");
        }

        if (valueByYear.Length != Layout.Years)
        {
            throw new ArgumentException($"Band series '{Layout.BandSeries[series]}' needs {Layout.Years} yearly values; found {valueByYear.Length}.", nameof(valueByYear));
        }

        if (_bandCounts.SinceFold > int.MaxValue - valueByYear.Length)
        {
            _bandCounts.FoldInto(_bands); // before a 32-bit count could overflow
        }

        _bandCounts.AddRow(series, valueByYear);
    }

    /// <summary>Records the metric vector of <paramref name="path"/>, which must be <see cref="NextPath"/> (paths of a block are recorded in order).</summary>
    public void RecordMetrics(long path, ReadOnlySpan<double> metrics)
    {
        RequireOpenBlock();
        if (_openRecorded == _openCount || path != _openFirst + _openRecorded)
        {
            throw new ArgumentException(
                _openRecorded == _openCount
                    ? $"Block [{_openFirst}, {_openFirst + _openCount}) is full; path {path} cannot be recorded in it."
                    : $"Paths of a block are recorded in order: expected path {_openFirst + _openRecorded}, found {path}.",
                nameof(path));
        }

        var metricCount = Layout.MetricCount;
        if (metrics.Length != metricCount)
        {
            throw new ArgumentException($"The layout records {metricCount} metrics; found {metrics.Length} values for path {path}.", nameof(metrics));
        }

        var column = _open.AsSpan(_openRecorded);
        for (var m = 0; m < metrics.Length; m++)
        {
            column[m * _openStride] = metrics[m];
        }

        _openRecorded++;
    }

    /// <summary>
    /// Ends the open block. When fewer paths than announced were recorded (a cancelled run), the block
    /// keeps only the recorded paths, which then start a gap in the path range.
    /// </summary>
    public void EndBlock()
    {
        RequireOpenBlock();
        if (_openRecorded > 0)
        {
            // Columns of exactly the recorded paths, in place: each column moves down (or stays).
            for (var m = 1; m < Layout.MetricCount; m++)
            {
                _open.AsSpan(m * _openStride, _openRecorded).CopyTo(_open.AsSpan(m * _openRecorded));
            }

            var block = MetricBlock.Wrap(_openFirst, _openRecorded, Layout.MetricCount, _open);
            _blocks.Insert(InsertionPoint(_openFirst), block);
            PathCount += _openRecorded;
        }

        _open = null;
        _openRecorded = 0;
        _openCount = 0;
    }

    /// <summary>Adds a block restored from serialised data (no band values: restore those through <see cref="BandSketch"/>).</summary>
    public void AddBlock(MetricBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (block.MetricCount != Layout.MetricCount)
        {
            throw new ArgumentException($"Block {block} has {block.MetricCount} metrics; the layout records {Layout.MetricCount}.", nameof(block));
        }

        RequireNoOpenBlock("add a block");
        var position = InsertionPoint(block.FirstPath);
        CheckDisjoint(position, block.FirstPath, block.EndPath);
        _blocks.Insert(position, block);
        PathCount += block.Count;
    }

    /// <summary>
    /// Adds the paths and band counts of <paramref name="other"/> to this accumulator. The path sets must be
    /// disjoint and the layouts equal; <paramref name="other"/> is left unchanged (its ended blocks are shared, not copied).
    /// </summary>
    public void Merge(RunAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, this))
        {
            throw new ArgumentException("An accumulator cannot be merged into itself.", nameof(other));
        }

        if (!Layout.Equals(other.Layout))
        {
            throw new ArgumentException($"Accumulators with different layouts cannot merge: {Layout} vs {other.Layout}.", nameof(other));
        }

        RequireNoOpenBlock("merge");
        other.RequireNoOpenBlock("be merged");

        // Merge two sorted lists, checking every neighbouring pair before anything changes.
        var merged = new List<MetricBlock>(_blocks.Count + other._blocks.Count);
        int i = 0, j = 0;
        while (i < _blocks.Count || j < other._blocks.Count)
        {
            var next = j == other._blocks.Count || (i < _blocks.Count && _blocks[i].FirstPath <= other._blocks[j].FirstPath)
                ? _blocks[i++]
                : other._blocks[j++];
            if (merged.Count > 0 && merged[^1].EndPath > next.FirstPath)
            {
                throw new InvalidOperationException($"Cannot merge accumulators whose paths overlap: {merged[^1]} and {next}.");
            }

            merged.Add(next);
        }

        _blocks.Clear();
        _blocks.AddRange(merged);
        PathCount += other.PathCount;
        other._bandCounts.FoldInto(other._bands); // the same state, in the sketches
        for (var k = 0; k < _bands.Length; k++)
        {
            _bands[k].Merge(other._bands[k]);
        }
    }

    /// <summary>
    /// Standard error of the mean of <paramref name="metric"/> divided by the absolute mean, over paths
    /// 0 .. prefixPaths - 1 (which must all be recorded), counting defined values only. Deterministic:
    /// it depends on those paths' values in path order, never on how they were recorded or merged, so an
    /// engine can stop at a batch boundary and reproduce the same run. NaN when fewer than two values are
    /// defined; infinity when the mean is zero.
    /// </summary>
    public double RelativeStandardError(string metric, long prefixPaths)
    {
        var m = Layout.IndexOfMetric(metric);
        if (m < 0)
        {
            throw new ArgumentException($"The layout does not record metric '{metric}'.", nameof(metric));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(prefixPaths);
        if (PrefixRecorded() < prefixPaths)
        {
            throw new InvalidOperationException($"Paths 0 .. {prefixPaths - 1} are not all recorded: the recorded prefix is 0 .. {PrefixRecorded() - 1}.");
        }

        var column = MetricColumn(m, prefixPaths);
        var moments = SampleMoments.Of(column);
        return moments.StandardError / Math.Abs(moments.Mean);
    }

    /// <summary>Number of paths 0 .. k - 1 recorded without a gap (the largest such k).</summary>
    public long PrefixRecorded()
    {
        long end = 0;
        foreach (var block in _blocks)
        {
            if (block.FirstPath != end)
            {
                break;
            }

            end = block.EndPath;
        }

        return end;
    }

    /// <summary>The values of metric <paramref name="metric"/> (layout index) of the first <paramref name="paths"/> recorded paths, in path order (NaN = undefined).</summary>
    internal double[] MetricColumn(int metric, long paths)
    {
        var column = new double[Math.Min(paths, PathCount)];
        FillMetricColumn(metric, column);
        return column;
    }

    /// <summary>
    /// Writes the values of metric <paramref name="metric"/> of the first <paramref name="column"/>.Length recorded
    /// paths (at most <see cref="PathCount"/>), in path order, into <paramref name="column"/>: lets a caller reuse one buffer.
    /// </summary>
    internal void FillMetricColumn(int metric, Span<double> column)
    {
        var n = 0;
        foreach (var block in _blocks)
        {
            if (n == column.Length)
            {
                break;
            }

            var take = (int)Math.Min(block.Count, column.Length - n);
            block.Column(metric)[..take].CopyTo(column.Slice(n, take));
            n += take;
        }
    }

    private int InsertionPoint(long firstPath)
    {
        int low = 0, high = _blocks.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (_blocks[mid].FirstPath < firstPath)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    private void CheckDisjoint(int position, long first, long end)
    {
        if (position > 0 && _blocks[position - 1].EndPath > first)
        {
            throw new InvalidOperationException($"Paths [{first}, {end}) overlap recorded block {_blocks[position - 1]}.");
        }

        if (position < _blocks.Count && _blocks[position].FirstPath < end)
        {
            throw new InvalidOperationException($"Paths [{first}, {end}) overlap recorded block {_blocks[position]}.");
        }
    }

    [MemberNotNull(nameof(_open))]
    private void RequireOpenBlock()
    {
        if (_open is null)
        {
            throw new InvalidOperationException("No block is open; call BeginBlock first.");
        }
    }

    private void RequireNoOpenBlock(string action)
    {
        if (_open is not null)
        {
            throw new InvalidOperationException($"Cannot {action} while block [{_openFirst}, {_openFirst + _openCount}) is open; call EndBlock first.");
        }
    }
}
