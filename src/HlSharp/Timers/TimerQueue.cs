namespace HlSharp.Timers;

/// <summary>
/// The timers waiting to fire, earliest first: a binary min-heap on (due, sequence) in which every
/// entry knows its position, so that adding, removing any entry (a stop) and taking the earliest
/// all cost O(log n), and stopping never leaves a dead entry behind to be skipped later.
/// Not thread-safe: the scheduler's lock guards it.
/// </summary>
internal sealed class TimerQueue
{
    private TimerEntry[] _heap = new TimerEntry[16];

    public int Count { get; private set; }

    /// <summary>The entry due first, or null when empty.</summary>
    public TimerEntry? Peek() => Count > 0 ? _heap[0] : null;

    public void Add(TimerEntry entry)
    {
        if (Count == _heap.Length)
        {
            Array.Resize(ref _heap, _heap.Length * 2);
        }

        _heap[Count] = entry;
        entry.QueueIndex = Count;
        Count++;
        SiftUp(entry.QueueIndex);
    }

    /// <summary>Removes an entry this queue holds (<see cref="TimerEntry.QueueIndex"/> says where).</summary>
    public void Remove(TimerEntry entry)
    {
        var index = entry.QueueIndex;
        entry.QueueIndex = -1;
        Count--;
        if (index == Count)
        {
            _heap[Count] = null!;
            return;
        }

        // The last entry fills the hole, then moves whichever way restores the order.
        var last = _heap[Count];
        _heap[Count] = null!;
        _heap[index] = last;
        last.QueueIndex = index;
        SiftUp(index);
        SiftDown(last.QueueIndex);
    }

    /// <summary>Removes and returns every entry, in no particular order.</summary>
    public List<TimerEntry> Clear()
    {
        var all = new List<TimerEntry>(Count);
        for (var i = 0; i < Count; i++)
        {
            _heap[i].QueueIndex = -1;
            all.Add(_heap[i]);
            _heap[i] = null!;
        }

        Count = 0;
        return all;
    }

    private static bool Before(TimerEntry a, TimerEntry b) => a.Due < b.Due || (a.Due == b.Due && a.Sequence < b.Sequence);

    private void SiftUp(int index)
    {
        var entry = _heap[index];
        while (index > 0)
        {
            var parent = (index - 1) / 2;
            if (!Before(entry, _heap[parent]))
            {
                break;
            }

            Place(_heap[parent], index);
            index = parent;
        }

        Place(entry, index);
    }

    private void SiftDown(int index)
    {
        var entry = _heap[index];
        while (true)
        {
            var child = (2 * index) + 1;
            if (child >= Count)
            {
                break;
            }

            if (child + 1 < Count && Before(_heap[child + 1], _heap[child]))
            {
                child++;
            }

            if (!Before(_heap[child], entry))
            {
                break;
            }

            Place(_heap[child], index);
            index = child;
        }

        Place(entry, index);
    }

    private void Place(TimerEntry entry, int index)
    {
        _heap[index] = entry;
        entry.QueueIndex = index;
    }
}
