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
    /// the same values, with four Philox blocks computed side by side in AVX2 lanes where the CPU has it.
    /// </summary>
    public static void Uniforms(ulong seed, long path, ReadOnlySpan<int> slots, int substream, Span<double> destination)
    {
        if (destination.Length < slots.Length) throw new ArgumentException($"destination has {destination.Length} entries; {slots.Length} slots need them", nameof(destination));
        var i = 0;
        if (Avx2.IsSupported)
        {
            for (; i + 4 <= slots.Length; i += 4)
            {
                Uniforms4(seed, path, slots.Slice(i, 4), substream, destination.Slice(i, 4));
            }
        }
        for (; i < slots.Length; i++) destination[i] = Uniform(seed, path, slots[i], substream);
    }

    private static void Uniforms4(ulong seed, long path, ReadOnlySpan<int> slots, int substream, Span<double> destination)
    {
        // Each 64-bit lane holds one block's 32-bit word; vpmuludq multiplies the low halves into 64-bit products.
        var low = Vector256.Create(0xFFFF_FFFFUL);
        var m0 = Vector256.Create((ulong)M0).AsUInt32();
        var m1 = Vector256.Create((ulong)M1).AsUInt32();
        var c0 = Vector256.Create((ulong)(uint)path);
        var c1 = Vector256.Create((ulong)(uint)((ulong)path >> 32));
        var c2 = Vector256.Create((ulong)(uint)slots[0], (uint)slots[1], (uint)slots[2], (uint)slots[3]);
        var c3 = Vector256.Create((ulong)(uint)substream);
        uint k0 = (uint)seed, k1 = (uint)(seed >> 32);
        for (var round = 0; round < 10; round++)
        {
            if (round > 0)
            {
                k0 += W0;
                k1 += W1;
            }
            var p0 = Avx2.Multiply(c0.AsUInt32(), m0);
            var p1 = Avx2.Multiply(c2.AsUInt32(), m1);
            var n0 = Vector256.ShiftRightLogical(p1, 32) ^ c1 ^ Vector256.Create((ulong)k0);
            var n1 = p1 & low;
            var n2 = Vector256.ShiftRightLogical(p0, 32) ^ c3 ^ Vector256.Create((ulong)k1);
            var n3 = p0 & low;
            c0 = n0;
            c1 = n1;
            c2 = n2;
            c3 = n3;
        }
        var k = Vector256.ShiftRightLogical(Vector256.ShiftLeft(c0, 32) | c1, 11);
        for (var lane = 0; lane < 4; lane++)
        {
            var bits = k.GetElement(lane);
            // k = 0 (probability 2^-53): the scalar path applies the fall-backs.
            destination[lane] = bits == 0 ? Uniform(seed, path, slots[lane], substream) : bits * TwoToMinus53;
        }
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
