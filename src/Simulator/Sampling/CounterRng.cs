using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DistrictSim.Sampling;

/// <summary>
/// A counter-based random number generator: every draw is a pure function of
/// (seed, path, slot, substream), so it never depends on call order, thread or shard.
/// </summary>
/// <remarks>
/// <para>
/// Scheme: Philox4x32-10 (Salmon, Moraes, Dror and Shaw, "Parallel random numbers: as easy as 1, 2, 3",
/// SC 2011; the Random123 reference). The 64-bit key is the seed (low word first); the 128-bit
/// counter is (path low 32 bits, path high 32 bits, slot, substream). Ten rounds of the Philox
/// S-box (multipliers 0xD2511F53 and 0xCD9E8D57, Weyl key increments 0x9E3779B9 and 0xBB67AE85)
/// turn the counter into four 32-bit words; the implementation matches Random123's known-answer vectors.
/// </para>
/// <para>
/// Uniform: the top 53 bits of the first two output words form an integer k in [0, 2^53);
/// the result is k / 2^53. The rare k = 0 (probability 2^-53) falls back to the third and fourth words,
/// and if those are zero too (2^-106) to 2^-54, so the result always lies in the OPEN interval (0, 1)
/// with 53 random bits, and every value is exact (no rounding).
/// </para>
/// <para>Allocation-free; ten rounds of two 32x32-bit multiplies: tens of nanoseconds a draw.</para>
/// </remarks>
public static class CounterRng
{
    private const uint M0 = 0xD2511F53;
    private const uint M1 = 0xCD9E8D57;
    private const uint W0 = 0x9E3779B9;
    private const uint W1 = 0xBB67AE85;
    private const double TwoToMinus53 = 1.0 / (1UL << 53);

    /// <summary>A uniform in (0, 1) for (seed, path, slot), substream 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Uniform(ulong seed, long path, int slot) => Uniform(seed, path, slot, 0);

    /// <summary>A uniform in (0, 1) for (seed, path, slot, substream): independent of every other tuple.</summary>
    public static double Uniform(ulong seed, long path, int slot, int substream)
    {
        var block = Block(seed, (ulong)path, (uint)slot, (uint)substream);
        var k = (((ulong)block.X0 << 32) | block.X1) >> 11;
        if (k == 0) k = (((ulong)block.X2 << 32) | block.X3) >> 11;
        return k == 0 ? TwoToMinus53 / 2 : k * TwoToMinus53;
    }

    /// <summary>
    /// destination[i] = <see cref="Uniform(ulong, long, int, int)"/>(seed, path, slots[i], substream) for every i:
    /// the same values, with up to twelve Philox blocks computed side by side in one to three sets of four AVX2 lanes
    /// where the CPU has it (their rounds interleave, hiding the multiplies' latency; a last partial set is padded).
    /// </summary>
    public static void Uniforms(ulong seed, long path, ReadOnlySpan<int> slots, int substream, Span<double> destination)
    {
        if (destination.Length < slots.Length) throw new ArgumentException($"destination has {destination.Length} entries; {slots.Length} slots need them", nameof(destination));
        if (!Avx2.IsSupported)
        {
            for (var j = 0; j < slots.Length; j++) destination[j] = Uniform(seed, path, slots[j], substream);
            return;
        }
        for (var i = 0; i < slots.Length; i += 12)
        {
            var chunk = slots.Slice(i, Math.Min(12, slots.Length - i));
            var target = destination.Slice(i, chunk.Length);
            if (chunk.Length > 8) Blocks12(seed, path, chunk, substream, target);
            else if (chunk.Length > 4) Blocks8(seed, path, chunk, substream, target);
            else Blocks4(seed, path, chunk, substream, target);
        }
    }

    // Each 64-bit lane holds one block's 32-bit words; vpmuludq multiplies the low halves into 64-bit products. The
    // high halves of the lanes are left unmasked between rounds: a word feeds only vpmuludq (which reads the low half)
    // and XORs whose high half is never read, so only the final words are masked (in Store). The ten rounds are written
    // out: as a loop, the JIT spilled a set's state through the stack at the back edge, and the store-to-load latency
    // doubled the cost. Having no loop, the kernels would start in tier-0 code that inlines nothing (every round a call
    // with its state in memory) until tiering caught up; AggressiveOptimization compiles them optimised at once.

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Blocks4(ulong seed, long path, ReadOnlySpan<int> slots, int substream, Span<double> destination)
    {
        var a0 = Vector256.Create((ulong)(uint)path);
        var a1 = Vector256.Create((ulong)(uint)((ulong)path >> 32));
        var a2 = Lanes(slots, 0);
        var a3 = Vector256.Create((ulong)(uint)substream);
        TenRounds(ref a0, ref a1, ref a2, ref a3, seed);
        Store(seed, path, slots, substream, destination, 0, a0, a1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Blocks8(ulong seed, long path, ReadOnlySpan<int> slots, int substream, Span<double> destination)
    {
        var c0 = Vector256.Create((ulong)(uint)path);
        var c1 = Vector256.Create((ulong)(uint)((ulong)path >> 32));
        var c3 = Vector256.Create((ulong)(uint)substream);
        Vector256<ulong> a0 = c0, a1 = c1, a2 = Lanes(slots, 0), a3 = c3;
        Vector256<ulong> b0 = c0, b1 = c1, b2 = Lanes(slots, 4), b3 = c3;
        TenRounds(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, seed);
        Store(seed, path, slots, substream, destination, 0, a0, a1);
        Store(seed, path, slots, substream, destination, 4, b0, b1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Blocks12(ulong seed, long path, ReadOnlySpan<int> slots, int substream, Span<double> destination)
    {
        var c0 = Vector256.Create((ulong)(uint)path);
        var c1 = Vector256.Create((ulong)(uint)((ulong)path >> 32));
        var c3 = Vector256.Create((ulong)(uint)substream);
        Vector256<ulong> a0 = c0, a1 = c1, a2 = Lanes(slots, 0), a3 = c3;
        Vector256<ulong> b0 = c0, b1 = c1, b2 = Lanes(slots, 4), b3 = c3;
        Vector256<ulong> d0 = c0, d1 = c1, d2 = Lanes(slots, 8), d3 = c3;
        uint k0 = (uint)seed, k1 = (uint)(seed >> 32);
        Round3(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, ref d0, ref d1, ref d2, ref d3, k0, k1);
        Round3(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, ref d0, ref d1, ref d2, ref d3, k0 + W0, k1 + W1);
        Round3(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, ref d0, ref d1, ref d2, ref d3, unchecked(k0 + 2 * W0), unchecked(k1 + 2 * W1));
        Round3(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, ref d0, ref d1, ref d2, ref d3, unchecked(k0 + 3 * W0), unchecked(k1 + 3 * W1));
        Round3(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, ref d0, ref d1, ref d2, ref d3, unchecked(k0 + 4 * W0), unchecked(k1 + 4 * W1));
        Round3(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, ref d0, ref d1, ref d2, ref d3, unchecked(k0 + 5 * W0), unchecked(k1 + 5 * W1));
        Round3(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, ref d0, ref d1, ref d2, ref d3, unchecked(k0 + 6 * W0), unchecked(k1 + 6 * W1));
        Round3(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, ref d0, ref d1, ref d2, ref d3, unchecked(k0 + 7 * W0), unchecked(k1 + 7 * W1));
        Round3(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, ref d0, ref d1, ref d2, ref d3, unchecked(k0 + 8 * W0), unchecked(k1 + 8 * W1));
        Round3(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, ref d0, ref d1, ref d2, ref d3, unchecked(k0 + 9 * W0), unchecked(k1 + 9 * W1));
        Store(seed, path, slots, substream, destination, 0, a0, a1);
        Store(seed, path, slots, substream, destination, 4, b0, b1);
        Store(seed, path, slots, substream, destination, 8, d0, d1);
    }

    /// <summary>
    /// destination[i] = <see cref="Uniform(ulong, long, int, int)"/>(seed, firstPath + i, slot, substream) for every i: one
    /// slot's draws for consecutive paths, the same values, eight Philox blocks side by side (two sets of four AVX2
    /// lanes, one path a lane) where the CPU has it, so a batch of paths fills every lane (a path's own slots rarely do).
    /// Two sets rather than the per-path kernels' three: their state and constants fit the sixteen vector registers
    /// (the per-path twelve-lane kernel measured some 10% slower here).
    /// </summary>
    public static void UniformsOfPaths(ulong seed, long firstPath, int slot, int substream, Span<double> destination)
    {
        if (!Avx2.IsSupported)
        {
            for (var i = 0; i < destination.Length; i++) destination[i] = Uniform(seed, firstPath + i, slot, substream);
            return;
        }
        var n = destination.Length;
        var i0 = 0;
        for (; i0 + 8 <= n; i0 += 8) PathBlocks8(seed, firstPath + i0, slot, substream, destination.Slice(i0, 8));
        for (; i0 < n; i0 += 4) PathBlocks4(seed, firstPath + i0, slot, substream, destination.Slice(i0, Math.Min(4, n - i0)));
    }

    /// <summary>The counter words of four consecutive paths: (low 32 bits, high 32 bits), one path a lane (the high halves of the low words are never read).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<ulong> Low, Vector256<ulong> High) PathLanes(long first)
    {
        var paths = Vector256.Create((ulong)first) + Vector256.Create(0UL, 1UL, 2UL, 3UL);
        return (paths, Vector256.ShiftRightLogical(paths, 32));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PathBlocks4(ulong seed, long firstPath, int slot, int substream, Span<double> destination)
    {
        var (a0, a1) = PathLanes(firstPath);
        var a2 = Vector256.Create((ulong)(uint)slot);
        var a3 = Vector256.Create((ulong)(uint)substream);
        TenRounds(ref a0, ref a1, ref a2, ref a3, seed);
        StorePaths(seed, firstPath, slot, substream, destination, 0, a0, a1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PathBlocks8(ulong seed, long firstPath, int slot, int substream, Span<double> destination)
    {
        var c2 = Vector256.Create((ulong)(uint)slot);
        var c3 = Vector256.Create((ulong)(uint)substream);
        var (a0, a1) = PathLanes(firstPath);
        var (b0, b1) = PathLanes(firstPath + 4);
        Vector256<ulong> a2 = c2, a3 = c3, b2 = c2, b3 = c3;
        TenRounds(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, seed);
        StorePaths(seed, firstPath, slot, substream, destination, 0, a0, a1);
        StorePaths(seed, firstPath, slot, substream, destination, 4, b0, b1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Lanes(ReadOnlySpan<int> slots, int first)
    {
        var n = slots.Length - first;
        return Vector256.Create(
            (ulong)(uint)slots[first],
            n > 1 ? (uint)slots[first + 1] : 0UL,
            n > 2 ? (uint)slots[first + 2] : 0UL,
            n > 3 ? (uint)slots[first + 3] : 0UL);
    }

    /// <summary>Philox4x32-10's ten rounds on two vectors of four blocks side by side (their latency chains overlap).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TenRounds(
        ref Vector256<ulong> a0, ref Vector256<ulong> a1, ref Vector256<ulong> a2, ref Vector256<ulong> a3,
        ref Vector256<ulong> b0, ref Vector256<ulong> b1, ref Vector256<ulong> b2, ref Vector256<ulong> b3, ulong seed)
    {
        uint k0 = (uint)seed, k1 = (uint)(seed >> 32);
        Round2(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, k0, k1);
        Round2(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, k0 + W0, k1 + W1);
        Round2(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, unchecked(k0 + 2 * W0), unchecked(k1 + 2 * W1));
        Round2(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, unchecked(k0 + 3 * W0), unchecked(k1 + 3 * W1));
        Round2(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, unchecked(k0 + 4 * W0), unchecked(k1 + 4 * W1));
        Round2(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, unchecked(k0 + 5 * W0), unchecked(k1 + 5 * W1));
        Round2(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, unchecked(k0 + 6 * W0), unchecked(k1 + 6 * W1));
        Round2(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, unchecked(k0 + 7 * W0), unchecked(k1 + 7 * W1));
        Round2(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, unchecked(k0 + 8 * W0), unchecked(k1 + 8 * W1));
        Round2(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, unchecked(k0 + 9 * W0), unchecked(k1 + 9 * W1));
    }

    /// <summary>Philox4x32-10's ten rounds on one vector of four blocks, the key bumped by the Weyl constants each round.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TenRounds(ref Vector256<ulong> a0, ref Vector256<ulong> a1, ref Vector256<ulong> a2, ref Vector256<ulong> a3, ulong seed)
    {
        uint k0 = (uint)seed, k1 = (uint)(seed >> 32);
        Round1(ref a0, ref a1, ref a2, ref a3, k0, k1);
        Round1(ref a0, ref a1, ref a2, ref a3, k0 + W0, k1 + W1);
        Round1(ref a0, ref a1, ref a2, ref a3, unchecked(k0 + 2 * W0), unchecked(k1 + 2 * W1));
        Round1(ref a0, ref a1, ref a2, ref a3, unchecked(k0 + 3 * W0), unchecked(k1 + 3 * W1));
        Round1(ref a0, ref a1, ref a2, ref a3, unchecked(k0 + 4 * W0), unchecked(k1 + 4 * W1));
        Round1(ref a0, ref a1, ref a2, ref a3, unchecked(k0 + 5 * W0), unchecked(k1 + 5 * W1));
        Round1(ref a0, ref a1, ref a2, ref a3, unchecked(k0 + 6 * W0), unchecked(k1 + 6 * W1));
        Round1(ref a0, ref a1, ref a2, ref a3, unchecked(k0 + 7 * W0), unchecked(k1 + 7 * W1));
        Round1(ref a0, ref a1, ref a2, ref a3, unchecked(k0 + 8 * W0), unchecked(k1 + 8 * W1));
        Round1(ref a0, ref a1, ref a2, ref a3, unchecked(k0 + 9 * W0), unchecked(k1 + 9 * W1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round1(ref Vector256<ulong> a0, ref Vector256<ulong> a1, ref Vector256<ulong> a2, ref Vector256<ulong> a3, uint k0, uint k1) =>
        Round(ref a0, ref a1, ref a2, ref a3, Vector256.Create((ulong)k0), Vector256.Create((ulong)k1));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round3(
        ref Vector256<ulong> a0, ref Vector256<ulong> a1, ref Vector256<ulong> a2, ref Vector256<ulong> a3,
        ref Vector256<ulong> b0, ref Vector256<ulong> b1, ref Vector256<ulong> b2, ref Vector256<ulong> b3,
        ref Vector256<ulong> d0, ref Vector256<ulong> d1, ref Vector256<ulong> d2, ref Vector256<ulong> d3, uint k0, uint k1)
    {
        var key0 = Vector256.Create((ulong)k0);
        var key1 = Vector256.Create((ulong)k1);
        Round(ref a0, ref a1, ref a2, ref a3, key0, key1);
        Round(ref b0, ref b1, ref b2, ref b3, key0, key1);
        Round(ref d0, ref d1, ref d2, ref d3, key0, key1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round2(
        ref Vector256<ulong> a0, ref Vector256<ulong> a1, ref Vector256<ulong> a2, ref Vector256<ulong> a3,
        ref Vector256<ulong> b0, ref Vector256<ulong> b1, ref Vector256<ulong> b2, ref Vector256<ulong> b3, uint k0, uint k1)
    {
        var key0 = Vector256.Create((ulong)k0);
        var key1 = Vector256.Create((ulong)k1);
        Round(ref a0, ref a1, ref a2, ref a3, key0, key1);
        Round(ref b0, ref b1, ref b2, ref b3, key0, key1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(ref Vector256<ulong> c0, ref Vector256<ulong> c1, ref Vector256<ulong> c2, ref Vector256<ulong> c3, Vector256<ulong> key0, Vector256<ulong> key1)
    {
        var p0 = Avx2.Multiply(c0.AsUInt32(), Vector256.Create((ulong)M0).AsUInt32());
        var p1 = Avx2.Multiply(c2.AsUInt32(), Vector256.Create((ulong)M1).AsUInt32());
        c0 = Vector256.ShiftRightLogical(p1, 32) ^ (c1 ^ key0);
        c1 = p1;
        c2 = Vector256.ShiftRightLogical(p0, 32) ^ (c3 ^ key1);
        c3 = p0;
    }

    /// <summary>Converts four blocks' first two words to uniforms and writes those of lanes first .. first+3 that exist.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ulong seed, long path, ReadOnlySpan<int> slots, int substream, Span<double> destination, int first, Vector256<ulong> x0, Vector256<ulong> x1)
    {
        var u = ToUniforms(x0, x1, out var k);
        var n = Math.Min(4, slots.Length - first);
        if (n == 4) u.CopyTo(destination.Slice(first, 4));
        else for (var lane = 0; lane < n; lane++) destination[first + lane] = u.GetElement(lane);
        if (Vector256.EqualsAny(k, Vector256<ulong>.Zero))
        {
            // k = 0 (probability 2^-53 a lane): the scalar path applies the fall-backs.
            for (var lane = 0; lane < n; lane++)
            {
                if (k.GetElement(lane) == 0) destination[first + lane] = Uniform(seed, path, slots[first + lane], substream);
            }
        }
    }

    /// <summary>Converts four blocks' first two words to uniforms and writes those of lanes first .. first+3 that exist: paths firstPath + first + lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePaths(ulong seed, long firstPath, int slot, int substream, Span<double> destination, int first, Vector256<ulong> x0, Vector256<ulong> x1)
    {
        var u = ToUniforms(x0, x1, out var k);
        var n = Math.Min(4, destination.Length - first);
        if (n == 4) u.CopyTo(destination.Slice(first, 4));
        else for (var lane = 0; lane < n; lane++) destination[first + lane] = u.GetElement(lane);
        if (Vector256.EqualsAny(k, Vector256<ulong>.Zero))
        {
            // k = 0 (probability 2^-53 a lane): the scalar path applies the fall-backs.
            for (var lane = 0; lane < n; lane++)
            {
                if (k.GetElement(lane) == 0) destination[first + lane] = Uniform(seed, firstPath + first + lane, slot, substream);
            }
        }
    }

    /// <summary>The uniforms k / 2^53 of four blocks' first two words, and k (0 where a fall-back is due).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> ToUniforms(Vector256<ulong> x0, Vector256<ulong> x1, out Vector256<ulong> k)
    {
        // k = top 53 bits of (x0, x1); k = hi 2^26 + lo with hi, lo < 2^27 each converted exactly through the 2^52
        // exponent trick, so k (an integer below 2^53) and k / 2^53 are exact, as in the scalar path.
        k = Vector256.ShiftRightLogical(Vector256.ShiftLeft(x0, 32) | (x1 & Vector256.Create(0xFFFF_FFFFUL)), 11);
        var magic = Vector256.Create(0x4330_0000_0000_0000UL);
        var twoTo52 = Vector256.Create(4503599627370496.0);
        var hi = (Vector256.ShiftRightLogical(k, 26) | magic).AsDouble() - twoTo52;
        var lo = ((k & Vector256.Create((1UL << 26) - 1)) | magic).AsDouble() - twoTo52;
        return (hi * Vector256.Create(67108864.0) + lo) * Vector256.Create(TwoToMinus53);
    }

    /// <summary>64 random bits for (seed, path, slot, substream): the first two output words.</summary>
    public static ulong Bits(ulong seed, long path, int slot, int substream)
    {
        var block = Block(seed, (ulong)path, (uint)slot, (uint)substream);
        return ((ulong)block.X0 << 32) | block.X1;
    }

    /// <summary>The raw Philox4x32-10 block for a counter (c0..c3) and key (k0, k1).</summary>
    public static (uint X0, uint X1, uint X2, uint X3) Philox4x32x10(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1)
    {
        for (var round = 0; round < 10; round++)
        {
            if (round > 0)
            {
                k0 += W0;
                k1 += W1;
            }
            var p0 = (ulong)M0 * c0;
            var p1 = (ulong)M1 * c2;
            var n0 = (uint)(p1 >> 32) ^ c1 ^ k0;
            var n1 = (uint)p1;
            var n2 = (uint)(p0 >> 32) ^ c3 ^ k1;
            var n3 = (uint)p0;
            c0 = n0;
            c1 = n1;
            c2 = n2;
            c3 = n3;
        }
        return (c0, c1, c2, c3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (uint X0, uint X1, uint X2, uint X3) Block(ulong seed, ulong path, uint slot, uint substream) =>
        Philox4x32x10((uint)path, (uint)(path >> 32), slot, substream, (uint)seed, (uint)(seed >> 32));
}
