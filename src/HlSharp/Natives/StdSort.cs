using System.Runtime.InteropServices;
using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>
/// In-place sorting of raw <c>i32</c>/<c>f64</c> values in bytes with a Haxe comparator
/// (<c>Array&lt;Int&gt;.sort</c>, <c>Array&lt;Float&gt;.sort</c>). HashLink's algorithm is a stable
/// merge sort that needs no extra memory: insertion sort below 12 elements, otherwise sort both
/// halves and merge them by binary-search cuts and rotations. HlSharp runs the same algorithm so
/// results match for any comparator (stable for equal keys, and the same answer for an
/// inconsistent one), and it works on the bytes themselves, so the comparator sees the array as
/// HashLink would show it mid-sort and an exception leaves it partly sorted as HashLink leaves it.
/// </summary>
internal static class StdSort
{
    /// <summary>Below this many elements a range is insertion-sorted.</summary>
    private const int InsertionThreshold = 12;

    [HlNative("std", "bsort_i32")]
    public static void SortI32(NativeContext m, HlBytes bytes, int pos, int len, HlClosure? cmp) =>
        Sort(bytes, pos, len, Comparer<int>(m, cmp));

    [HlNative("std", "bsort_f64")]
    public static void SortF64(NativeContext m, HlBytes bytes, int pos, int len, HlClosure? cmp) =>
        Sort(bytes, pos, len, Comparer<double>(m, cmp));

    private static void Sort<T>(HlBytes bytes, int pos, int len, Func<T, T, int> compare)
        where T : unmanaged
    {
        if (len <= 0)
        {
            return;
        }

        var sorter = new Sorter<T>(bytes.Array, bytes.Offset + pos, len, compare);
        sorter.SortRange(0, len);
    }

    /// <summary>
    /// A comparator calling the closure's compiled method directly with unboxed values when its
    /// signature is exactly the expected one; otherwise through the dynamic call path, which
    /// converts arguments to whatever the function takes.
    /// </summary>
    private static Func<T, T, int> Comparer<T>(NativeContext m, HlClosure? closure)
    {
        if (closure is null)
        {
            throw m.Runtime.NullAccess();
        }

        var runtime = m.Runtime;
        return m.DirectComparer<T>(closure) ?? ((x, y) => RuntimeOps.DynToInt(runtime.CallDynamic(closure, [x, y])));
    }

    private sealed class Sorter<T>(byte[] block, int offset, int count, Func<T, T, int> compare)
        where T : unmanaged
    {
        // A span cannot live across a comparator call (the sorter is a class the delegate may
        // outlive), so it is re-made per access; a block is never moved or resized under an HlBytes.
        private Span<T> Items => MemoryMarshal.Cast<byte, T>(block.AsSpan(offset, count * System.Runtime.CompilerServices.Unsafe.SizeOf<T>()));

        private int Compare(int a, int b)
        {
            var items = Items;
            return compare(items[a], items[b]);
        }

        private void Swap(int a, int b)
        {
            var items = Items;
            (items[a], items[b]) = (items[b], items[a]);
        }

        public void SortRange(int from, int to)
        {
            if (to - from < InsertionThreshold)
            {
                for (var i = from + 1; i < to; i++)
                {
                    for (var j = i; j > from && Compare(j, j - 1) < 0; j--)
                    {
                        Swap(j - 1, j);
                    }
                }

                return;
            }

            var middle = (from + to) >> 1;
            SortRange(from, middle);
            SortRange(middle, to);
            Merge(from, middle, to, middle - from, to - middle);
        }

        /// <summary>Merges the sorted runs [from, pivot) and [pivot, to) of lengths len1 and len2.</summary>
        private void Merge(int from, int pivot, int to, int len1, int len2)
        {
            if (len1 == 0 || len2 == 0)
            {
                return;
            }

            if (len1 + len2 == 2)
            {
                if (Compare(pivot, from) < 0)
                {
                    Swap(pivot, from);
                }

                return;
            }

            // Cut the longer run in half, find where its middle element falls in the other run,
            // rotate the two inner pieces into place, then merge each side.
            int firstCut, secondCut, len11, len22;
            if (len1 > len2)
            {
                len11 = len1 >> 1;
                firstCut = from + len11;
                secondCut = LowerBound(pivot, to, firstCut);
                len22 = secondCut - pivot;
            }
            else
            {
                len22 = len2 >> 1;
                secondCut = pivot + len22;
                firstCut = UpperBound(from, pivot, secondCut);
                len11 = firstCut - from;
            }

            Rotate(firstCut, pivot, secondCut);
            var newMiddle = firstCut + len22;
            Merge(from, firstCut, newMiddle, len11, len22);
            Merge(newMiddle, secondCut, to, len1 - len11, len2 - len22);
        }

        /// <summary>The first index in [from, to) whose element is not less than the element at <paramref name="value"/>.</summary>
        private int LowerBound(int from, int to, int value)
        {
            var length = to - from;
            while (length > 0)
            {
                var half = length >> 1;
                var middle = from + half;
                if (Compare(middle, value) < 0)
                {
                    from = middle + 1;
                    length -= half + 1;
                }
                else
                {
                    length = half;
                }
            }

            return from;
        }

        /// <summary>The first index in [from, to) whose element is greater than the element at <paramref name="value"/>.</summary>
        private int UpperBound(int from, int to, int value)
        {
            var length = to - from;
            while (length > 0)
            {
                var half = length >> 1;
                var middle = from + half;
                if (Compare(value, middle) < 0)
                {
                    length = half;
                }
                else
                {
                    from = middle + 1;
                    length -= half + 1;
                }
            }

            return from;
        }

        /// <summary>Swaps the adjacent blocks [from, middle) and [middle, to) (no comparisons, so any rotation gives HashLink's result).</summary>
        private void Rotate(int from, int middle, int to)
        {
            if (from == middle || middle == to)
            {
                return;
            }

            var items = Items;
            items[from..middle].Reverse();
            items[middle..to].Reverse();
            items[from..to].Reverse();
        }
    }
}
