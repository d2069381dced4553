using System.Collections;
using System.Runtime.CompilerServices;

namespace DistrictSim.Model;

/// <summary>
/// An immutable list with structural equality, so that model records compare by value
/// (a scenario loaded, written back and loaded again compares equal).
/// </summary>
[CollectionBuilder(typeof(ValueArray), nameof(ValueArray.Create))]
public readonly struct ValueArray<T> : IReadOnlyList<T>, IEquatable<ValueArray<T>>
{
    private readonly T[]? _items;

    public ValueArray(IEnumerable<T> items) => _items = items.ToArray();

    private ValueArray(T[] items) => _items = items;

    internal static ValueArray<T> Wrap(T[] items) => new(items);

    public static ValueArray<T> Empty => default;

    public int Count => _items?.Length ?? 0;

    public bool IsEmpty => Count == 0;

    public T this[int index] => (_items ?? [])[index];

    public ReadOnlySpan<T> AsSpan() => _items;

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(_items ?? [])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(ValueArray<T> other)
    {
        if (Count != other.Count) return false;
        var comparer = EqualityComparer<T>.Default;
        for (var i = 0; i < Count; i++)
        {
            if (!comparer.Equals(_items![i], other._items![i])) return false;
        }
        return true;
    }

    public override bool Equals(object? obj) => obj is ValueArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in this) hash.Add(item);
        return hash.ToHashCode();
    }

    public static bool operator ==(ValueArray<T> left, ValueArray<T> right) => left.Equals(right);

    public static bool operator !=(ValueArray<T> left, ValueArray<T> right) => !left.Equals(right);

    public override string ToString() => "[" + string.Join(", ", this) + "]";
}

public static class ValueArray
{
    public static ValueArray<T> Create<T>(ReadOnlySpan<T> items) => ValueArray<T>.Wrap(items.ToArray());

    public static ValueArray<T> ToValueArray<T>(this IEnumerable<T> items) => new(items);
}
