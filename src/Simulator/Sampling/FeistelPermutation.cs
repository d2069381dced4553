namespace DistrictSim.Sampling;

/// <summary>
/// A keyed pseudo-random permutation of 0 .. N-1 that needs no memory: a balanced Feistel network on
/// the smallest even number of bits b with 2^b >= N (six rounds, round function a SplitMix64 finaliser of
/// the right half plus the round key), restricted to [0, N) by cycle-walking (re-encrypting until the
/// result falls below N; at most 4 steps expected since 2^b &lt; 4N).
/// </summary>
internal readonly struct FeistelPermutation
{
    private readonly long _n;
    private readonly int _halfBits;
    private readonly ulong _mask;
    private readonly ulong _k0, _k1, _k2, _k3, _k4, _k5;

    /// <summary>The permutation of 0 .. n-1 keyed by (seed, stream, substream) through <see cref="CounterRng"/>.</summary>
    public FeistelPermutation(long n, ulong seed, int stream, int substream)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        _n = n;
        var bits = 2;
        while (bits < 62 && (1L << bits) < n) bits++;
        if (bits % 2 == 1) bits++;
        _halfBits = bits / 2;
        _mask = (1UL << _halfBits) - 1;
        _k0 = CounterRng.Bits(seed, 0, stream, substream);
        _k1 = CounterRng.Bits(seed, 1, stream, substream);
        _k2 = CounterRng.Bits(seed, 2, stream, substream);
        _k3 = CounterRng.Bits(seed, 3, stream, substream);
        _k4 = CounterRng.Bits(seed, 4, stream, substream);
        _k5 = CounterRng.Bits(seed, 5, stream, substream);
    }

    public long Count => _n;

    /// <summary>The image of i in [0, N).</summary>
    public long this[long i]
    {
        get
        {
            var x = (ulong)i;
            do
            {
                x = Encrypt(x);
            }
            while (x >= (ulong)_n);
            return (long)x;
        }
    }

    private ulong Encrypt(ulong x)
    {
        var left = x >> _halfBits;
        var right = x & _mask;
        Round(ref left, ref right, _k0);
        Round(ref left, ref right, _k1);
        Round(ref left, ref right, _k2);
        Round(ref left, ref right, _k3);
        Round(ref left, ref right, _k4);
        Round(ref left, ref right, _k5);
        return (left << _halfBits) | right;
    }

    private void Round(ref ulong left, ref ulong right, ulong key)
    {
        var next = left ^ (Mix(right + key) & _mask);
        left = right;
        right = next;
    }

    private static ulong Mix(ulong z)
    {
        z *= 0x9E3779B97F4A7C15UL;
        z ^= z >> 30;
        z *= 0xBF58476D1CE4E5B9UL;
        z ^= z >> 27;
        z *= 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
