using System.Runtime.Intrinsics;
using DistrictSim.Model;
using MathNet.Numerics.LinearAlgebra;

namespace DistrictSim.Sampling;

/// <summary>One scalar input slot: its key (like <c>parking.occupancy</c>) and distribution.</summary>
public sealed record SlotSpec(string Key, Distribution Distribution);

/// <summary>
/// Slots joined by a correlation: indices into the sampler's slots, a row-major matrix
/// (already validated or repaired by the caller) and how to join them.
/// </summary>
public sealed record CorrelationGroup(int[] SlotIndices, double[] RowMajorMatrix, CorrelationMethod Method);

/// <summary>
/// Fills a path's input vector. Every value is a pure function of (seed, N, method, the slot's key and
/// distribution, the group it belongs to, path): bit-identical whatever thread or order calls <see cref="Fill"/>
/// and however the run is split into shards. Thread-safe; <see cref="Fill"/> does not allocate.
/// </summary>
/// <remarks>
/// <para>
/// Streams: each slot's random stream is the 32-bit fold of the 64-bit FNV-1a hash of its KEY (UTF-16 code units),
/// so two scenarios sharing an input key draw the same numbers (common random numbers) whatever the slot's index.
/// A draw is <see cref="CounterRng.Uniform(ulong, long, int, int)"/>(seed, path, stream, substream) with substream
/// 0 for the slot's own uniform, 1 for the Latin hypercube jitter; permutation keys use substreams 2 (LHS) and 3
/// (Iman-Conover score shuffles). Two distinct keys whose streams collide are rejected at construction.
/// </para>
/// <para>
/// Monte Carlo: u = U(path, stream, 0), value = Quantile(u).
/// Latin hypercube: the N paths are split into N strata per slot; path i takes stratum pi_j(i), a keyed
/// Feistel permutation of 0..N-1 (no memory), and u = (pi_j(i) + U(path, stream, 1)) / N: exactly one draw
/// per stratum [k/N, (k+1)/N) in every slot.
/// </para>
/// <para>
/// Gaussian copula, Monte Carlo: eps_k = Phi^-1(U(path, stream_k, 0)), z = L eps with L the Cholesky factor
/// of the latent correlation matrix, value = FromStandardNormal(z_j). Under Latin hypercube the latent vectors
/// of all N paths are computed at construction, each column ranked, and path i takes stratum rank_j(i):
/// stratification stays exact and the rank correlation is the copula's up to sampling error.
/// </para>
/// <para>
/// Iman-Conover (target: rank correlation C): at construction, van der Waerden scores a_r = Phi^-1(r / (N + 1))
/// are shuffled independently per column (keyed Feistel permutations) into S; with E the sample correlation of S,
/// E = F F' and R = P P', where R = 2 sin(pi C / 6) is the normal-score correlation whose Spearman correlation
/// is C (repaired to the nearest correlation matrix if the transform makes it indefinite), the adjusted scores S* = S (P F^-1)' are ranked per column. Path i of slot j takes the
/// marginal sample of rank rank_j(i): under Latin hypercube the stratum rank_j(i); under Monte Carlo the order
/// statistic of the column's N independent draws, found as the path whose own draw has that rank.
/// </para>
/// <para>
/// Memory: each slot of a precomputed group (Gaussian copula under LHS, or Iman-Conover) keeps 4 bytes per path
/// (an int rank or source path); construction transiently needs about 8 bytes per path per group member (the
/// latent or adjusted scores) plus 12 bytes per path for sorting. Independent slots and Monte Carlo
/// Gaussian copulas need no per-path memory. Precomputed groups need N &lt;= 2^31 - 1 paths.
/// </para>
/// <para>A degenerate slot (<see cref="Distribution.IsDegenerate"/>) always returns exactly its mean.</para>
/// </remarks>
public sealed class InputSampler
{
    private enum Mode : byte
    {
        Constant,
        Independent,
        Stratified,
        Ranked,
        Sourced,
        Latent,
    }

    private readonly ulong _seed;
    private readonly long _paths;
    private readonly double _pathsAsDouble;
    private readonly SlotDistribution[] _distributions;
    private readonly int[] _streams;
    private readonly Mode[] _modes;
    private readonly FeistelPermutation[] _permutations;
    private readonly int[]?[] _ranks;
    private readonly LatentGroup[] _latentGroups;
    private readonly int[] _drawStreams; // streams of the batched draws, in slot order
    private readonly int[] _drawIndex;   // per slot: its position in the batch, or -1
    // The fill plan, so that the per-path loops branch on nothing but the distribution's kind:
    private readonly int[] _independent; // Monte Carlo slots drawn alone: value = Quantile(draws[_drawIndex[slot]])
    private readonly int[] _scoredIndependent; // the same, valued from the draw's normal score (FromNormalScore)
    private readonly int _scoreCount;    // the batch's first _scoreCount draws get their normal scores computed
    private readonly int[] _constant;    // degenerate slots: value = mean
    private readonly int[] _other;       // stratified, ranked and sourced slots (Latin hypercube, Iman-Conover)
    private readonly int[] _jitterStreams; // streams of the batched Latin hypercube jitters (substream 1), in slot order
    private readonly int[] _jitterIndex;   // per slot: its position in the jitter batch, or -1
    private const int MaxBatchedDraws = 256;

    /// <summary>Compiles the slots and groups; precomputes ranks for groups that need them (O(N log N)).</summary>
    public InputSampler(IReadOnlyList<SlotSpec> slots, IReadOnlyList<CorrelationGroup> groups, ulong seed, long paths, SamplingMethod method)
    {
        ArgumentNullException.ThrowIfNull(slots);
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentOutOfRangeException.ThrowIfLessThan(paths, 1);
        _seed = seed;
        _paths = paths;
        _pathsAsDouble = paths;
        Method = method;
        Slots = slots.ToArray();
        var count = Slots.Count;
        _distributions = new SlotDistribution[count];
        _streams = new int[count];
        _modes = new Mode[count];
        _permutations = new FeistelPermutation[count];
        _ranks = new int[]?[count];

        var byStream = new Dictionary<int, string>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var j = 0; j < count; j++)
        {
            var spec = Slots[j];
            if (!keys.Add(spec.Key)) throw new ArgumentException($"the slot key '{spec.Key}' appears twice", nameof(slots));
            _distributions[j] = SlotDistribution.From(spec.Distribution);
            _streams[j] = StreamOf(spec.Key);
            if (byStream.TryGetValue(_streams[j], out var other))
            {
                throw new ArgumentException($"the keys '{other}' and '{spec.Key}' hash to the same random stream; rename one of them", nameof(slots));
            }
            byStream[_streams[j]] = spec.Key;
            if (_distributions[j].IsDegenerate)
            {
                _modes[j] = Mode.Constant;
            }
            else if (method == SamplingMethod.LatinHypercube)
            {
                _modes[j] = Mode.Stratified;
                _permutations[j] = new FeistelPermutation(paths, seed, _streams[j], Substream.LhsPermutation);
            }
            else
            {
                _modes[j] = Mode.Independent;
            }
        }

        var latent = new List<LatentGroup>();
        var grouped = new int[count];
        Array.Fill(grouped, -1);
        for (var g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            var d = group.SlotIndices.Length;
            if (group.RowMajorMatrix.Length != d * d)
            {
                throw new ArgumentException($"correlation group {g} has {d} slots but {group.RowMajorMatrix.Length} matrix entries (needs {d * d})", nameof(groups));
            }
            foreach (var j in group.SlotIndices)
            {
                if (j < 0 || j >= count) throw new ArgumentException($"correlation group {g} names slot {j}, outside 0..{count - 1}", nameof(groups));
                if (grouped[j] >= 0) throw new ArgumentException($"the slot '{Slots[j].Key}' is in correlation groups {grouped[j]} and {g}; merge them", nameof(groups));
                grouped[j] = g;
            }
            if (d < 2) continue;
            var members = group.SlotIndices;
            if (group.Method == CorrelationMethod.GaussianCopula)
            {
                var cholesky = CholeskyPsd(group.RowMajorMatrix, d);
                if (method == SamplingMethod.MonteCarlo)
                {
                    latent.Add(new LatentGroup(members, cholesky));
                    foreach (var j in members) if (_modes[j] != Mode.Constant) _modes[j] = Mode.Latent;
                }
                else
                {
                    RankGaussianCopula(members, cholesky);
                }
            }
            else
            {
                RankImanConover(members, group.RowMajorMatrix, method);
            }
        }
        _latentGroups = latent.ToArray();

        // The substream-0 draws of a Monte Carlo path (independent slots and Gaussian copula members), made in one batch.
        // Every member of a sampled copula draws, a degenerate one too (its value stays its mean). The draws whose
        // normal score z = Phi^-1(u) the path needs (copula members, independent normals, lognormals and Betas) come
        // first in the batch, so that their scores are computed together, four to a vector.
        var latentMember = new bool[count];
        foreach (var group in _latentGroups) foreach (var j in group.Members) latentMember[j] = true;
        bool Scored(int j) => latentMember[j] || (_modes[j] == Mode.Independent && _distributions[j].IsNormalScored);
        _drawIndex = new int[count];
        Array.Fill(_drawIndex, -1);
        var drawStreams = new List<int>();
        foreach (var scored in new[] { true, false })
        {
            for (var j = 0; j < count; j++)
            {
                if ((_modes[j] == Mode.Independent || latentMember[j]) && Scored(j) == scored)
                {
                    _drawIndex[j] = drawStreams.Count;
                    drawStreams.Add(_streams[j]);
                }
            }
            if (scored) _scoreCount = drawStreams.Count;
        }
        _drawStreams = drawStreams.ToArray();
        _scoredIndependent = SlotsIn(Mode.Independent).Where(j => Scored(j)).ToArray();
        _independent = SlotsIn(Mode.Independent).Where(j => !Scored(j)).ToArray();
        _constant = SlotsIn(Mode.Constant);
        _other = Enumerable.Range(0, count).Where(j => _modes[j] is Mode.Stratified or Mode.Ranked or Mode.Sourced).ToArray();
        _jitterIndex = new int[count];
        var jitterStreams = new List<int>();
        for (var j = 0; j < count; j++)
        {
            _jitterIndex[j] = -1;
            if (_modes[j] is Mode.Stratified or Mode.Ranked)
            {
                _jitterIndex[j] = jitterStreams.Count;
                jitterStreams.Add(_streams[j]);
            }
        }
        _jitterStreams = jitterStreams.ToArray();
        foreach (var group in _latentGroups) group.Compile(this);
    }

    private int[] SlotsIn(Mode mode) => Enumerable.Range(0, _modes.Length).Where(j => _modes[j] == mode).ToArray();

    /// <summary>The slots, in input-vector order.</summary>
    public IReadOnlyList<SlotSpec> Slots { get; }

    /// <summary>The number of values <see cref="Fill"/> writes.</summary>
    public int SlotCount => Slots.Count;

    /// <summary>The run's total number of paths N.</summary>
    public long Paths => _paths;

    public ulong Seed => _seed;

    public SamplingMethod Method { get; }

    /// <summary>The compiled distribution of a slot.</summary>
    public SlotDistribution Distribution(int slot) => _distributions[slot];

    /// <summary>Writes each slot's value for the path (0 &lt;= path &lt; N) into values[0 .. SlotCount-1].</summary>
    public void Fill(long path, Span<double> values)
    {
        if ((ulong)path >= (ulong)_paths) throw new ArgumentOutOfRangeException(nameof(path), path, $"path must lie in [0, {_paths})");
        if (values.Length < _modes.Length) throw new ArgumentException($"values has {values.Length} entries; {_modes.Length} slots need them", nameof(values));
        // The path's substream-0 draws, Latin hypercube jitters and normal scores are made first, in batches (Philox
        // blocks side by side): on the stack when they fit, else in a buffer the thread keeps (a district with many
        // yearly processes).
        var size = _drawStreams.Length + _jitterStreams.Length + _scoreCount;
        if (size <= MaxBatchedDraws)
        {
            // Exactly the batches' size: the runtime zeroes a stackalloc, and 2 KiB a path cost more than the draws' arithmetic.
            Span<double> onStack = stackalloc double[size];
            FillFromDraws(path, onStack, values);
        }
        else
        {
            if (t_draws is null || t_draws.Length < size) t_draws = new double[size];
            FillFromDraws(path, t_draws.AsSpan(0, size), values);
        }
    }

    [ThreadStatic]
    private static double[]? t_draws;

    /// <summary>
    /// Paths one pass of <see cref="FillBatch"/> draws together: bounds the thread's scratch (8 bytes a path for each
    /// draw, jitter, normal score and value: 13 KiB for the reference district's 9 slots).
    /// </summary>
    private const int BatchPaths = 64;

    /// <summary>
    /// Writes the values of paths firstPath .. firstPath + count - 1 (all below N), row-major: path firstPath + k's slots
    /// at values[k SlotCount .. (k + 1) SlotCount - 1]. Bit for bit what <see cref="Fill"/> writes for each path, made
    /// stage by stage across the paths (every draw of a slot for the batch, then every normal score, then each slot's
    /// values) so that the stages run four paths to a vector. Thread-safe; allocates only a scratch buffer once a thread.
    /// </summary>
    public void FillBatch(long firstPath, int count, Span<double> values)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (firstPath < 0 || firstPath > _paths - count)
        {
            throw new ArgumentOutOfRangeException(nameof(firstPath), firstPath, $"paths [firstPath, firstPath + {count}) must lie in [0, {_paths})");
        }
        var width = _modes.Length;
        if (values.Length < (long)count * width)
        {
            throw new ArgumentException($"values has {values.Length} entries; {count} paths of {width} slots need {(long)count * width}", nameof(values));
        }
        if (width == 0) return;
        // Per path: its draws, jitters, normal scores, one value a slot (column-major) and one level (for the Latin hypercube slots).
        var size = BatchPaths * (_drawStreams.Length + _jitterStreams.Length + _scoreCount + width + 1);
        if (t_batch is null || t_batch.Length < size) t_batch = new double[size];
        var scratch = t_batch;
        for (var done = 0; done < count; done += BatchPaths)
        {
            var n = Math.Min(BatchPaths, count - done);
            FillColumns(firstPath + done, n, scratch);
            // Back to one row a path.
            var columns = scratch.AsSpan(BatchPaths * (_drawStreams.Length + _jitterStreams.Length + _scoreCount), n * width);
            var rows = values.Slice(done * width, n * width);
            for (var j = 0; j < width; j++)
            {
                var column = columns.Slice(j * n, n);
                for (var k = 0; k < n; k++) rows[k * width + j] = column[k];
            }
        }
    }

    [ThreadStatic]
    private static double[]? t_batch;

    /// <summary>
    /// The values of paths first .. first + n - 1 (n &lt;= <see cref="BatchPaths"/>) in scratch, column-major (slot j's n
    /// values together), after the batch's draws, jitters and normal scores (also column-major, n to a stream).
    /// </summary>
    private void FillColumns(long first, int n, Span<double> scratch)
    {
        var draws = scratch[..(n * _drawStreams.Length)];
        var jitters = scratch.Slice(BatchPaths * _drawStreams.Length, n * _jitterStreams.Length);
        var scores = scratch.Slice(BatchPaths * (_drawStreams.Length + _jitterStreams.Length), n * _scoreCount);
        var columns = scratch.Slice(BatchPaths * (_drawStreams.Length + _jitterStreams.Length + _scoreCount), n * _modes.Length);
        var levels = scratch.Slice(BatchPaths * (_drawStreams.Length + _jitterStreams.Length + _scoreCount + _modes.Length), n);
        for (var s = 0; s < _drawStreams.Length; s++) CounterRng.UniformsOfPaths(_seed, first, _drawStreams[s], Substream.Draw, draws.Slice(s * n, n));
        for (var s = 0; s < _jitterStreams.Length; s++) CounterRng.UniformsOfPaths(_seed, first, _jitterStreams[s], Substream.Jitter, jitters.Slice(s * n, n));
        // The scored streams come first, so their draws are one contiguous run.
        SlotDistribution.StandardNormalQuantiles(draws[..(n * _scoreCount)], scores);
        var distributions = _distributions;
        var drawIndex = _drawIndex;
        foreach (var j in _scoredIndependent)
        {
            distributions[j].FromNormalScores(scores.Slice(drawIndex[j] * n, n), draws.Slice(drawIndex[j] * n, n), columns.Slice(j * n, n));
        }
        foreach (var j in _independent) distributions[j].Quantiles(draws.Slice(drawIndex[j] * n, n), columns.Slice(j * n, n));
        foreach (var j in _constant) columns.Slice(j * n, n).Fill(distributions[j].Mean);
        foreach (var j in _other)
        {
            // Each path's level from its stratum (or source path), then the quantiles of the batch's levels.
            var jitter = _jitterIndex[j] >= 0 ? jitters.Slice(_jitterIndex[j] * n, n) : default;
            for (var k = 0; k < n; k++)
            {
                var path = first + k;
                levels[k] = _modes[j] switch
                {
                    Mode.Stratified => Stratum(_permutations[j][path], jitter[k]),
                    Mode.Ranked => Stratum(_ranks[j]![path], jitter[k]),
                    _ => CounterRng.Uniform(_seed, _ranks[j]![path], _streams[j], Substream.Draw), // Mode.Sourced
                };
            }
            distributions[j].Quantiles(levels, columns.Slice(j * n, n));
        }
        foreach (var group in _latentGroups) group.FillColumns(scores, n, columns);
    }

    /// <summary>
    /// Fills the values from the path's batches of substream-0 draws, substream-1 jitters and the first draws' normal
    /// scores (written into <paramref name="batches"/> first, in that order).
    /// </summary>
    private void FillFromDraws(long path, Span<double> batches, Span<double> values)
    {
        var draws = batches[.._drawStreams.Length];
        var jitters = batches.Slice(_drawStreams.Length, _jitterStreams.Length);
        var scores = batches.Slice(_drawStreams.Length + _jitterStreams.Length, _scoreCount);
        CounterRng.Uniforms(_seed, path, _drawStreams, Substream.Draw, draws);
        if (_jitterStreams.Length > 0) CounterRng.Uniforms(_seed, path, _jitterStreams, Substream.Jitter, jitters);
        SlotDistribution.StandardNormalQuantiles(draws[.._scoreCount], scores);
        var distributions = _distributions;
        var drawIndex = _drawIndex;
        foreach (var j in _scoredIndependent) values[j] = distributions[j].FromNormalScore(scores[drawIndex[j]], draws[drawIndex[j]]);
        foreach (var j in _independent) values[j] = distributions[j].Quantile(draws[drawIndex[j]]);
        foreach (var j in _constant) values[j] = distributions[j].Mean;
        foreach (var j in _other)
        {
            var distribution = distributions[j];
            switch (_modes[j])
            {
                case Mode.Stratified:
                    values[j] = distribution.Quantile(Stratum(_permutations[j][path], jitters[_jitterIndex[j]]));
                    break;
                case Mode.Ranked:
                    values[j] = distribution.Quantile(Stratum(_ranks[j]![path], jitters[_jitterIndex[j]]));
                    break;
                case Mode.Sourced:
                    values[j] = distribution.Quantile(CounterRng.Uniform(_seed, _ranks[j]![path], _streams[j], Substream.Draw));
                    break;
            }
        }
        foreach (var group in _latentGroups) group.Fill(scores, values);
    }

    /// <summary>u = (stratum + jitter) / N, kept inside (0, 1); the jitter is U(path, stream, 1).</summary>
    private double Stratum(long stratum, double jitter)
    {
        var u = (stratum + jitter) / _pathsAsDouble;
        return u < 1 ? u : Math.BitDecrement(1.0);
    }

    /// <summary>The random stream of a key: 64-bit FNV-1a over its UTF-16 code units, folded to 32 bits.</summary>
    public static int StreamOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = 14695981039346656037UL;
        foreach (var c in key)
        {
            hash = (hash ^ (byte)c) * 1099511628211UL;
            hash = (hash ^ (byte)(c >> 8)) * 1099511628211UL;
        }
        return (int)(uint)(hash ^ (hash >> 32));
    }

    private static class Substream
    {
        public const int Draw = 0;
        public const int Jitter = 1;
        public const int LhsPermutation = 2;
        public const int ScoreShuffle = 3;
    }

    /// <summary>A Gaussian copula group sampled path by path (Monte Carlo).</summary>
    private sealed class LatentGroup(int[] members, double[] cholesky)
    {
        private int[] _draws = [];                          // per member: its position in the path's batch
        private SlotDistribution[] _distributions = [];     // per member

        public int[] Members => members;

        /// <summary>Takes the members' batch positions and distributions from the sampler (after both are final).</summary>
        public void Compile(InputSampler sampler)
        {
            _draws = members.Select(j => sampler._drawIndex[j]).ToArray();
            _distributions = members.Select(j => sampler._distributions[j]).ToArray();
        }

        /// <summary>Latent normals eps = Phi^-1(u), the normal scores of the members' draws, correlated: z = L eps.</summary>
        public void Fill(ReadOnlySpan<double> scores, Span<double> values)
        {
            var d = members.Length;
            if (d == 3)
            {
                // The common case (and the reference district's) with the latent vector in registers.
                var e0 = scores[_draws[0]];
                var e1 = scores[_draws[1]];
                var e2 = scores[_draws[2]];
                values[members[0]] = _distributions[0].FromStandardNormal(cholesky[0] * e0);
                values[members[1]] = _distributions[1].FromStandardNormal(cholesky[3] * e0 + cholesky[4] * e1);
                values[members[2]] = _distributions[2].FromStandardNormal(cholesky[6] * e0 + cholesky[7] * e1 + cholesky[8] * e2);
                return;
            }
            for (var k = 0; k < d; k++) values[members[k]] = scores[_draws[k]];
            // z = L eps in place: z_j needs eps_0..eps_j, so go from the last row up.
            for (var j = d - 1; j >= 0; j--)
            {
                double z = 0;
                for (var k = 0; k <= j; k++) z += cholesky[j * d + k] * values[members[k]];
                values[members[j]] = z;
            }
            for (var j = 0; j < d; j++) values[members[j]] = _distributions[j].FromStandardNormal(values[members[j]]);
        }

        /// <summary>
        /// <see cref="Fill"/> for n paths, column-major (scores and columns n to a stream or slot): z = L eps across the
        /// paths with the same products and sums in the same order (no fused multiply-add), then each member's marginal.
        /// </summary>
        public void FillColumns(ReadOnlySpan<double> scores, int n, Span<double> columns)
        {
            var d = members.Length;
            if (d == 3)
            {
                var e0 = scores.Slice(_draws[0] * n, n);
                var e1 = scores.Slice(_draws[1] * n, n);
                var e2 = scores.Slice(_draws[2] * n, n);
                var z0 = columns.Slice(members[0] * n, n);
                var z1 = columns.Slice(members[1] * n, n);
                var z2 = columns.Slice(members[2] * n, n);
                double l0 = cholesky[0], l3 = cholesky[3], l4 = cholesky[4], l6 = cholesky[6], l7 = cholesky[7], l8 = cholesky[8];
                var k = 0;
                if (Vector256.IsHardwareAccelerated)
                {
                    for (; k + 4 <= n; k += 4)
                    {
                        var a = Vector256.Create(e0.Slice(k, 4));
                        var b = Vector256.Create(e1.Slice(k, 4));
                        var c = Vector256.Create(e2.Slice(k, 4));
                        (Vector256.Create(l0) * a).CopyTo(z0.Slice(k, 4));
                        (Vector256.Create(l3) * a + Vector256.Create(l4) * b).CopyTo(z1.Slice(k, 4));
                        (Vector256.Create(l6) * a + Vector256.Create(l7) * b + Vector256.Create(l8) * c).CopyTo(z2.Slice(k, 4));
                    }
                }
                for (; k < n; k++)
                {
                    z0[k] = l0 * e0[k];
                    z1[k] = l3 * e0[k] + l4 * e1[k];
                    z2[k] = l6 * e0[k] + l7 * e1[k] + l8 * e2[k];
                }
            }
            else
            {
                // Row by row: the members' columns are distinct from the scores, so no order is needed.
                for (var j = 0; j < d; j++)
                {
                    var z = columns.Slice(members[j] * n, n);
                    z.Clear();
                    for (var m = 0; m <= j; m++)
                    {
                        var eps = scores.Slice(_draws[m] * n, n);
                        var l = cholesky[j * d + m];
                        for (var k = 0; k < n; k++) z[k] += l * eps[k];
                    }
                }
            }
            for (var j = 0; j < d; j++)
            {
                var z = columns.Slice(members[j] * n, n);
                _distributions[j].FromStandardNormals(z, z);
            }
        }
    }

    private int CheckedPathCount()
    {
        if (_paths > Array.MaxLength) throw new ArgumentOutOfRangeException(nameof(_paths), _paths, $"a correlation group under Latin hypercube or Iman-Conover supports at most {Array.MaxLength} paths");
        return (int)_paths;
    }

    private void RankGaussianCopula(int[] members, double[] cholesky)
    {
        var n = CheckedPathCount();
        var d = members.Length;
        var columns = new double[d][];
        for (var j = 0; j < d; j++) columns[j] = new double[n];
        Span<double> eps = d <= 64 ? stackalloc double[d] : new double[d];
        for (var p = 0; p < n; p++)
        {
            for (var k = 0; k < d; k++) eps[k] = SlotDistribution.StandardNormalQuantile(CounterRng.Uniform(_seed, p, _streams[members[k]], Substream.Draw));
            for (var j = 0; j < d; j++)
            {
                double z = 0;
                for (var k = 0; k <= j; k++) z += cholesky[j * d + k] * eps[k];
                columns[j][p] = z;
            }
        }
        var order = new int[n];
        for (var j = 0; j < d; j++)
        {
            var slot = members[j];
            if (_modes[slot] == Mode.Constant) continue;
            _ranks[slot] = RanksOf(columns[j], order);
            columns[j] = [];
            _modes[slot] = Mode.Ranked;
        }
    }

    private void RankImanConover(int[] members, double[] target, SamplingMethod method)
    {
        var n = CheckedPathCount();
        var d = members.Length;
        // van der Waerden scores a_r = Phi^-1((r + 1) / (N + 1)), r = 0..N-1.
        var scores = new double[n];
        double sumSquares = 0;
        for (var r = 0; r < n; r++)
        {
            scores[r] = SlotDistribution.StandardNormalQuantile((r + 1.0) / (n + 1.0));
            sumSquares += scores[r] * scores[r];
        }
        var shuffles = new FeistelPermutation[d];
        for (var k = 0; k < d; k++) shuffles[k] = new FeistelPermutation(n, _seed, _streams[members[k]], Substream.ScoreShuffle);

        // Sample correlation of the shuffled scores (each column has mean 0 and sum of squares sumSquares).
        var e = new double[d * d];
        Span<double> row = d <= 64 ? stackalloc double[d] : new double[d];
        for (var p = 0; p < n; p++)
        {
            for (var k = 0; k < d; k++) row[k] = scores[shuffles[k][p]];
            for (var a = 0; a < d; a++)
            {
                for (var b = 0; b <= a; b++) e[a * d + b] += row[a] * row[b];
            }
        }
        var sampleCorrelation = Matrix<double>.Build.Dense(d, d, (a, b) => a == b ? 1 : e[Math.Max(a, b) * d + Math.Min(a, b)] / sumSquares);
        Matrix<double> fInverse;
        try
        {
            fInverse = sampleCorrelation.Cholesky().Factor.Inverse();
        }
        catch (ArgumentException)
        {
            fInverse = Matrix<double>.Build.DenseIdentity(d); // too few paths for a full-rank sample: no correction
        }
        var p2 = CholeskyPsd(ScoreCorrelationFor(target, d), d);
        var mix = Matrix<double>.Build.Dense(d, d, (a, b) => p2[a * d + b]) * fInverse;

        var columns = new double[d][];
        for (var j = 0; j < d; j++) columns[j] = new double[n];
        for (var p = 0; p < n; p++)
        {
            for (var k = 0; k < d; k++) row[k] = scores[shuffles[k][p]];
            for (var j = 0; j < d; j++)
            {
                double s = 0;
                for (var k = 0; k < d; k++) s += mix[j, k] * row[k];
                columns[j][p] = s;
            }
        }
        scores = [];
        var order = new int[n];
        double[] draws = method == SamplingMethod.MonteCarlo ? new double[n] : [];
        for (var j = 0; j < d; j++)
        {
            var slot = members[j];
            if (_modes[slot] == Mode.Constant) continue;
            var ranks = RanksOf(columns[j], order);
            columns[j] = [];
            if (method == SamplingMethod.LatinHypercube)
            {
                _modes[slot] = Mode.Ranked;
            }
            else
            {
                // order[r] = the path whose own draw has rank r; path i takes the draw of rank ranks[i].
                for (var p = 0; p < n; p++)
                {
                    draws[p] = CounterRng.Uniform(_seed, p, _streams[slot], Substream.Draw);
                    order[p] = p;
                }
                Array.Sort(draws, order);
                for (var p = 0; p < n; p++) ranks[p] = order[ranks[p]];
                _modes[slot] = Mode.Sourced;
            }
            _ranks[slot] = ranks;
        }
    }

    /// <summary>
    /// The Pearson correlation of normal scores whose Spearman correlation is the target:
    /// rho = 2 sin(pi r / 6) (the inverse of r = (6 / pi) asin(rho / 2)); repaired to the nearest
    /// correlation matrix when the transform leaves it indefinite.
    /// </summary>
    internal static double[] ScoreCorrelationFor(double[] rankTarget, int d)
    {
        var rho = new double[d * d];
        for (var i = 0; i < d * d; i++) rho[i] = 2 * Math.Sin(Math.PI * rankTarget[i] / 6);
        for (var i = 0; i < d; i++) rho[i * d + i] = 1;
        var smallest = Matrix<double>.Build.Dense(d, d, (i, j) => rho[i * d + j]).Evd(Symmetricity.Symmetric).EigenValues.Real().Minimum();
        return smallest < 0 ? CorrelationMatrix.Nearest(rho, d) : rho;
    }

    /// <summary>The rank (0-based) of each entry; sorts <paramref name="column"/> in place, uses <paramref name="order"/> as scratch.</summary>
    private static int[] RanksOf(double[] column, int[] order)
    {
        for (var p = 0; p < order.Length; p++) order[p] = p;
        // Stable tie-break by path index: sort by (value, index) so equal values rank deterministically.
        Array.Sort(column, order);
        FixTies(column, order);
        var ranks = new int[order.Length];
        for (var r = 0; r < order.Length; r++) ranks[order[r]] = r;
        return ranks;
    }

    /// <summary>Array.Sort is not stable: order each run of equal values by path index.</summary>
    private static void FixTies(double[] sorted, int[] order)
    {
        var start = 0;
        for (var i = 1; i <= sorted.Length; i++)
        {
            if (i == sorted.Length || sorted[i] != sorted[start])
            {
                if (i - start > 1) Array.Sort(order, start, i - start);
                start = i;
            }
        }
    }

    /// <summary>
    /// The lower-triangular factor L with L L' = A for a positive SEMI-definite A (a zero pivot gives a zero
    /// column), row-major d x d.
    /// </summary>
    internal static double[] CholeskyPsd(double[] a, int d)
    {
        var l = new double[d * d];
        for (var j = 0; j < d; j++)
        {
            var s = a[j * d + j];
            for (var k = 0; k < j; k++) s -= l[j * d + k] * l[j * d + k];
            if (s <= 1e-12) continue;
            var pivot = Math.Sqrt(s);
            l[j * d + j] = pivot;
            for (var i = j + 1; i < d; i++)
            {
                var t = a[i * d + j];
                for (var k = 0; k < j; k++) t -= l[i * d + k] * l[j * d + k];
                l[i * d + j] = t / pivot;
            }
        }
        return l;
    }
}
